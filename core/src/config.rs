//! Client configuration: one JSON object, the same in every language.
//!
//! Unknown keys are an error (a typo must not silently drop a setting), secrets are held in
//! [`Secret`], and every base URL is checked before any I/O.

use std::time::Duration;

use serde::Deserialize;

use crate::error::{Error, ErrorKind};
use crate::secret::Secret;

/// Default total deadline of one call (the providers call banks; iyzico's Java SDK uses 140 s).
pub const DEFAULT_TIMEOUT_MS: u64 = 60_000;
/// Default connect deadline.
pub const DEFAULT_CONNECT_TIMEOUT_MS: u64 = 10_000;
/// Default cap on a response body; provider replies are small JSON documents.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 1024 * 1024;
/// Default cap on a request: anything larger is refused before it is serialised or signed.
pub const DEFAULT_MAX_REQUEST_BYTES: u64 = 1024 * 1024;
/// Default number of automatic retries of a read-only call after a transport or decode failure.
pub const DEFAULT_READ_RETRIES: u32 = 2;

/// Cap on a config document given as a value (a CA bundle fits many times over).
const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// The whole client configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default = "default_timeout")]
    pub timeout_ms: u64,
    #[serde(default = "default_connect_timeout")]
    pub connect_timeout_ms: u64,
    /// PEM text of a root CA to trust (the simulator's TLS mode, or a corporate CA).
    #[serde(default)]
    pub ca_pem: Option<String>,
    /// Allow `http://` base URLs (the simulator). Off by default.
    #[serde(default)]
    pub allow_http: bool,
    /// An HTTP(S) CONNECT proxy URL (it may carry credentials, so it is held as a secret).
    /// Proxy environment variables are never read implicitly.
    #[serde(default)]
    pub proxy: Option<Secret>,
    #[serde(default = "default_max_response_bytes")]
    pub max_response_bytes: u64,
    #[serde(default = "default_read_retries")]
    pub read_retries: u32,
    /// Cap on a request document (its JSON size), checked before anything else reads it.
    #[serde(default = "default_max_request_bytes")]
    pub max_request_bytes: u64,
    #[serde(default)]
    pub iyzico: Option<IyzicoConfig>,
    #[serde(default)]
    pub paymes: Option<PaymesConfig>,
    #[serde(default)]
    pub paymago: Option<PaymagoConfig>,
    #[serde(default)]
    pub esnekpos: Option<EsnekposConfig>,
    /// The payment journal (`crate::journal`); off unless configured.
    #[serde(default)]
    pub journal: Option<JournalConfig>,
}

/// `"journal": {"path": "/var/lib/shop/odeme.sqlite3", "busy_timeout_ms": 10000}`, or
/// `"journal": {"url": "postgres://odeme@db.internal/shop"}` (feature `journal-postgres`). One
/// section for both stores: every other key applies to either.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalConfig {
    /// The SQLite file (created when absent). Several processes on one host may share it.
    #[serde(default)]
    pub path: Option<std::path::PathBuf>,
    /// A PostgreSQL URL (`postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?options]`), shared by every
    /// process on every host. It may carry a password, so it is held as a secret.
    #[serde(default)]
    pub url: Option<Secret>,
    /// How long a write waits for another process's transaction (SQLite), or for the server to
    /// connect or answer (PostgreSQL), before failing.
    #[serde(default = "default_busy_timeout")]
    pub busy_timeout_ms: u64,
    /// How long after a row's send a provider's "not found" is proof that nothing happened.
    /// No provider documents how soon a payment shows in its query API (iyzico's reporting,
    /// EsnekPOS' ProcessQuery), so a `not_found` sooner than this leaves the row pending (a
    /// resend stays refused) and `reconcile()` says when to ask again. 0 trusts the first answer
    /// (tests against the simulator).
    #[serde(default = "default_settle_s")]
    pub settle_s: u64,
}

