//! `odeme`: the command line of odeme.
//!
//! * `odeme call OP [--config FILE] [--trace[=LEVEL]] [REQUEST.json | -]`: run one operation; the
//!   response JSON on stdout, or the error JSON on stderr and the error's status number as the
//!   exit code; `--trace` writes the call's log events to stderr first.
//! * `odeme hash paymes|iyzico-header|iyzico-signature|paytr-token ... [--explain]`: the
//!   providers' hashes,
//!   and the hash doctor (`--explain`: exactly what is hashed, field by field, secrets masked).
//! * `odeme sim [--listen ADDR] [--tls DIR]`: the provider simulator.
//! * `odeme journal pending|reconcile|show REFERENCE [--config FILE] [--json]`: the payment
//!   journal (an SQLite file or a PostgreSQL database, as the config says).
//!
//! Secrets are never printed. Exit codes: 0 success; an odeme error's status (1–99) for `call`;
//! 1 for a usage error or an unreadable input.

mod explain;

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use odeme::{Client, Error, ErrorKind, LogEvent, LogLevel};
use zeroize::Zeroizing;

const AFTER_HELP: &str = "\
Configuration (odeme call, odeme journal): --config FILE, else the environment variable
ODEME_CONFIG, which holds either the JSON text itself (when it starts with '{') or the path of a
JSON file. The journal commands read its 'journal' section (an SQLite path or a PostgreSQL url).

Secrets (odeme hash): --api-key and --secret-key may be given as the environment variables
ODEME_API_KEY and ODEME_SECRET_KEY instead (PayTR: --merchant-key and --merchant-salt as
ODEME_MERCHANT_KEY and ODEME_MERCHANT_SALT), which keeps them out of shell history. A flag wins
over the environment. Secrets are never printed, not even with --explain.

Exit status: 0 on success; for `odeme call`, the error's status (2 invalid_request, 3 config,
11 outcome_unknown, 21 declined, ...: see the README); 1 for usage errors and unreadable files.";

#[derive(Parser)]
#[command(
    name = "odeme",
    version,
    about = "odeme: call Turkish payment providers, compute and explain their hashes, run the simulator",
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run one operation: prints the response JSON, or the error JSON on stderr (exit = status)
    Call(CallArgs),
    /// Compute a provider hash or signature; --explain shows exactly what is hashed
    #[command(subcommand)]
    Hash(HashCommand),
    /// Run the provider simulator (first stdout line: {"base_url": ..., "ca_file": ...})
    Sim(SimArgs),
    /// List the operations: send policy and how to reconcile each after outcome_unknown (JSON)
    Ops,
    /// The payment journal of the configured client (SQLite file or PostgreSQL database)
    #[command(subcommand)]
    Journal(JournalCommand),
}

#[derive(Subcommand)]
enum JournalCommand {
    /// List the rows still sending, outcome_unknown or needs_manual_check
    Pending(JournalArgs),
    /// Ask each pending row's provider (network I/O) and record the answers
    Reconcile(JournalArgs),
    /// Every row whose merchant reference or provider reference is REFERENCE
    Show {
        /// The merchant's reference (conversationId, orderId, ...) or the provider's
        reference: String,
        #[command(flatten)]
        args: JournalArgs,
    },
}

