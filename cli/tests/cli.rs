//! End-to-end tests of the `odeme` binary: every subcommand, run as a process, against the
//! simulator (in-process for `call`, the binary's own for `sim`). No sleeps: the spawned
//! simulator is synchronised on its start-up line.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use odeme_sim::{cards, credentials, Sim};
use serde_json::{json, Value};

const PAYMES_SEED_PARTS: [&str; 8] = [
    "123456789",
    "1050",
    "TRY",
    "Ürün İsmi",
    "Mehmet Yılmaz",
    "05555555555",
    "email@example.com",
    "Örnek adres bilgisi",
];
const PAYMES_SEED_SECRET: &str = "111111111";
const PAYMES_SEED_STRING: &str =
    "1234567891050TRYÜrün İsmiMehmet Yılmaz05555555555email@example.comÖrnek adres bilgisi";
const PAYMES_SEED_HASH: &str =
    "knYih0b6Nrvqvw7yxtt5H9Tb6kkH7RJkYlB450FziSBKfx0q2eZACHLi+ZexDZKcs9rxJ//QCmoaq12LaI5+3g==";

/// Every secret the simulator's configuration carries: none may appear in any output.
const SIM_SECRETS: [&str; 9] = [
    credentials::IYZICO_API_KEY,
    credentials::IYZICO_SECRET_KEY,
    credentials::PAYMES_PUBLIC_KEY,
    credentials::PAYMES_SECRET_KEY,
    credentials::PAYMES_LEGACY_SECRET,
    credentials::PAYMAGO_TOKEN,
    credentials::ESNEKPOS_MERCHANT_KEY,
    credentials::PAYTR_MERCHANT_KEY,
    credentials::PAYTR_MERCHANT_SALT,
];

/// The `odeme` binary with a clean environment for the variables it reads.
fn odeme() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_odeme"));
    c.env_remove("ODEME_CONFIG")
        .env_remove("ODEME_SECRET_KEY")
        .env_remove("ODEME_API_KEY")
        .env_remove("ODEME_MERCHANT_KEY")
        .env_remove("ODEME_MERCHANT_SALT");
    c
}

fn run(cmd: &mut Command, stdin: Option<&str>) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn odeme");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        // The child may exit before reading (a config error comes first): a broken pipe is fine.
        let _ = input.write_all(text.as_bytes());
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}
fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn assert_no_secrets(o: &Output, extra: &[&str]) {
    let all = format!("{}{}", stdout(o), stderr(o));
    for s in SIM_SECRETS.iter().chain(extra) {
        assert!(!all.contains(s), "output contains a secret or card number");
    }
}

static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(unique(name));
    std::fs::write(&path, contents).unwrap();
    path
}

fn iyzico_payment(conversation_id: &str, card: &str) -> Value {
    json!({
        "locale": "tr", "conversationId": conversation_id, "price": "1.0", "paidPrice": "1.20",
        "currency": "TRY", "installment": 1, "basketId": "B67832", "paymentChannel": "WEB", "paymentGroup": "PRODUCT",
        "paymentCard": {"cardHolderName": "John Doe", "cardNumber": card, "expireMonth": "12", "expireYear": "2030", "cvc": "123", "registerCard": "0"},
        "buyer": {"id": "BY789", "name": "John", "surname": "Doe", "gsmNumber": "+905350000000", "email": "email@email.com",
                  "identityNumber": "74300864791", "registrationAddress": "Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1",
                  "ip": "85.34.78.112", "city": "Istanbul", "country": "Turkey", "zipCode": "34732"},
        "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe", "zipCode": "34732"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe", "zipCode": "34732"},
        "basketItems": [
            {"id": "BI101", "name": "Binocular", "category1": "Collectibles", "itemType": "PHYSICAL", "price": "0.3"},
            {"id": "BI102", "name": "Game code", "category1": "Game", "itemType": "VIRTUAL", "price": "0.5"},
            {"id": "BI103", "name": "Usb", "category1": "Electronics", "itemType": "PHYSICAL", "price": "0.20"}
        ]
    })
}

fn paymes_order(order_id: &str) -> Value {
    json!({"orderId": order_id, "price": "1050", "currency": "TRY", "productName": "Ürün İsmi",
           "buyerName": "Mehmet Yılmaz", "buyerPhone": "05555555555", "buyerEmail": "email@example.com",
           "buyerAddress": "Örnek adres bilgisi"})
}