/// Default settle window: 15 minutes, the interval at which iyzico repeats a webhook delivery
/// (docs.iyzico.com, Webhook), long past any reporting lag seen in a sandbox.
pub const DEFAULT_JOURNAL_SETTLE_S: u64 = 900;

fn default_settle_s() -> u64 {
    DEFAULT_JOURNAL_SETTLE_S
}

/// Where a journal is kept.
#[derive(Debug, Clone, Copy)]
pub enum JournalStore<'a> {
    /// An SQLite file.
    Sqlite(&'a std::path::Path),
    /// A PostgreSQL database (its URL).
    Postgres(&'a Secret),
}

impl JournalConfig {
    /// The store this section names (checked by `Config::from_json`: exactly one of `path` and
    /// `url`).
    pub fn store(&self) -> JournalStore<'_> {
        match (&self.path, &self.url) {
            (_, Some(url)) => JournalStore::Postgres(url),
            (Some(path), None) => JournalStore::Sqlite(path),
            (None, None) => JournalStore::Sqlite(std::path::Path::new("")),
        }
    }

    /// The journal as messages name it: the file, or the URL without its password.
    pub fn name(&self) -> String {
        match self.store() {
            JournalStore::Sqlite(path) => path.display().to_string(),
            JournalStore::Postgres(url) => without_password(url.expose()),
        }
    }

    fn check(&self) -> Result<(), Error> {
        match (&self.path, &self.url) {
            (Some(_), Some(_)) => Err(Error::config_field(
                "journal",
                "has both path (SQLite) and url (PostgreSQL): give one",
            )),
            (None, None) => Err(Error::config_field(
                "journal",
                "needs path (an SQLite file, one host) or url (postgres://..., several hosts)",
            )),
            (Some(path), None) if path.as_os_str().is_empty() => {
                Err(Error::config_field("journal.path", "must not be empty"))
            }
            (Some(_), None) => Ok(()),
            (None, Some(url)) => {
                let url = url.expose();
                if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                    return Err(Error::config_field(
                        "journal.url",
                        "must be a postgres:// or postgresql:// URL",
                    ));
                }
                if cfg!(feature = "journal-postgres") {
                    Ok(())
                } else {
                    Err(Error::config_field(
                        "journal.url",
                        "this odeme was built without PostgreSQL support (cargo feature \
                         journal-postgres); use path, or a build with the feature (libodeme, the \
                         Python wheel and the odeme CLI have it)",
                    ))
                }
            }
        }
    }
}

/// A PostgreSQL URL with any password taken out (`user:secret@host` -> `user@host`, and a
/// `password=` parameter dropped), for messages.
pub fn without_password(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.find('/') {
        Some(i) => before_query.split_at(i),
        None => (before_query, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{user}@{host}")
        }
        None => authority.to_owned(),
    };
    let mut out = format!("{scheme}://{authority}{path}");
    if let Some(query) = query {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|p| !p.to_ascii_lowercase().starts_with("password="))
            .collect();
        if !kept.is_empty() {
            out.push('?');
            out.push_str(&kept.join("&"));
        }
    }
    out
}

/// Default wait for another process's journal transaction.
pub const DEFAULT_JOURNAL_BUSY_TIMEOUT_MS: u64 = 10_000;

fn default_busy_timeout() -> u64 {
    DEFAULT_JOURNAL_BUSY_TIMEOUT_MS
}

