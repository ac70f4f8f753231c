//! `odeme._odeme`: the native half of the Python package. It wraps the core directly (no C ABI
//! in between), converts Python data to JSON without floats, releases the GIL for every network
//! call, and raises the exception classes of `odeme._errors`.

use std::sync::Arc;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value};

use odeme::{Error, ErrorKind};

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
/// `odeme._errors.BY_KIND`, looked up once (not on every error).
static BY_KIND: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Raise `err` as the `odeme._errors` class of its kind, with every field as an attribute.
fn raise(py: Python<'_>, err: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let by_kind = BY_KIND.get_or_try_init(py, || {
            py.import("odeme._errors")?
                .getattr("BY_KIND")
                .map(Bound::unbind)
        })?;
        let class = by_kind.bind(py).get_item(err.kind().as_str())?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("operation", err.operation())?;
        kwargs.set_item("provider", err.provider())?;
        kwargs.set_item("provider_code", err.provider_code())?;
        kwargs.set_item("provider_message", err.provider_message())?;
        kwargs.set_item("http_status", err.http_status())?;
        kwargs.set_item("field", err.field())?;
        kwargs.set_item("retry_safe", err.retry_safe())?;
        kwargs.set_item("reconcile_with", err.reconcile_with())?;
        match err.reconcile_request() {
            Some(r) => kwargs.set_item("reconcile_request", to_py(py, r)?)?,
            None => kwargs.set_item("reconcile_request", py.None())?,
        }
        let instance = class.call((err.message(),), Some(&kwargs))?;
        Ok(PyErr::from_value(instance))
    };
    build().unwrap_or_else(|e| e)
}

fn invalid(py: Python<'_>, kind: ErrorKind, field: &str, problem: &str) -> PyErr {
    let e = if kind == ErrorKind::InvalidRequest {
        Error::invalid_field(field, problem)
    } else {
        Error::new(kind, format!("{field}: {problem}"))
    };
    raise(py, &e)
}

fn number(text: &str) -> Option<Value> {
    serde_json::from_str::<Number>(text).ok().map(Value::Number)
}

/// Python data → JSON, exactly: ints and Decimals keep their digits, floats are refused.
fn to_json(py: Python<'_>, obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Value> {
    let here = || {
        if path.is_empty() {
            "(request)".to_owned()
        } else {
            path.to_owned()
        }
    };
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(n) = obj.extract::<i64>() {
            return Ok(Value::from(n));
        }
        let text = obj.str()?.to_string();
        return number(&text).ok_or_else(|| {
            invalid(
                py,
                ErrorKind::InvalidRequest,
                &here(),
                "integer out of range",
            )
        });
    }
    if obj.is_instance_of::<PyFloat>() {
        return Err(invalid(
            py,
            ErrorKind::InvalidRequest,
            &here(),
            "is a float, which cannot hold money exactly; pass a str, int or decimal.Decimal",
        ));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    let decimal = DECIMAL.get_or_try_init(py, || -> PyResult<Py<PyType>> {
        Ok(py
            .import("decimal")?
            .getattr("Decimal")?
            .cast_into::<PyType>()?
            .unbind())
    })?;
    if obj.is_instance(decimal.bind(py))? {
        if !obj.call_method0("is_finite")?.is_truthy()? {
            return Err(invalid(
                py,
                ErrorKind::InvalidRequest,
                &here(),
                "is not a finite decimal",
            ));
        }
        let text: String = py
            .import("builtins")?
            .getattr("format")?
            .call1((obj, "f"))?
            .extract()?;
        return number(&text).ok_or_else(|| {
            invalid(
                py,
                ErrorKind::InvalidRequest,
                &here(),
                "is not a decimal amount",
            )
        });
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| {
                    invalid(
                        py,
                        ErrorKind::InvalidArgument,
                        &here(),
                        "dict keys must be strings",
                    )
                })?
                .to_cow()?
                .into_owned();
            let child = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            map.insert(key, to_json(py, &v, &child)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            out.push(to_json(py, &item?, &format!("{}[{i}]", here()))?);
        }
        return Ok(Value::Array(out));
    }
    Err(invalid(
        py,
        ErrorKind::InvalidArgument,
        &here(),
        "has an unsupported type (use dict, list, str, int, bool, None or decimal.Decimal)",
    ))
}

