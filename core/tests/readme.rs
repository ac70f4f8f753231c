//! The README's reconciliation table is generated from the registry, so the advice a merchant
//! reads is the advice an `outcome_unknown` error carries. `ODEME_BLESS=1` rewrites it.

use odeme::registry::{all, Reconcile, Sends};

fn table() -> String {
    let mut out = String::from("| operation | sends | after `outcome_unknown` |\n|---|---|---|\n");
    for d in all().filter(|d| d.sends == Sends::AtMostOnce) {
        let advice = match d.reconcile {
            Reconcile::With { operation, by, .. } => {
                format!("call `{operation}` (by the request's `{by}`)")
            }
            Reconcile::Unavailable { advice } => format!("no API query: {advice}"),
            Reconcile::NotNeeded => "nothing to reconcile".to_owned(),
        };
        out.push_str(&format!(
            "| `{}` | `{}` | {advice} |\n",
            d.name,
            d.sends.as_str()
        ));
    }
    out
}

#[test]
fn readme_reconciliation_table_matches_the_registry() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let (begin, end) = ("<!-- registry:begin -->\n", "<!-- registry:end -->");
    let start = readme.find(begin).expect("begin marker") + begin.len();
    let stop = readme.find(end).expect("end marker");
    let want = table();
    if std::env::var_os("ODEME_BLESS").is_some() {
        let updated = format!("{}{}{}", &readme[..start], want, &readme[stop..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..stop],
        want,
        "README is stale: ODEME_BLESS=1 cargo test -p odeme --test readme"
    );
}