fn error_json(o: &Output) -> Value {
    let text = stderr(o);
    serde_json::from_str(text.trim()).unwrap_or_else(|_| panic!("stderr is not JSON: {text}"))
}

// ---------------------------------------------------------------------------------------------
// odeme call

#[test]
fn call_creates_then_retrieves_a_payment() {
    let sim = Sim::start_http().unwrap();
    let config = temp_file("config.json", sim.client_config().to_string().as_bytes());
    let id = unique("cli-pay");
    let request = temp_file(
        "request.json",
        iyzico_payment(&id, cards::SUCCESS).to_string().as_bytes(),
    );

    // --config FILE and REQUEST.json
    let o = run(
        odeme()
            .args(["call", "iyzico.create_payment", "--config"])
            .arg(&config)
            .arg(&request),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let created: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(created["operation"], "iyzico.create_payment");
    assert_eq!(created["outcome"]["type"], "completed");
    let payment_id = created["provider_reference"].as_str().unwrap().to_owned();
    assert!(!payment_id.is_empty());
    assert_eq!(sim.count("iyzico.create_payment", &id), 1);
    assert_no_secrets(&o, &[cards::SUCCESS]);

    // ODEME_CONFIG holding the JSON text, request on stdin (-)
    let o = run(
        odeme()
            .args(["call", "iyzico.retrieve_payment", "-"])
            .env("ODEME_CONFIG", sim.client_config().to_string()),
        Some(&json!({"paymentConversationId": id}).to_string()),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let retrieved: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(retrieved["outcome"]["type"], "status");
    assert_eq!(retrieved["outcome"]["state"], "paid");
    assert_eq!(retrieved["provider_reference"], payment_id.as_str());
    assert_no_secrets(&o, &[]);
}

#[test]
fn call_reads_the_config_path_from_odeme_config() {
    let sim = Sim::start_http().unwrap();
    let config = temp_file("config.json", sim.client_config().to_string().as_bytes());
    let id = unique("cli-paymes");
    let o = run(
        odeme()
            .args(["call", "paymes.create_order"])
            .env("ODEME_CONFIG", &config),
        Some(&paymes_order(&id).to_string()),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(r["outcome"]["type"], "redirect");
    assert!(r["outcome"]["url"]
        .as_str()
        .unwrap()
        .starts_with(sim.base_url()));
    assert_eq!(sim.count("paymes.create_order", &id), 1);
    assert_no_secrets(&o, &[]);
}

#[test]
fn an_invalid_request_exits_2_names_the_field_and_sends_nothing() {
    let sim = Sim::start_http().unwrap();
    let id = unique("cli-invalid");
    let mut request = iyzico_payment(&id, cards::SUCCESS);
    request["basketItems"][0]["price"] = json!("0.31"); // the basket no longer sums to price
    let o = run(
        odeme()
            .args(["call", "iyzico.create_payment"])
            .env("ODEME_CONFIG", sim.client_config().to_string()),
        Some(&request.to_string()),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let e = error_json(&o);
    assert_eq!(e["status"], 2);
    assert_eq!(e["kind"], "invalid_request");
    assert_eq!(e["field"], "basketItems", "{e}");
    assert_eq!(e["operation"], "iyzico.create_payment");
    assert!(sim.requests().is_empty(), "nothing may be sent");
    assert_no_secrets(&o, &[cards::SUCCESS]);
}

#[test]
fn a_declined_card_exits_21_with_the_provider_code() {
    let sim = Sim::start_http().unwrap();
    let id = unique("cli-declined");
    let o = run(
        odeme()
            .args(["call", "iyzico.create_payment", "-"])
            .env("ODEME_CONFIG", sim.client_config().to_string()),
        Some(&iyzico_payment(&id, cards::INSUFFICIENT_FUNDS).to_string()),
    );
    assert_eq!(o.status.code(), Some(21), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let e = error_json(&o);
    assert_eq!(e["kind"], "declined");
    assert_eq!(e["status"], 21);
    assert_eq!(e["provider_code"], "10051");
    assert_eq!(sim.count("iyzico.create_payment", &id), 1);
    assert_no_secrets(&o, &[cards::INSUFFICIENT_FUNDS]);
}

#[test]
fn configuration_problems_exit_3_without_echoing_secrets() {
    // No configuration at all.
    let o = run(odeme().args(["call", "paymes.query_order"]), Some("{}"));
    assert_eq!(o.status.code(), Some(3));
    let e = error_json(&o);
    assert_eq!(e["kind"], "config");
    assert_eq!(e["field"], "ODEME_CONFIG");

    // ODEME_CONFIG that is neither JSON nor a readable path: its value is not echoed.
    let pasted = "sk_live_not_a_path_7f3a9c";
    let o = run(
        odeme()
            .args(["call", "paymes.query_order"])
            .env("ODEME_CONFIG", pasted),
        Some("{}"),
    );
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(error_json(&o)["field"], "ODEME_CONFIG");
    assert!(!stderr(&o).contains(pasted));

    // A config the core refuses: the key is named, the secret is not shown.
    let config = json!({"paymes": {"public_key": "pk-visible-nowhere", "secret_key": "sk-visible-nowhere",
                                   "base_url": "ftp://example.com"}});
    let o = run(
        odeme()
            .args(["call", "paymes.query_order"])
            .env("ODEME_CONFIG", config.to_string()),
        Some("{}"),
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(error_json(&o)["field"], "paymes.base_url");
    assert!(!stderr(&o).contains("visible-nowhere"));

    // Malformed JSON config text (which may be half a secret): line and column only.
    let o = run(
        odeme().args(["call", "paymes.query_order"]).env(
            "ODEME_CONFIG",
            r#"{"paymes": {"secret_key": "sk-visible-nowhere""#,
        ),
        Some("{}"),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(error_json(&o)["kind"], "invalid_argument");
    assert!(!stderr(&o).contains("visible-nowhere"));

    // --config naming a missing file.
    let o = run(
        odeme().args([
            "call",
            "paymes.query_order",
            "--config",
            "/nonexistent/odeme.json",
        ]),
        Some("{}"),
    );
    assert_eq!(o.status.code(), Some(3));
    let e = error_json(&o);
    assert_eq!(e["field"], "--config");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("/nonexistent/odeme.json"));
}

#[test]
fn unknown_operations_bad_json_and_usage_errors_exit_1() {
    let sim = Sim::start_http().unwrap();
    let config = sim.client_config().to_string();
    let o = run(
        odeme()
            .args(["call", "iyzico.no_such_thing"])
            .env("ODEME_CONFIG", &config),
        Some("{}"),
    );
    assert_eq!(o.status.code(), Some(1));
    let e = error_json(&o);
    assert_eq!(e["kind"], "invalid_argument");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("iyzico.retrieve_payment"));

    let o = run(
        odeme()
            .args(["call", "iyzico.retrieve_payment"])
            .env("ODEME_CONFIG", &config),
        Some("{not json"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(error_json(&o)["kind"], "invalid_argument");

    let o = run(
        odeme()
            .args([
                "call",
                "iyzico.retrieve_payment",
                "/nonexistent/request.json",
            ])
            .env("ODEME_CONFIG", &config),
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(error_json(&o)["message"]
        .as_str()
        .unwrap()
        .contains("/nonexistent/request.json"));
    assert!(sim.requests().is_empty());

    // clap's usage errors exit 1 (invalid_argument), never 2 (odeme's invalid_request).
    let o = run(odeme().args(["call"]), None);
    assert_eq!(o.status.code(), Some(1));
    let o = run(odeme().args(["hash", "paymes", "--no-such-flag"]), None);
    assert_eq!(o.status.code(), Some(1));
}

// ---------------------------------------------------------------------------------------------
// odeme hash

fn vectors() -> Value {
    serde_json::from_str(include_str!("../../core/tests/vectors/iyzico_vectors.json")).unwrap()
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_str()
        .unwrap_or_else(|| panic!("{path:?} is not a string"))
}

#[test]
fn hash_paymes_matches_the_seed_vector_with_the_secret_from_a_flag_or_the_environment() {
    let o = run(
        odeme()
            .args(["hash", "paymes"])
            .args(PAYMES_SEED_PARTS)
            .args(["--secret-key", PAYMES_SEED_SECRET]),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("{PAYMES_SEED_HASH}\n"));

    let o = run(
        odeme()
            .args(["hash", "paymes"])
            .args(PAYMES_SEED_PARTS)
            .env("ODEME_SECRET_KEY", PAYMES_SEED_SECRET),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("{PAYMES_SEED_HASH}\n"));

    // The flag wins over the environment.
    let o = run(
        odeme()
            .args(["hash", "paymes"])
            .args(PAYMES_SEED_PARTS)
            .args(["--secret-key", PAYMES_SEED_SECRET])
            .env("ODEME_SECRET_KEY", "something-else"),
        None,
    );
    assert_eq!(stdout(&o), format!("{PAYMES_SEED_HASH}\n"));
}

#[test]
fn hash_without_a_secret_names_the_flag_and_the_variable() {
    let o = run(odeme().args(["hash", "paymes", "a"]), None);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("--secret-key") && err.contains("ODEME_SECRET_KEY"),
        "{err}"
    );

    let o = run(
        odeme()
            .args(["hash", "iyzico-header", "--path", "/payment/auth"])
            .env("ODEME_SECRET_KEY", "k"),
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("--api-key") && err.contains("ODEME_API_KEY"),
        "{err}"
    );
}

#[test]
fn hash_iyzico_header_matches_the_published_vectors() {
    let v = vectors();
    let m = &v["_meta"];
    let (api, secret, rnd) = (
        s(m, &["apiKey"]),
        s(m, &["secretKey"]),
        s(m, &["randomKey"]),
    );
    // The create-payment body from a file, keys from flags.
    let body = temp_file(
        "body.json",
        s(&v, &["create_payment", "body_compact_canonical"]).as_bytes(),
    );
    let o = run(
        odeme()
            .args(["hash", "iyzico-header", "--path", "/payment/auth"])
            .args([
                "--api-key",
                api,
                "--secret-key",
                secret,
                "--random-key",
                rnd,
            ])
            .arg(&body),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim_end(),
        s(
            &v,
            &["create_payment", "v2_compact_body", "authorization_header"]
        )
    );

    // The BIN check body on stdin, keys from the environment.
    let bin = &v["bin_check"];
    let o = run(
        odeme()
            .args([
                "hash",
                "iyzico-header",
                "--path",
                s(bin, &["path"]),
                "--random-key",
                rnd,
                "-",
            ])
            .env("ODEME_API_KEY", api)
            .env("ODEME_SECRET_KEY", secret),
        Some(s(bin, &["body"])),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim_end(), s(bin, &["v2_authorization_header"]));

    // No body at all (a GET).
    let get = &v["get_without_body"];
    let o = run(
        odeme()
            .args(["hash", "iyzico-header", "--path", s(get, &["signed_path"])])
            .args([
                "--api-key",
                api,
                "--secret-key",
                secret,
                "--random-key",
                rnd,
            ]),
        None,
    );
    assert_eq!(stdout(&o).trim_end(), s(get, &["v2_authorization_header"]));
}

#[test]
fn hash_iyzico_header_without_a_random_key_uses_a_fresh_one() {
    let args = [
        "hash",
        "iyzico-header",
        "--path",
        "/payment/auth",
        "--api-key",
        "a",
        "--secret-key",
        "s",
    ];
    let a = stdout(&run(odeme().args(args), None));
    let b = stdout(&run(odeme().args(args), None));
    assert!(a.starts_with("IYZWSv2 ") && b.starts_with("IYZWSv2 "));
    assert_ne!(a, b);
}

#[test]
fn hash_iyzico_signature_matches_the_published_vectors() {
    let v = vectors();
    let default_secret = s(&v, &["_meta", "secretKey"]);
    let mut checked = 0;
    for (name, case) in v["response_signatures"].as_object().unwrap() {
        let Some(data) = case["data_to_sign"].as_str() else {
            continue;
        };
        if name.starts_with("webhook") {
            continue; // V3 webhooks sign one message without separators
        }
        let secret = case["secretKey"].as_str().unwrap_or(default_secret);
        let o = run(
            odeme()
                .args(["hash", "iyzico-signature", "--"])
                .args(data.split(':'))
                .env("ODEME_SECRET_KEY", secret),
            None,
        );
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        assert_eq!(stdout(&o).trim_end(), s(case, &["signature_hex"]), "{name}");
        checked += 1;
    }
    assert!(checked >= 5, "{checked}");
}

// ---------------------------------------------------------------------------------------------
// the hash doctor (--explain)

#[test]
fn explain_paymes_shows_the_seed_string_and_hash_with_the_secret_masked() {
    let o = run(
        odeme()
            .args(["hash", "paymes", "--explain"])
            .args(PAYMES_SEED_PARTS)
            .env("ODEME_SECRET_KEY", PAYMES_SEED_SECRET),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        !out.contains(PAYMES_SEED_SECRET),
        "the secret is shown:\n{out}"
    );
    assert!(out.contains(PAYMES_SEED_STRING), "{out}");
    assert!(out.contains(PAYMES_SEED_HASH), "{out}");
    // Field by field: index, name, byte length (UTF-8, so Ü and İ count twice), value.
    assert!(
        out.contains("3  productName      12  \"Ürün İsmi\""),
        "{out}"
    );
    assert!(
        out.contains("8  secret_key        9  ***(9 bytes)"),
        "{out}"
    );
    assert!(out.contains("İ U+0130 \\xc4\\xb0"), "{out}");
    assert!(out.contains("ı U+0131 \\xc4\\xb1"), "{out}");
}

#[test]
fn explain_iyzico_header_masks_keys_card_and_cvc_and_gives_the_same_header() {
    let body = json!({"conversationId": "123456789", "paymentCard": {"cardNumber": "5528790000000008", "cvc": "987"}})
        .to_string();
    let secret = "sandbox-wbwpzKIiplZxI3hh5ALI4FJyAcZKL6kq";
    let api = "sandbox-afXhZPW0MQlE4dCUUlHcEopnMBgXnAZI";
    let args = [
        "hash",
        "iyzico-header",
        "--path",
        "/payment/auth",
        "--random-key",
        "123456789",
        "-",
    ];
    let plain = run(
        odeme()
            .args(args)
            .env("ODEME_API_KEY", api)
            .env("ODEME_SECRET_KEY", secret),
        Some(&body),
    );
    let explained = run(
        odeme()
            .args(args)
            .arg("--explain")
            .env("ODEME_API_KEY", api)
            .env("ODEME_SECRET_KEY", secret),
        Some(&body),
    );
    assert!(explained.status.success(), "{}", stderr(&explained));
    let out = stdout(&explained);
    for hidden in [secret, api, "5528790000000008", "\"987\""] {
        assert!(!out.contains(hidden), "shown: {hidden}\n{out}");
    }
    assert!(out.contains("552879******0008"), "{out}");
    assert!(
        out.contains("123456789/payment/auth{\"conversationId\""),
        "{out}"
    );
    // The explanation computes the very signature the plain header carries, and does not print
    // the header (its base64 holds the API key in clear).
    let header = stdout(&plain);
    let decoded = {
        use base64::Engine;
        let b64 = header.trim_end().strip_prefix("IYZWSv2 ").unwrap();
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap(),
        )
        .unwrap()
    };
    let signature = decoded.split("&signature:").nth(1).unwrap();
    assert!(out.contains(&format!("signature: {signature}\n")), "{out}");
    assert!(!out.contains(header.trim_end()), "{out}");
}

#[test]
fn explain_iyzico_signature_shows_the_joined_fields_and_flags_unnormalised_amounts() {
    let v = vectors();
    let case = &v["response_signatures"]["payment_auth"];
    let secret = s(&v, &["_meta", "secretKey"]);
    let data = s(case, &["data_to_sign"]);
    let o = run(
        odeme()
            .args(["hash", "iyzico-signature", "--explain"])
            .args(data.split(':'))
            .env("ODEME_SECRET_KEY", secret),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains(secret));
    assert!(out.contains(data), "{out}");
    assert!(out.contains(&format!("signature: {}", s(case, &["signature_hex"]))));
    assert!(out.contains("paidPrice"), "{out}");
    assert!(!out.contains("note:"), "{out}");

    // "1.20" is not what iyzico signs: the doctor says so.
    let o = run(
        odeme()
            .args(["hash", "iyzico-signature", "--explain"])
            .args(["10851936", "TRY", "B67832", "123456789", "1.20", "1"])
            .env("ODEME_SECRET_KEY", secret),
        None,
    );
    let out = stdout(&o);
    assert!(out.contains("note: field 4"), "{out}");
    assert!(out.contains("without trailing zeros: 1.2"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// odeme sim

struct RunningSim {
    child: std::process::Child,
    startup: Value,
}

fn spawn_sim(extra: &[&str]) -> RunningSim {
    let mut child = odeme()
        .args(["sim", "--quiet"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let startup: Value =
        serde_json::from_str(line.trim()).unwrap_or_else(|_| panic!("start-up line: {line:?}"));
    RunningSim { child, startup }
}

fn config_for(base_url: &str, ca_pem: Option<String>) -> Value {
    json!({
        "allow_http": ca_pem.is_none(), "ca_pem": ca_pem,
        "paymes": {"public_key": credentials::PAYMES_PUBLIC_KEY, "secret_key": credentials::PAYMES_SECRET_KEY,
                   "base_url": base_url},
    })
}

fn paymes_call(config: &Value) -> Output {
    run(
        odeme()
            .args(["call", "paymes.create_order"])
            .env("ODEME_CONFIG", config.to_string()),
        Some(&paymes_order(&unique("cli-sim")).to_string()),
    )
}

#[test]
fn sim_prints_its_startup_line_answers_and_stops_on_post_shutdown() {
    let mut sim = spawn_sim(&["--listen", "127.0.0.1:0"]);
    let base_url = sim.startup["base_url"].as_str().unwrap().to_owned();
    assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
    assert_eq!(sim.startup["ca_file"], Value::Null);

    let o = paymes_call(&config_for(&base_url, None));
    assert!(o.status.success(), "{}", stderr(&o));
    let r: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(r["outcome"]["type"], "redirect");

    let addr = base_url.trim_start_matches("http://");
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    conn.write_all(
        b"POST /__sim/shutdown HTTP/1.1\r\nHost: sim\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let mut reply = String::new();
    conn.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    let status = sim.child.wait().unwrap();
    assert!(status.success());
    let mut err = String::new();
    sim.child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.contains("odeme sim: stopped"), "{err}");
}

#[test]
fn sim_over_tls_writes_its_ca_and_stops_on_sigterm() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(unique("sim-tls"));
    let mut sim = spawn_sim(&["--tls", dir.to_str().unwrap()]);
    let base_url = sim.startup["base_url"].as_str().unwrap().to_owned();
    assert!(base_url.starts_with("https://127.0.0.1:"), "{base_url}");
    let ca_file = PathBuf::from(sim.startup["ca_file"].as_str().unwrap());
    assert!(ca_file.starts_with(&dir));
    let ca_pem = std::fs::read_to_string(&ca_file).unwrap();

    let o = paymes_call(&config_for(&base_url, Some(ca_pem)));
    assert!(o.status.success(), "{}", stderr(&o));

    // The signal handlers are in place before the start-up line is printed.
    let killed = Command::new("kill")
        .args(["-TERM", &sim.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = sim.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn ops_prints_the_registry() {
    let o = run(odeme().arg("ops"), None);
    assert!(o.status.success(), "{}", stderr(&o));
    let ops: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let create = ops
        .as_array()
        .unwrap()
        .iter()
        .find(|op| op["name"] == "iyzico.create_payment")
        .expect("iyzico.create_payment listed");
    assert_eq!(create["sends"], "at_most_once");
    assert_eq!(create["reconcile_with"], "iyzico.payment_details");
    assert_eq!(create["reconcile_by"], "conversationId");
    assert_eq!(ops.as_array().unwrap().len(), odeme::operations().len());
}

/// `odeme hash paytr-token`: the kasapay vectors (computed from PayTR's formulas; see
/// core/tests/paytr.rs), and the doctor's notes on the usual mistakes.
#[test]
fn hash_paytr_token_and_callback_match_the_vectors_and_explain_masks_key_and_salt() {
    let basket = "W1siS2FodmUiLCIxNDkuOTAiLDFdXQ=="; // [["Kahve","149.90",1]]
    let iframe = [
        "merchant-1",
        "203.0.113.7",
        "ord-1",
        "ayse@example.test",
        "14990",
        basket,
        "0",
        "0",
        "TL",
        "1",
    ];
    let o = run(
        odeme()
            .args(["hash", "paytr-token"])
            .args(iframe)
            .env("ODEME_MERCHANT_KEY", "merchant-key")
            .env("ODEME_MERCHANT_SALT", "merchant-salt"),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "fYtW58G/x2bj+w89dUrab6MyxiTd9WMUHZC/cN6fP1o=\n");
    let o = run(
        odeme()
            .args([
                "hash",
                "paytr-token",
                "--callback",
                "ord-1",
                "success",
                "14990",
            ])
            .args([
                "--merchant-key",
                "merchant-key",
                "--merchant-salt",
                "merchant-salt",
            ]),
        None,
    );
    assert_eq!(stdout(&o), "bGOjbiyL0EfGqNehYd/+AxWSZyvFgfp4Uc+KUiqnfsc=\n");

    let mut wrong = iframe;
    wrong[4] = "149.90";
    wrong[3] = "ayşe@example.test";
    let o = run(
        odeme()
            .args(["hash", "paytr-token", "--explain"])
            .args(wrong)
            .env("ODEME_MERCHANT_KEY", "merchant-key")
            .env("ODEME_MERCHANT_SALT", "merchant-salt"),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_no_secrets(&o, &["merchant-key", "merchant-salt"]);
    assert!(
        out.contains("names: the iFrame get-token layout (10 fields)"),
        "{out}"
    );
    assert!(
        out.contains("4  payment_amount       6  \"149.90\""),
        "{out}"
    );
    assert!(out.contains("the iFrame API takes kuruş"), "{out}");
    assert!(
        out.contains("user_basket decodes to: [[\"Kahve\",\"149.90\",1]]"),
        "{out}"
    );
    assert!(out.contains("ş U+015F \\xc5\\x9f"), "{out}");
    assert!(
        out.contains("10  merchant_salt       13  ***(13 bytes)"),
        "{out}"
    );
    assert!(out.contains("key: merchant_key ***(12 bytes)"), "{out}");
    assert!(out.contains("<merchant_salt ***(13 bytes)>"), "{out}");

    let o = run(
        odeme()
            .args([
                "hash",
                "paytr-token",
                "--callback",
                "--explain",
                "ord-1",
                "success",
                "14990",
            ])
            .env("ODEME_MERCHANT_KEY", "merchant-key")
            .env("ODEME_MERCHANT_SALT", "merchant-salt"),
        None,
    );
    let out = stdout(&o);
    assert!(
        out.contains("ord-1<merchant_salt ***(13 bytes)>success14990"),
        "{out}"
    );
    assert!(
        out.contains("bGOjbiyL0EfGqNehYd/+AxWSZyvFgfp4Uc+KUiqnfsc="),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------------
// odeme call --trace

/// The JSON lines on stderr, split into log events and the rest.
fn trace_lines(o: &Output) -> (Vec<Value>, Vec<String>) {
    let (mut events, mut other) = (Vec::new(), Vec::new());
    for line in stderr(o).lines() {
        match serde_json::from_str::<Value>(line) {
            Ok(v) if v.get("event").is_some() => events.push(v),
            _ => other.push(line.to_owned()),
        }
    }
    (events, other)
}

#[test]
fn trace_writes_the_calls_events_to_stderr() {
    let sim = Sim::start_http().unwrap();
    let config = sim.client_config().to_string();
    let card = "4766620000000001";
    // A payment, at debug (the default): bodies, redacted.
    let id = unique("sim:flaky-cli");
    let o = run(
        odeme()
            .args(["call", "iyzico.create_payment", "--trace", "-"])
            .env("ODEME_CONFIG", &config),
        Some(&iyzico_payment(&id, card).to_string()),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (events, other) = trace_lines(&o);
    assert!(other.is_empty(), "{other:?}");
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["call.start", "call.attempt", "call.end"]);
    assert_eq!(events[1]["http_status"], 200);
    assert_eq!(events[1]["path"], "/payment/auth");
    assert_eq!(events[2]["outcome"], "completed");
    let sent: Value = serde_json::from_str(events[1]["request_body"].as_str().unwrap()).unwrap();
    assert_eq!(sent["paymentCard"]["cardNumber"], "476662******0001");
    assert!(sent["paymentCard"].get("cvc").is_none());
    assert_no_secrets(&o, &[card]);
    assert!(
        !stderr(&o).contains("signature"),
        "the reply's signature is not logged"
    );

    // A retried read at info: each attempt, no bodies.
    let o = run(
        odeme()
            .args(["call", "iyzico.payment_details", "--trace=info", "-"])
            .env("ODEME_CONFIG", &config),
        Some(&json!({ "paymentConversationId": id }).to_string()),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (events, _) = trace_lines(&o);
    let attempts: Vec<(&Value, &Value)> = events
        .iter()
        .filter(|e| e["event"] == "call.attempt")
        .map(|e| (&e["attempt"], &e["http_status"]))
        .collect();
    assert_eq!(
        attempts,
        [(&json!(1), &json!(503)), (&json!(2), &json!(200))]
    );
    assert!(events.iter().all(|e| e.get("response_body").is_none()));

    // A declined card: the events, then the error JSON as the last line.
    let o = run(
        odeme()
            .args(["call", "iyzico.create_payment", "--trace=warn", "-"])
            .env("ODEME_CONFIG", &config),
        Some(&iyzico_payment(&unique("cli-trace-d"), cards::INSUFFICIENT_FUNDS).to_string()),
    );
    assert_eq!(o.status.code(), Some(21));
    let (events, other) = trace_lines(&o);
    assert_eq!(events.len(), 1, "only call.end is a warning: {events:?}");
    assert_eq!(events[0]["event"], "call.end");
    assert_eq!(events[0]["error_kind"], "declined");
    let e: Value = serde_json::from_str(other.last().unwrap()).unwrap();
    assert_eq!(e["kind"], "declined");

    // A level that is not one.
    let o = run(
        odeme()
            .args(["call", "iyzico.payment_details", "--trace=loud", "-"])
            .env("ODEME_CONFIG", &config),
        Some("{}"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--trace takes"), "{}", stderr(&o));
}

// ---------------------------------------------------------------------------------------------
// odeme journal

#[test]
fn journal_pending_show_and_reconcile_a_lost_payment() {
    let sim = Sim::start_http().unwrap();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(unique("journal"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cfg = sim.client_config();
    cfg["journal"] = json!({ "path": dir.join("odeme.sqlite3") });
    let config = temp_file("config.json", cfg.to_string().as_bytes());
    let id = unique("cli-lost");
    let mut payment = iyzico_payment(&id, cards::SUCCESS);
    payment["basketItems"][0]["name"] = json!("sim:drop");
    let request = temp_file("request.json", payment.to_string().as_bytes());
    let o = run(
        odeme()
            .args(["call", "iyzico.create_payment", "--config"])
            .arg(&config)
            .arg(&request),
        None,
    );
    assert_eq!(o.status.code(), Some(11), "{}", stderr(&o));
    let journal = |args: &[&str]| {
        run(
            odeme()
                .arg("journal")
                .args(args)
                .arg("--config")
                .arg(&config),
            None,
        )
    };

    // Human-readable: a count, a header, one line per row.
    let o = journal(&["pending"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("1 pending row\n"), "{text}");
    assert!(text.contains("STATE"), "{text}");
    let line = text.lines().find(|l| l.contains(&id)).unwrap();
    for part in ["outcome_unknown", "iyzico.create_payment", "1.20 TRY"] {
        assert!(line.contains(part), "{part} in {line}");
    }
    assert_no_secrets(&o, &[cards::SUCCESS]);

    // --json: the rows as the library returns them.
    let o = journal(&["pending", "--json"]);
    let rows: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["reference"], id.as_str());
    assert_eq!(rows[0]["state"], "outcome_unknown");
    let o = journal(&["show", &id, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(shown, rows);

    // reconcile asks the provider once and records what it booked.
    let o = journal(&["reconcile"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let line = text.lines().find(|l| l.contains(&id)).unwrap();
    assert!(line.contains("done") && line.contains("paid"), "{text}");
    assert_eq!(sim.count("iyzico.create_payment", &id), 1);
    let o = journal(&["pending"]);
    assert_eq!(stdout(&o), "0 pending rows\n");
    let o = journal(&["show", &id, "--json"]);
    let shown: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(shown[0]["state"], "done");

    // An unknown reference is not an empty success; no journal is a config error (exit 3).
    let o = journal(&["show", "no-such-reference"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no-such-reference"), "{}", stderr(&o));
    let bare = temp_file("config.json", sim.client_config().to_string().as_bytes());
    let o = run(
        odeme().args(["journal", "pending", "--config"]).arg(&bare),
        None,
    );
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(error_json(&o)["field"], "journal");
}