#[derive(Args)]
struct JournalArgs {
    /// Client configuration JSON file with a "journal" section (default: $ODEME_CONFIG)
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print the rows as a JSON array instead of a table
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct CallArgs {
    /// The operation, e.g. iyzico.create_payment
    operation: String,
    /// The request JSON: a file, or - for stdin (the default when stdin is not a terminal)
    #[arg(value_name = "REQUEST.json | -")]
    request: Option<PathBuf>,
    /// Client configuration JSON file (default: $ODEME_CONFIG, a path or the JSON text)
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Write the call's log events to stderr, one JSON line each (README, "Logs"); LEVEL is
    /// error, warn, info or debug (the default: also the request and reply bodies, redacted)
    #[arg(long, value_name = "LEVEL", num_args = 0..=1, require_equals = true, default_missing_value = "debug")]
    trace: Option<String>,
}

#[derive(Subcommand)]
enum HashCommand {
    /// Paymes: base64(sha512(PART... + secret key))
    Paymes(PaymesArgs),
    /// iyzico: the IYZWSv2 Authorization header over the random key, path and body
    IyzicoHeader(IyzicoHeaderArgs),
    /// iyzico: a response signature, hex HMAC-SHA256 of the fields joined by ':'
    IyzicoSignature(IyzicoSignatureArgs),
    /// PayTR: a paytr_token, base64(HMAC-SHA256(merchant_key, FIELD... + merchant_salt))
    PaytrToken(PaytrTokenArgs),
}

#[derive(Args)]
struct PaytrTokenArgs {
    /// The merchant key, Mağaza Parola (or $ODEME_MERCHANT_KEY)
    #[arg(long, value_name = "K")]
    merchant_key: Option<String>,
    /// The merchant salt, Mağaza Gizli Anahtar (or $ODEME_MERCHANT_SALT)
    #[arg(long, value_name = "S")]
    merchant_salt: Option<String>,
    /// The callback's hash instead: FIELDs are merchant_oid status total_amount, and the salt
    /// goes after merchant_oid
    #[arg(long)]
    callback: bool,
    /// The fields in token order, merchant_id first: iFrame (10), Direct API (10: payment_type
    /// 'card' sixth), refund (3) or status query (2). Use -- before a value starting with '-'
    #[arg(required = true, value_name = "FIELD")]
    fields: Vec<String>,
    /// Show exactly what is hashed, field by field (key and salt masked)
    #[arg(long)]
    explain: bool,
}

#[derive(Args)]
struct SecretArg {
    /// The secret key (or $ODEME_SECRET_KEY, which stays out of shell history)
    #[arg(long, value_name = "K")]
    secret_key: Option<String>,
}

#[derive(Args)]
struct PaymesArgs {
    /// The values in signing order, e.g. orderId price currency productName buyerName buyerPhone
    /// buyerEmail buyerAddress (use -- before a value that starts with '-')
    #[arg(required = true, value_name = "PART")]
    parts: Vec<String>,
    #[command(flatten)]
    secret: SecretArg,
    /// Show exactly what is hashed, field by field (secret masked)
    #[arg(long)]
    explain: bool,
}

#[derive(Args)]
struct IyzicoHeaderArgs {
    /// The API key (or $ODEME_API_KEY)
    #[arg(long, value_name = "K")]
    api_key: Option<String>,
    #[command(flatten)]
    secret: SecretArg,
    /// The per-request random key (default: a fresh one)
    #[arg(long, value_name = "R")]
    random_key: Option<String>,
    /// The request path as signed, e.g. /payment/auth (no scheme, host or query string)
    #[arg(long)]
    path: String,
    /// The exact request body: a file, or - for stdin (default: an empty body)
    #[arg(value_name = "BODY_FILE | -")]
    body: Option<PathBuf>,
    /// Show exactly what is hashed, field by field (secret and card data masked)
    #[arg(long)]
    explain: bool,
}

#[derive(Args)]
struct IyzicoSignatureArgs {
    #[command(flatten)]
    secret: SecretArg,
    /// The fields in signing order, as the reply carries them (amounts normalised: 1.2, not 1.20)
    #[arg(required = true, value_name = "FIELD")]
    fields: Vec<String>,
    /// Show exactly what is hashed, field by field (secret masked)
    #[arg(long)]
    explain: bool,
}

#[derive(Args)]
struct SimArgs {
    /// Address to listen on
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    listen: std::net::SocketAddr,
    /// Serve HTTPS; the generated CA certificate is written into DIR
    #[arg(long, value_name = "DIR")]
    tls: Option<PathBuf>,
    /// How long the sim:delay scenario waits before answering
    #[arg(long, value_name = "MS", default_value_t = 30_000)]
    delay_ms: u64,
    /// Do not log requests to stderr
    #[arg(long)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // --help and --version are not errors; usage errors are invalid_argument (1), never
            // clap's 2, which is odeme's invalid_request.
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Call(args) => call(&args),
        Command::Hash(cmd) => match hash(cmd) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("odeme hash: {message}");
                ExitCode::from(1)
            }
        },
        Command::Sim(args) => sim(args),
        Command::Ops => {
            println!("{}", odeme::registry::operations_json());
            ExitCode::SUCCESS
        }
        Command::Journal(cmd) => journal(&cmd),
    }
}