/// JSON → Python: whole numbers become int, any other number its exact digits as str.
fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            let text = n.to_string();
            if let Ok(i) = text.parse::<i64>() {
                i.into_pyobject(py)?.into_any()
            } else if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                py.import("builtins")?.getattr("int")?.call1((text,))?
            } else {
                PyString::new(py, &text).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let list = PyList::empty(py);
            for item in a {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(o) => {
            let dict = PyDict::new(py);
            for (k, item) in o {
                dict.set_item(k, to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// An odeme client. Immutable; share it between threads.
#[pyclass(frozen, module = "odeme._odeme")]
struct Client {
    inner: Arc<odeme::Client>,
}

#[pymethods]
impl Client {
    #[new]
    fn new(py: Python<'_>, config: &Bound<'_, PyAny>) -> PyResult<Client> {
        let result = if let Ok(text) = config.cast::<PyString>() {
            odeme::Client::from_json(&text.to_cow()?)
        } else {
            let value = to_json(py, config, "").map_err(|e| {
                // A config problem is a config error, whatever the converter thought.
                let msg = e.value(py).to_string();
                raise(py, &Error::new(ErrorKind::Config, msg))
            })?;
            odeme::Config::from_value(value).and_then(odeme::Client::new)
        };
        result
            .map(|c| Client { inner: Arc::new(c) })
            .map_err(|e| raise(py, &e))
    }

    /// Run `operation` with `request` (a dict); returns the response dict. Releases the GIL.
    fn call<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let value = to_json(py, request, "").inspect_err(|e| {
            // Name the operation on conversion errors too.
            if let Ok(v) = e.value(py).getattr("operation") {
                if v.is_none() {
                    let _ = e.value(py).setattr("operation", operation);
                }
            }
        })?;
        let client = self.inner.clone();
        let op = operation.to_owned();
        let result = py.detach(move || client.call(&op, value).map(|r| r.to_json()));
        match result {
            Ok(json) => to_py(py, &json),
            Err(e) => Err(raise(py, &e)),
        }
    }

    fn __repr__(&self) -> &'static str {
        "odeme._odeme.Client(<configured>)"
    }
}

fn strings(py: Python<'_>, items: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<String>> {
    let mut out = Vec::new();
    for (i, item) in items.try_iter()?.enumerate() {
        let item = item?;
        let s = item.cast::<PyString>().map_err(|_| {
            invalid(
                py,
                ErrorKind::InvalidArgument,
                &format!("{name}[{i}]"),
                "must be a str",
            )
        })?;
        out.push(s.to_cow()?.into_owned());
    }
    Ok(out)
}

/// Paymes: base64(sha512(parts... + secret_key)).
#[pyfunction]
fn paymes_hash(py: Python<'_>, parts: &Bound<'_, PyAny>, secret_key: &str) -> PyResult<String> {
    let parts = strings(py, parts, "parts")?;
    Ok(odeme::sign::paymes_hash(&parts, secret_key))
}

/// iyzico IYZWSv2 Authorization header value.
#[pyfunction]
fn iyzico_auth_header(
    api_key: &str,
    secret_key: &str,
    random_key: &str,
    uri_path: &str,
    body: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let bytes: Vec<u8> = if let Ok(b) = body.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else if let Ok(s) = body.cast::<PyString>() {
        s.to_cow()?.as_bytes().to_vec()
    } else {
        return Err(PyTypeError::new_err("body must be bytes or str"));
    };
    Ok(odeme::sign::iyzico_auth_header(
        api_key, secret_key, random_key, uri_path, &bytes,
    ))
}

/// iyzico response signature: hex HMAC-SHA256 of the fields joined by ':'.
#[pyfunction]
fn iyzico_signature(
    py: Python<'_>,
    secret_key: &str,
    fields: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let fields = strings(py, fields, "fields")?;
    Ok(odeme::sign::iyzico_signature(secret_key, &fields))
}

/// The declared operations: a list of dicts `{"name", "provider", "sends", "reconcile_with",
/// "reconcile_by"}`.
#[pyfunction]
fn operations(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let list = serde_json::to_value(odeme::operations()).unwrap_or(Value::Null);
    to_py(py, &list)
}

// ---- webhooks and the payment journal (issue 13) ------------------------------------------

/// Verify a webhook delivery over the raw body and the headers as received (a mapping of
/// str to str); returns the response dict. No network I/O (the journal write, if any, is a
/// short local transaction), but the GIL is released anyway.
#[pyfunction]
fn verify_webhook<'py>(
    py: Python<'py>,
    client: &Client,
    provider: &str,
    headers: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let body: Vec<u8> = match body.cast::<PyBytes>() {
        Ok(b) => b.as_bytes().to_vec(),
        Err(_) => {
            return Err(invalid(
                py,
                ErrorKind::InvalidArgument,
                "body",
                "must be bytes (the raw request body, exactly as received)",
            ))
        }
    };
    let items = headers.call_method0("items").map_err(|_| {
        invalid(
            py,
            ErrorKind::InvalidArgument,
            "headers",
            "must be a mapping of str to str",
        )
    })?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    for item in items.try_iter()? {
        let (k, v): (String, String) = item?.extract().map_err(|_| {
            invalid(
                py,
                ErrorKind::InvalidArgument,
                "headers",
                "must be a mapping of str to str",
            )
        })?;
        pairs.push((k, v));
    }
    let client = client.inner.clone();
    let provider = provider.to_owned();
    let result = py.detach(move || {
        client
            .verify_webhook(&provider, &pairs, &body)
            .map(|r| r.to_json())
    });
    match result {
        Ok(json) => to_py(py, &json),
        Err(e) => Err(raise(py, &e)),
    }
}

/// The journal's unresolved rows (a list of dicts); ConfigError without a journal.
#[pyfunction]
fn pending<'py>(py: Python<'py>, client: &Client) -> PyResult<Bound<'py, PyAny>> {
    let client = client.inner.clone();
    let result = py.detach(move || {
        client
            .pending()
            .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
    });
    match result {
        Ok(json) => to_py(py, &json),
        Err(e) => Err(raise(py, &e)),
    }
}

/// Reconcile the journal's unresolved rows (network I/O, GIL released); returns them as they
/// now are. ConfigError without a journal.
#[pyfunction]
fn reconcile<'py>(py: Python<'py>, client: &Client) -> PyResult<Bound<'py, PyAny>> {
    let client = client.inner.clone();
    let result = py.detach(move || {
        client
            .reconcile()
            .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
    });
    match result {
        Ok(json) => to_py(py, &json),
        Err(e) => Err(raise(py, &e)),
    }
}

#[pymodule]
fn _odeme(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(verify_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(pending, m)?)?;
    m.add_function(wrap_pyfunction!(reconcile, m)?)?;
    m.add_function(wrap_pyfunction!(operations, m)?)?;
    m.add("__version__", odeme::VERSION)?;
    m.add_class::<Client>()?;
    m.add_function(wrap_pyfunction!(paymes_hash, m)?)?;
    m.add_function(wrap_pyfunction!(iyzico_auth_header, m)?)?;
    m.add_function(wrap_pyfunction!(iyzico_signature, m)?)?;
    Ok(())
}
