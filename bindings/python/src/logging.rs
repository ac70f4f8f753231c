//! The log events of every call (README, "Logs") as records of the standard `logging` logger
//! `odeme` (`odeme._logging`). The level is the logger's: it is read before each call (one
//! cached `isEnabledFor` lookup, two at INFO) and below INFO a successful call builds nothing.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use odeme::{LogEvent, LogLevel};

/// `logging.getLogger("odeme")` and `odeme._logging.emit`, looked up once.
static LOGGER: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();

fn logger(py: Python<'_>) -> PyResult<&(Py<PyAny>, Py<PyAny>)> {
    LOGGER.get_or_try_init(py, || {
        let m = py.import("odeme._logging")?;
        Ok((m.getattr("logger")?.unbind(), m.getattr("emit")?.unbind()))
    })
}

/// Send `client`'s events to the `odeme` logger (at no level until [`sync_level`] says).
pub(crate) fn install(client: &odeme::Client) -> Result<(), odeme::Error> {
    client.set_log(
        LogLevel::Off,
        Some(Arc::new(|e: &LogEvent| {
            Python::attach(|py| {
                // A logger, handler or filter that raises is reported as unraisable (Python's
                // `sys.unraisablehook`) and the call goes on.
                if let Err(err) = emit(py, e) {
                    err.write_unraisable(py, None);
                }
            })
        })),
    )
}

/// Set `client`'s level to the `odeme` logger's, before a call.
pub(crate) fn sync_level(py: Python<'_>, client: &odeme::Client) {
    let level = match level(py) {
        Ok(l) => l,
        Err(err) => {
            err.write_unraisable(py, None);
            LogLevel::Off
        }
    };
    client.set_log_level(level);
}

/// One cached lookup on the common path (`isEnabledFor(INFO)`). Below INFO the core still offers
/// warnings and errors (failed calls only) and `Logger.log` drops what the logger does not want:
/// a successful call builds nothing unless INFO is enabled.
fn level(py: Python<'_>) -> PyResult<LogLevel> {
    let logger = logger(py)?.0.bind(py);
    let enabled =
        |n: u8| -> PyResult<bool> { logger.call_method1("isEnabledFor", (n,))?.is_truthy() };
    Ok(if !enabled(20)? {
        LogLevel::Warn
    } else if enabled(10)? {
        LogLevel::Debug
    } else {
        LogLevel::Info
    })
}

fn emit(py: Python<'_>, e: &LogEvent) -> PyResult<()> {
    let levelno: u8 = match e.level {
        LogLevel::Debug => 10,
        LogLevel::Info => 20,
        LogLevel::Warn => 30,
        LogLevel::Error | LogLevel::Off => 40,
    };
    let fields = PyDict::new(py);
    fields.set_item("ts", &e.ts)?;
    fields.set_item("level", e.level.as_str())?;
    fields.set_item("event", e.event)?;
    fields.set_item("operation", e.operation)?;
    fields.set_item("provider", e.provider)?;
    fields.set_item("method", e.method)?;
    fields.set_item("path", e.path.as_deref())?;
    fields.set_item("attempt", e.attempt)?;
    fields.set_item("http_status", e.http_status)?;
    fields.set_item("duration_ms", e.duration_ms)?;
    fields.set_item("outcome", e.outcome)?;
    fields.set_item("error_kind", e.error_kind)?;
    fields.set_item("reference", e.reference.as_deref())?;
    fields.set_item("provider_reference", e.provider_reference.as_deref())?;
    fields.set_item("request_body", e.request_body.as_deref())?;
    fields.set_item("response_body", e.response_body.as_deref())?;
    logger(py)?.1.bind(py).call1((levelno, fields))?;
    Ok(())
}