// ---------------------------------------------------------------------------------------------
// odeme journal

fn journal(cmd: &JournalCommand) -> ExitCode {
    let (args, reference) = match cmd {
        JournalCommand::Pending(a) | JournalCommand::Reconcile(a) => (a, None),
        JournalCommand::Show { reference, args } => (args, Some(reference.as_str())),
    };
    let rows = load_config(args.config.as_deref())
        .and_then(|config| Client::from_json(&config))
        .and_then(|client| match cmd {
            JournalCommand::Pending(_) => client.pending(),
            JournalCommand::Reconcile(_) => client.reconcile(),
            JournalCommand::Show { reference, .. } => client.journal()?.rows_for(reference),
        });
    let rows = match rows {
        Ok(rows) => rows,
        Err(e) => return fail(&e),
    };
    let text = if args.json {
        match serde_json::to_string_pretty(&rows) {
            Ok(t) => t + "\n",
            Err(e) => return fail(&Error::new(ErrorKind::Internal, e.to_string())),
        }
    } else {
        rows_table(&rows, cmd)
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        eprintln!("odeme journal: cannot write: {e}");
        return ExitCode::from(1);
    }
    match reference {
        Some(reference) if rows.is_empty() => {
            eprintln!("odeme journal: no row has the reference {reference}");
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// The rows for a person: one line each, then the reconcile message (if any) indented.
fn rows_table(rows: &[odeme::journal::Row], cmd: &JournalCommand) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let what = match cmd {
        JournalCommand::Pending(_) => "pending",
        JournalCommand::Reconcile(_) => "reconciled",
        JournalCommand::Show { .. } => "matching",
    };
    let _ = writeln!(
        out,
        "{} {what} row{}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    if rows.is_empty() {
        return out;
    }
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    let table: Vec<[String; 8]> = rows
        .iter()
        .map(|r| {
            [
                r.id.to_string(),
                r.state.clone(),
                r.operation.clone(),
                dash(&r.reference),
                match (&r.amount, &r.currency) {
                    (Some(a), Some(c)) => format!("{a} {c}"),
                    (a, _) => dash(a),
                },
                dash(&r.provider_reference),
                dash(&r.resolved),
                r.created_at.clone(),
            ]
        })
        .collect();
    let header = [
        "ID",
        "STATE",
        "OPERATION",
        "REFERENCE",
        "AMOUNT",
        "PROVIDER REF",
        "RESOLVED",
        "SENT AT",
    ];
    let mut widths = header.map(str::len);
    for row in &table {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                l.push_str(cell);
            } else {
                let _ = write!(l, "{cell:<w$}  ");
            }
        }
        l
    };
    let _ = writeln!(out, "{}", line(&header));
    for (row, r) in table.iter().zip(rows) {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        let _ = writeln!(out, "{}", line(&cells));
        if let Some(m) = &r.message {
            let _ = writeln!(out, "    {m}");
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// odeme call

fn call(args: &CallArgs) -> ExitCode {
    match run_call(args) {
        Ok(response) => {
            let mut out = std::io::stdout().lock();
            match writeln!(out, "{}", response.as_str()).and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                // The call went through but its answer is lost: for the caller that is exactly
                // an unknown outcome (query, never resend).
                Err(e) => fail(&Error::new(
                    ErrorKind::OutcomeUnknown,
                    format!(
                        "{} succeeded but its response could not be written to stdout ({e}); \
                         do not resend, query the provider first",
                        args.operation
                    ),
                )),
            }
        }
        Err(e) => fail(&e),
    }
}

fn fail(e: &Error) -> ExitCode {
    eprintln!("{}", e.to_json());
    ExitCode::from(u8::try_from(e.status()).unwrap_or(99))
}

fn run_call(args: &CallArgs) -> Result<Zeroizing<String>, Error> {
    let config = load_config(args.config.as_deref())?;
    let client = Client::from_json(&config)?;
    drop(config);
    if let Some(level) = &args.trace {
        let level = LogLevel::parse(level)
            .filter(|l| *l != LogLevel::Off)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    "--trace takes error, warn, info or debug",
                )
            })?;
        client.set_log(
            level,
            Some(std::sync::Arc::new(|e: &LogEvent| {
                let _ = writeln!(std::io::stderr().lock(), "{}", e.to_json());
            })),
        )?;
    }
    let request = read_request(args.request.as_deref())
        .map_err(|message| Error::new(ErrorKind::InvalidArgument, message))?;
    client
        .call_json(&args.operation, &request)
        .map(Zeroizing::new)
}