fn default_timeout() -> u64 {
    DEFAULT_TIMEOUT_MS
}
fn default_connect_timeout() -> u64 {
    DEFAULT_CONNECT_TIMEOUT_MS
}
fn default_max_response_bytes() -> u64 {
    DEFAULT_MAX_RESPONSE_BYTES
}
fn default_max_request_bytes() -> u64 {
    DEFAULT_MAX_REQUEST_BYTES
}
fn default_read_retries() -> u32 {
    DEFAULT_READ_RETRIES
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IyzicoConfig {
    pub api_key: Secret,
    pub secret_key: Secret,
    #[serde(default = "iyzico_default_url")]
    pub base_url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymesConfig {
    /// v4.6 public key (sent in the form).
    #[serde(default)]
    pub public_key: Option<Secret>,
    /// v4.6 secret key (only ever used inside hashes; never sent).
    #[serde(default)]
    pub secret_key: Option<Secret>,
    /// The legacy unversioned API's `secret` (sent in the form by that API's design).
    #[serde(default)]
    pub secret: Option<Secret>,
    #[serde(default = "paymes_default_url")]
    pub base_url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymagoConfig {
    pub token: Secret,
    #[serde(default = "paymago_default_url")]
    pub base_url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EsnekposConfig {
    pub merchant: String,
    pub merchant_key: Secret,
    #[serde(default = "esnekpos_default_url")]
    pub base_url: String,
}

fn iyzico_default_url() -> String {
    "https://sandbox-api.iyzipay.com".into()
}
fn paymes_default_url() -> String {
    "https://api.paym.es".into()
}
fn paymago_default_url() -> String {
    "https://api.paymago.com/api".into()
}
fn esnekpos_default_url() -> String {
    "https://posservicetest.esnekpos.com".into()
}

impl Config {
    /// Parse and check a JSON config. Malformed JSON is `invalid_argument`; a well-formed config
    /// with a bad or unknown key is `config`, naming the key.
    pub fn from_json(text: &str) -> Result<Config, Error> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "config is not valid JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        Config::from_value(value)
    }

    /// Parse and check a config given as a JSON value.
    pub fn from_value(value: serde_json::Value) -> Result<Config, Error> {
        // A config built by a program rather than parsed is bounded the same way.
        crate::validate::check_bounds(&value, "(config)", MAX_CONFIG_BYTES).map_err(|e| {
            if e.kind() == ErrorKind::InvalidRequest {
                Error::config_field(
                    "(config)",
                    format_args!("is larger than {MAX_CONFIG_BYTES} bytes"),
                )
            } else {
                e
            }
        })?;
        let config: Config = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let (field, problem) =
                crate::validate::describe_serde_error(&path, &e.into_inner().to_string());
            Error::config_field(
                if field.is_empty() {
                    "(root)".into()
                } else {
                    field
                },
                problem,
            )
        })?;
        config.check()
    }

    fn check(mut self) -> Result<Config, Error> {
        if self.timeout_ms == 0 {
            return Err(Error::config_field(
                "timeout_ms",
                "must be greater than zero",
            ));
        }
        if self.connect_timeout_ms == 0 {
            return Err(Error::config_field(
                "connect_timeout_ms",
                "must be greater than zero",
            ));
        }
        if self.max_response_bytes < 1024 {
            return Err(Error::config_field(
                "max_response_bytes",
                "must be at least 1024",
            ));
        }
        if self.max_request_bytes < 1024 {
            return Err(Error::config_field(
                "max_request_bytes",
                "must be at least 1024",
            ));
        }
        if self.read_retries > 10 {
            return Err(Error::config_field("read_retries", "must be at most 10"));
        }
        if let Some(pem) = &self.ca_pem {
            if !pem.contains("-----BEGIN CERTIFICATE-----") {
                return Err(Error::config_field(
                    "ca_pem",
                    "must be the PEM text of a certificate (not a path)",
                ));
            }
        }
        if let Some(proxy) = &self.proxy {
            let proxy = proxy.expose();
            if !(proxy.starts_with("http://") || proxy.starts_with("https://")) {
                return Err(Error::config_field(
                    "proxy",
                    "must be an http:// or https:// URL",
                ));
            }
        }
        if let Some(journal) = &self.journal {
            journal.check()?;
        }
        let allow_http = self.allow_http;
        if let Some(c) = &mut self.iyzico {
            c.base_url = check_base_url("iyzico.base_url", &c.base_url, allow_http)?;
            require("iyzico.api_key", &c.api_key)?;
            require("iyzico.secret_key", &c.secret_key)?;
        }
        if let Some(c) = &mut self.paymes {
            c.base_url = check_base_url("paymes.base_url", &c.base_url, allow_http)?;
            if c.public_key.is_none() && c.secret.is_none() {
                return Err(Error::config_field(
                    "paymes",
                    "needs public_key and secret_key (v4.6), or secret (legacy API)",
                ));
            }
            if c.public_key.is_some() != c.secret_key.is_some() {
                return Err(Error::config_field(
                    "paymes.secret_key",
                    "public_key and secret_key go together",
                ));
            }
        }
        if let Some(c) = &mut self.paymago {
            c.base_url = check_base_url("paymago.base_url", &c.base_url, allow_http)?;
            require("paymago.token", &c.token)?;
        }
        if let Some(c) = &mut self.esnekpos {
            c.base_url = check_base_url("esnekpos.base_url", &c.base_url, allow_http)?;
            require("esnekpos.merchant_key", &c.merchant_key)?;
            if c.merchant.trim().is_empty() {
                return Err(Error::config_field(
                    "esnekpos.merchant",
                    "must not be empty",
                ));
            }
        }
        Ok(self)
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms)
    }
}

