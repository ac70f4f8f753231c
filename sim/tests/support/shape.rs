//! The structure comparison of the documented-shape tests (`sim/tests/documented*.rs` and
//! `core/tests/documented.rs` include this one file): a reply has a documented example's shape
//! when every key of the example is present with the same JSON type, recursively (arrays by their
//! items against the example's first item), a `null` in the example saying nothing about the type;
//! keys beyond the example only where `extra` lists them (as `.path.key` or a bare key name), and
//! documented keys missing only where `missing_ok` lists them.

use serde_json::Value;

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every difference in structure between `doc` and `got`, as readable paths.
pub fn differences(doc: &Value, got: &Value, extra: &[&str], missing_ok: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    walk("", doc, got, extra, missing_ok, &mut out);
    out
}

fn listed(list: &[&str], path: &str, key: &str) -> bool {
    list.iter().any(|l| *l == path || *l == key)
}

fn walk(
    path: &str,
    doc: &Value,
    got: &Value,
    extra: &[&str],
    missing_ok: &[&str],
    out: &mut Vec<String>,
) {
    match (doc, got) {
        (Value::Null, _) => {}
        (Value::Object(d), Value::Object(g)) => {
            for (k, dv) in d {
                let p = format!("{path}.{k}");
                match g.get(k) {
                    Some(gv) => walk(&p, dv, gv, extra, missing_ok, out),
                    None if listed(missing_ok, &p, k) => {}
                    None => out.push(format!("{p}: documented, missing here")),
                }
            }
            for k in g.keys().filter(|k| !d.contains_key(*k)) {
                let p = format!("{path}.{k}");
                if !listed(extra, &p, k) {
                    out.push(format!("{p}: not in the documented example"));
                }
            }
        }
        (Value::Array(d), Value::Array(g)) => {
            if let Some(first) = d.first() {
                if g.is_empty() {
                    out.push(format!("{path}: empty, the example has items"));
                }
                for (i, gv) in g.iter().enumerate() {
                    walk(&format!("{path}[{i}]"), first, gv, extra, missing_ok, out);
                }
            }
        }
        (d, g) if kind(d) == kind(g) => {}
        (d, g) => out.push(format!(
            "{path}: {} in the example, {} here",
            kind(d),
            kind(g)
        )),
    }
}