/// `--config FILE`, else `ODEME_CONFIG`: JSON text when it starts with `{`, else a path. The
/// value of the variable is never echoed (it may be the configuration itself).
fn load_config(flag: Option<&Path>) -> Result<Zeroizing<String>, Error> {
    if let Some(path) = flag {
        return std::fs::read_to_string(path)
            .map(Zeroizing::new)
            .map_err(|e| {
                Error::config_field(
                    "--config",
                    format!("cannot read {}: {}", path.display(), io_reason(&e)),
                )
            });
    }
    let Some(value) = std::env::var_os("ODEME_CONFIG") else {
        return Err(Error::config_field(
            "ODEME_CONFIG",
            "no configuration: pass --config FILE or set ODEME_CONFIG (a path or the JSON text)",
        ));
    };
    let value = Zeroizing::new(
        value
            .into_string()
            .map_err(|_| Error::config_field("ODEME_CONFIG", "is not valid UTF-8"))?,
    );
    if value.trim_start().starts_with('{') {
        return Ok(value);
    }
    if value.trim().is_empty() {
        return Err(Error::config_field(
            "ODEME_CONFIG",
            "is empty: set it to a path or to the JSON text",
        ));
    }
    std::fs::read_to_string(value.as_str())
        .map(Zeroizing::new)
        .map_err(|e| {
            Error::config_field(
                "ODEME_CONFIG",
                format!(
                    "names a file that cannot be read ({}); it must be a path or JSON text starting with '{{'",
                    io_reason(&e)
                ),
            )
        })
}

fn read_request(arg: Option<&Path>) -> Result<Zeroizing<String>, String> {
    match arg {
        Some(path) if path != Path::new("-") => std::fs::read_to_string(path)
            .map(Zeroizing::new)
            .map_err(|e| {
                format!(
                    "cannot read the request {}: {}",
                    path.display(),
                    io_reason(&e)
                )
            }),
        None if std::io::stdin().is_terminal() => {
            Err("no request: give REQUEST.json, or - to read it from stdin".to_owned())
        }
        _ => {
            let mut text = Zeroizing::new(String::new());
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read the request from stdin: {}", io_reason(&e)))?;
            Ok(text)
        }
    }
}

/// The OS reason without the path or value (the caller names what could not be read).
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "not found".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::InvalidData => "not valid UTF-8".to_owned(),
        _ => e.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// odeme hash