fn require(field: &str, s: &Secret) -> Result<(), Error> {
    if s.expose().trim().is_empty() {
        return Err(Error::config_field(field, "must not be empty"));
    }
    if s.expose().trim() != s.expose() {
        return Err(Error::config_field(
            field,
            "has leading or trailing whitespace (a copy-paste slip; the provider would reject it)",
        ));
    }
    Ok(())
}

/// `scheme://host[:port][/path]` with no query or fragment; returned without a trailing slash.
fn check_base_url(field: &str, url: &str, allow_http: bool) -> Result<String, Error> {
    let rest = if let Some(r) = url.strip_prefix("https://") {
        r
    } else if let Some(r) = url.strip_prefix("http://") {
        if !allow_http {
            return Err(Error::config_field(
                field,
                "is plain http://; set allow_http to true only for the simulator or a local test peer",
            ));
        }
        r
    } else {
        return Err(Error::config_field(field, "must start with https://"));
    };
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || host.contains('@') || host.contains(' ') {
        return Err(Error::config_field(
            field,
            "must name a host (and no user info)",
        ));
    }
    if url.contains('?') || url.contains('#') {
        return Err(Error::config_field(
            field,
            "must not contain a query or fragment",
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_config_parses() {
        let c = Config::from_json(
            r#"{"timeout_ms": 5000, "connect_timeout_ms": 1000, "ca_pem": null, "allow_http": true, "proxy": null,
                "iyzico": {"api_key": "a", "secret_key": "b", "base_url": "http://127.0.0.1:1/"},
                "paymes": {"public_key": "p", "secret_key": "s", "secret": "x", "base_url": "http://127.0.0.1:1"},
                "paymago": {"token": "t", "base_url": "http://127.0.0.1:1/api"},
                "esnekpos": {"merchant": "TEST1234", "merchant_key": "k", "base_url": "http://127.0.0.1:1"}}"#,
        )
        .unwrap();
        assert_eq!(c.iyzico.as_ref().unwrap().base_url, "http://127.0.0.1:1");
        assert_eq!(c.timeout(), Duration::from_millis(5000));
    }

    #[test]
    fn unknown_keys_are_refused_with_their_name() {
        let e = Config::from_json(r#"{"timeout": 5}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert!(e.message().contains("timeout"), "{}", e.message());
        let e =
            Config::from_json(r#"{"iyzico": {"api_key": "a", "secret_key": "b", "baseurl": "x"}}"#)
                .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert!(e.field().unwrap().starts_with("iyzico"), "{:?}", e.field());
    }

    #[test]
    fn journal_section() {
        let c = Config::from_json(r#"{"journal": {"path": "/tmp/x.sqlite3"}}"#).unwrap();
        let j = c.journal.unwrap();
        assert_eq!(j.path, Some(std::path::PathBuf::from("/tmp/x.sqlite3")));
        assert_eq!(j.busy_timeout_ms, DEFAULT_JOURNAL_BUSY_TIMEOUT_MS);
        let e = Config::from_json(r#"{"journal": {"path": "/tmp/x", "sync": "off"}}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert!(e.message().contains("sync"), "{e}");
        for bad in [
            r#"{"journal": {}}"#,
            r#"{"journal": {"path": "/tmp/x", "url": "postgres://u@h/db"}}"#,
            r#"{"journal": {"path": ""}}"#,
            r#"{"journal": {"url": "mysql://u@h/db"}}"#,
        ] {
            let e = Config::from_json(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Config, "{bad}");
            assert!(e.field().unwrap().starts_with("journal"), "{bad}: {e}");
        }
    }

    #[test]
    fn journal_url_is_a_secret_named_without_its_password() {
        let text = r#"{"journal": {"url": "postgres://shop:hunter2@db.internal:5433/shop?sslmode=disable&password=hunter2"}}"#;
        if cfg!(feature = "journal-postgres") {
            let c = Config::from_json(text).unwrap();
            let j = c.journal.as_ref().unwrap();
            assert_eq!(
                j.name(),
                "postgres://shop@db.internal:5433/shop?sslmode=disable"
            );
            assert!(!format!("{c:?}").contains("hunter2"));
        } else {
            // Without the feature the URL is refused, naming the feature (and never echoed).
            let e = Config::from_json(text).unwrap_err();
            assert_eq!(e.field(), Some("journal.url"));
            assert!(e.message().contains("journal-postgres"), "{e}");
            assert!(!e.message().contains("hunter2"));
        }
        assert_eq!(without_password("postgres://u@h/d"), "postgres://u@h/d");
        assert_eq!(without_password("postgresql://h"), "postgresql://h");
    }

    #[test]
    fn http_needs_allow_http() {
        let e = Config::from_json(
            r#"{"iyzico": {"api_key": "a", "secret_key": "b", "base_url": "http://x"}}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert_eq!(e.field(), Some("iyzico.base_url"));
    }

    #[test]
    fn max_request_bytes_defaults_to_one_mib_and_is_checked() {
        let c = Config::from_json("{}").unwrap();
        assert_eq!(c.max_request_bytes, 1024 * 1024);
        let c = Config::from_json(r#"{"max_request_bytes": 2048}"#).unwrap();
        assert_eq!(c.max_request_bytes, 2048);
        let e = Config::from_json(r#"{"max_request_bytes": 10}"#).unwrap_err();
        assert_eq!(e.field(), Some("max_request_bytes"));
        let e = Config::from_json(r#"{"max_request_byte": 2048}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
    }

    #[test]
    fn deep_config_values_are_invalid_arguments() {
        let mut v = serde_json::json!("x");
        for _ in 0..200 {
            v = serde_json::json!({ "a": v });
        }
        let e = Config::from_value(v).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.field().unwrap().starts_with("a.a.a"), "{:?}", e.field());
    }

    #[test]
    fn bad_json_is_invalid_argument() {
        assert_eq!(
            Config::from_json("{").unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
    }

    #[test]
    fn secrets_never_in_errors_or_debug() {
        let e = Config::from_json(r#"{"iyzico": {"api_key": "a", "secret_key": " topsecret "}}"#)
            .unwrap_err();
        assert!(!e.to_string().contains("topsecret"));
        let c = Config::from_json(r#"{"iyzico": {"api_key": "a", "secret_key": "topsecret"}}"#)
            .unwrap();
        assert!(!format!("{c:?}").contains("topsecret"));
        let e =
            Config::from_json(r#"{"iyzico": {"api_key": "a", "secret_key": 12345}}"#).unwrap_err();
        assert!(!e.to_string().contains("12345"), "{e}");
    }
}