fn hash(cmd: HashCommand) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    let text = match cmd {
        HashCommand::Paymes(a) => {
            let secret = secret_from(a.secret.secret_key, "--secret-key", "ODEME_SECRET_KEY")?;
            let hash = odeme::sign::paymes_hash(&a.parts, &secret);
            if a.explain {
                explain::paymes(&a.parts, &secret, &hash)
            } else {
                format!("{hash}\n")
            }
        }
        HashCommand::IyzicoHeader(a) => {
            let api_key = secret_from(a.api_key, "--api-key", "ODEME_API_KEY")?;
            let secret = secret_from(a.secret.secret_key, "--secret-key", "ODEME_SECRET_KEY")?;
            let random_key = a.random_key.unwrap_or_else(odeme::sign::iyzico_random_key);
            let body = match a.body.as_deref() {
                None => Zeroizing::new(Vec::new()),
                Some(p) if p == Path::new("-") => {
                    let mut body = Zeroizing::new(Vec::new());
                    std::io::stdin().read_to_end(&mut body).map_err(|e| {
                        format!("cannot read the body from stdin: {}", io_reason(&e))
                    })?;
                    body
                }
                Some(p) => Zeroizing::new(std::fs::read(p).map_err(|e| {
                    format!("cannot read the body {}: {}", p.display(), io_reason(&e))
                })?),
            };
            let header =
                odeme::sign::iyzico_auth_header(&api_key, &secret, &random_key, &a.path, &body);
            if a.explain {
                explain::iyzico_header(&api_key, &secret, &random_key, &a.path, &body, &header)
            } else {
                format!("{header}\n")
            }
        }
        HashCommand::PaytrToken(a) => {
            let key = secret_from(a.merchant_key, "--merchant-key", "ODEME_MERCHANT_KEY")?;
            let salt = secret_from(a.merchant_salt, "--merchant-salt", "ODEME_MERCHANT_SALT")?;
            let token = if a.callback {
                if a.fields.len() != 3 {
                    return Err(
                        "--callback takes 3 fields: merchant_oid status total_amount".to_owned(),
                    );
                }
                odeme::sign::paytr_callback_hash(
                    &key,
                    &salt,
                    &a.fields[0],
                    &a.fields[1],
                    &a.fields[2],
                )
            } else {
                odeme::sign::paytr_token(&key, &a.fields, &salt)
            };
            if a.explain {
                explain::paytr_token(&a.fields, a.callback, &key, &salt, &token)
            } else {
                format!("{token}\n")
            }
        }
        HashCommand::IyzicoSignature(a) => {
            let secret = secret_from(a.secret.secret_key, "--secret-key", "ODEME_SECRET_KEY")?;
            let signature = odeme::sign::iyzico_signature(&secret, &a.fields);
            if a.explain {
                explain::iyzico_signature(&a.fields, &secret, &signature)
            } else {
                format!("{signature}\n")
            }
        }
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write: {e}"))
}

/// The flag, else the environment variable; a missing or empty secret names both.
fn secret_from(flag: Option<String>, name: &str, env: &str) -> Result<Zeroizing<String>, String> {
    let value = match flag {
        Some(v) => v,
        None => match std::env::var(env) {
            Ok(v) => v,
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(format!("{env} is not valid UTF-8"))
            }
            Err(std::env::VarError::NotPresent) => {
                return Err(format!(
                    "{name} is required: set {env} (keeps it out of shell history) or pass {name}"
                ))
            }
        },
    };
    if value.is_empty() {
        return Err(format!("{name} ({env}) is empty"));
    }
    Ok(Zeroizing::new(value))
}

// ---------------------------------------------------------------------------------------------
// odeme sim

fn sim(args: SimArgs) -> ExitCode {
    let options = odeme_sim::Options {
        listen: args.listen,
        tls_dir: args.tls,
        log_requests: !args.quiet,
        delay: std::time::Duration::from_millis(args.delay_ms),
    };
    match odeme_sim::run_cli(options, &mut std::io::stdout()) {
        Ok(()) => {
            eprintln!("odeme sim: stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("odeme sim: {e}");
            ExitCode::from(1)
        }
    }
}
