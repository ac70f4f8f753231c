//! `odeme._odeme`: the native half of the Python package. It wraps the core directly (no C ABI
//! in between), converts Python data to JSON without floats, releases the GIL for every network
//! call, and raises the exception classes of `odeme._errors`.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde_json::Number;
use zeroize::Zeroizing;

mod logging;

use odeme::secret::WipingBuf;
use odeme::{Error, ErrorKind};

/// The module's own memory (request texts, replies, responses) comes from mimalloc, not from the
/// C heap the interpreter shares (secrets are still wiped before their memory is freed). Measured
/// twice: B0 went from 1.39x to 1.31–1.34x the floor when it came in, but a later A/B of the same
/// wheel with and without it (separate processes, interleaved) showed no difference (394 vs
/// 390 µs wall, 167 vs 171 µs CPU per call); it stays until a steadier machine settles it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let e = match kind {
        ErrorKind::InvalidRequest => Error::invalid_field(field, problem),
        ErrorKind::InvalidArgument => Error::invalid_argument_field(field, problem),
        ErrorKind::Config => Error::config_field(field, problem),
        _ => Error::new(kind, format!("{field}: {problem}")),
    };
    raise(py, &e)
}

/// Whether `text` is a JSON number (the digits written into a request as they are).
fn number(text: &str) -> bool {
    serde_json::from_str::<Number>(text).is_ok()
}

/// Nesting limit for dicts and lists from Python: a value reaching this many levels is refused
/// (serde_json's parser limit, the same rule as a request given as JSON text).
const MAX_DEPTH: usize = odeme::validate::MAX_DEPTH;
/// Cap on a config given as a dict (a CA bundle fits many times over).
const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;
/// Integers wider than this are refused before their digits are ever written out.
const MAX_INT_BITS: u64 = 256;
/// Decimals whose plain notation would be longer than this many digits are refused.
const MAX_DECIMAL_EXPONENT: i64 = 1000;

/// What a Python value can be refused for. The caller decides the error kind: a request and a
/// config differ on values (`invalid_request` vs `config`), not on shape.
enum Fault {
    /// Too deep, not valid Unicode: `invalid_argument` everywhere.
    Argument(String, &'static str),
    /// Unsupported type, non-str key: `invalid_argument` in a request, `config` in a config.
    Shape(String, &'static str),
    /// A value odeme cannot take (float, huge int, NaN, over the size limit).
    Value(String, String),
    /// Python itself failed (MemoryError, KeyboardInterrupt, ...): passed through.
    Python(PyErr),
}

impl From<PyErr> for Fault {
    fn from(e: PyErr) -> Fault {
        Fault::Python(e)
    }
}

/// One step of the path to the value being converted; formatted only when something is refused.
enum Seg<'py> {
    Key(Bound<'py, PyString>),
    Index(usize),
}

/// Python data → JSON text, exactly and boundedly: ints and Decimals keep their digits, floats
/// are refused, nesting is below [`MAX_DEPTH`], the JSON size at most `budget` (checked before a
/// string is copied), and no method of the caller's objects is ever called (so no caller code
/// runs, and nothing but the errors above can come out).
struct ToJson<'py> {
    root: &'static str,
    budget: u64,
    used: u64,
    path: Vec<Seg<'py>>,
    /// The JSON text written so far (it may hold a card number and CVC: wiped, growth too).
    out: WipingBuf,
    decimal: Bound<'py, PyType>,
    int: Bound<'py, PyType>,
}

impl<'py> ToJson<'py> {
    fn new(py: Python<'py>, root: &'static str, budget: u64) -> PyResult<ToJson<'py>> {
        let decimal = DECIMAL
            .get_or_try_init(py, || -> PyResult<Py<PyType>> {
                Ok(py
                    .import("decimal")?
                    .getattr("Decimal")?
                    .cast_into::<PyType>()?
                    .unbind())
            })?
            .bind(py)
            .clone();
        Ok(ToJson {
            root,
            budget,
            used: 0,
            path: Vec::new(),
            out: WipingBuf::with_capacity(2048),
            decimal,
            int: py.get_type::<PyInt>(),
        })
    }

    /// The path of the value being converted, e.g. `buyer.address[2]` (at most 512 bytes).
    fn here(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(&k.to_string_lossy());
                }
                Seg::Index(i) => out.push_str(&format!("[{i}]")),
            }
            if out.len() > 512 {
                let mut cut = 512;
                while !out.is_char_boundary(cut) {
                    cut -= 1;
                }
                out.truncate(cut);
                out.push('…');
                break;
            }
        }
        if out.is_empty() {
            self.root.to_owned()
        } else {
            out
        }
    }

    #[inline]
    fn spend(&mut self, n: u64) -> Result<(), Fault> {
        self.used = self.used.saturating_add(n);
        if self.used > self.budget {
            return Err(self.over_budget());
        }
        Ok(())
    }

    #[cold]
    fn over_budget(&self) -> Fault {
        let problem = if self.root == "(config)" {
            format!("is larger than {} bytes", self.budget)
        } else {
            format!("is larger than max_request_bytes ({} bytes)", self.budget)
        };
        Fault::Value(self.root.to_owned(), problem)
    }

    /// Write `bytes` (JSON punctuation, or digits already checked to be a number).
    #[inline]
    fn raw(&mut self, bytes: &[u8]) -> Result<(), Fault> {
        self.out.push(bytes);
        Ok(())
    }

    fn unwritable(&self) -> Fault {
        Fault::Argument(self.here(), "could not be written as JSON")
    }

    /// A str as a JSON string (escaped by serde_json).
    fn text(&mut self, s: &Bound<'py, PyString>) -> Result<(), Fault> {
        // A str has at least as many UTF-8 bytes as code points: refuse before copying.
        let chars = s.len()?;
        self.spend(chars as u64 + 2)?;
        // Its UTF-8 text as Python holds it (an ASCII str is its own UTF-8; any other keeps its
        // UTF-8 with it): no copy to make, and none on the Rust side to wipe afterwards.
        let text = s
            .to_str()
            .map_err(|_| Fault::Argument(self.here(), "is not valid Unicode (a lone surrogate)"))?;
        if text.len() > chars {
            self.spend((text.len() - chars) as u64)?;
        }
        if !needs_escape(text) {
            // What serde_json would write: the text between quotes, as it is.
            self.out.push(b"\"");
            self.out.push(text.as_bytes());
            self.out.push(b"\"");
            return Ok(());
        }
        serde_json::to_writer(&mut self.out, text).map_err(|_| self.unwritable())
    }

    fn value_fault(&self, problem: &str) -> Fault {
        Fault::Value(self.here(), problem.to_owned())
    }

    /// `text` if it is a JSON number, else the `problem`.
    fn digits(&mut self, text: &str, problem: &str) -> Result<(), Fault> {
        self.spend(text.len() as u64)?;
        if !number(text) {
            return Err(self.value_fault(problem));
        }
        self.raw(text.as_bytes())
    }

    fn convert(&mut self, obj: &Bound<'py, PyAny>, depth: usize) -> Result<(), Fault> {
        // The common case first (a str is never also a bool, int, float or Decimal).
        if let Ok(s) = obj.cast::<PyString>() {
            return self.text(s);
        }
        if obj.is_none() {
            self.spend(4)?;
            return self.raw(b"null");
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            self.spend(5)?;
            return self.raw(if b.is_true() { b"true" } else { b"false" });
        }
        if obj.is_instance_of::<PyInt>() {
            if let Ok(n) = obj.extract::<i64>() {
                self.spend(20)?;
                return serde_json::to_writer(&mut self.out, &n).map_err(|_| self.unwritable());
            }
            let bits: u64 = self.int.getattr("bit_length")?.call1((obj,))?.extract()?;
            if bits > MAX_INT_BITS {
                return Err(self.value_fault("integer out of range"));
            }
            // int.__repr__, not the object's own __str__ (an int subclass may override it).
            let text: String = self.int.getattr("__repr__")?.call1((obj,))?.extract()?;
            return self.digits(&text, "integer out of range");
        }
        if obj.is_instance_of::<PyFloat>() {
            return Err(self.value_fault(
                "is a float, which cannot hold money exactly; pass a str, int or decimal.Decimal",
            ));
        }
        if obj.is_instance(&self.decimal)? {
            return self.decimal(obj);
        }
        if depth + 1 >= MAX_DEPTH
            && (obj.is_instance_of::<PyDict>()
                || obj.is_instance_of::<PyList>()
                || obj.is_instance_of::<PyTuple>())
        {
            return Err(Fault::Argument(
                self.here(),
                "reaches the nesting limit (128 levels)",
            ));
        }
        if let Ok(d) = obj.cast::<PyDict>() {
            // A snapshot of the items (collecting them runs no caller code), so a value whose
            // conversion runs Python code cannot change the dict under the loop.
            let items: Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)> = d.iter().collect();
            self.spend(2 + (items.len() as u64).saturating_sub(1))?;
            self.raw(b"{")?;
            for (i, (k, v)) in items.into_iter().enumerate() {
                let Ok(k) = k.cast_into::<PyString>() else {
                    return Err(Fault::Shape(self.here(), "has a key that is not a str"));
                };
                if i > 0 {
                    self.raw(b",")?;
                }
                match self.text(&k) {
                    Err(Fault::Argument(..)) => {
                        return Err(Fault::Argument(
                            self.here(),
                            "has a key that is not valid Unicode (a lone surrogate)",
                        ))
                    }
                    other => other?,
                }
                self.spend(1)?;
                self.raw(b":")?;
                self.path.push(Seg::Key(k));
                self.convert(&v, depth + 1)?;
                self.path.pop();
            }
            return self.raw(b"}");
        }
        let seq = if let Ok(l) = obj.cast::<PyList>() {
            Some(l.to_tuple())
        } else {
            obj.cast::<PyTuple>().ok().cloned()
        };
        if let Some(items) = seq {
            self.spend(2 + (items.len() as u64).saturating_sub(1))?;
            self.raw(b"[")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    self.raw(b",")?;
                }
                self.path.push(Seg::Index(i));
                self.convert(&item, depth + 1)?;
                self.path.pop();
            }
            return self.raw(b"]");
        }
        Err(Fault::Shape(
            self.here(),
            "has an unsupported type (use dict, list, str, int, bool, None or decimal.Decimal)",
        ))
    }

    /// A Decimal, through the methods of `decimal.Decimal` itself (never a subclass's).
    fn decimal(&mut self, obj: &Bound<'py, PyAny>) -> Result<(), Fault> {
        let class = self.decimal.clone();
        if !class.getattr("is_finite")?.call1((obj,))?.is_truthy()? {
            return Err(self.value_fault("is not a finite decimal"));
        }
        let exponent: i64 = class
            .getattr("as_tuple")?
            .call1((obj,))?
            .getattr("exponent")?
            .extract()?;
        let adjusted: i64 = class.getattr("adjusted")?.call1((obj,))?.extract()?;
        if exponent < -MAX_DECIMAL_EXPONENT || adjusted > MAX_DECIMAL_EXPONENT {
            return Err(self.value_fault("is out of range"));
        }
        let text: String = class.getattr("__format__")?.call1((obj, "f"))?.extract()?;
        self.digits(&text, "is not a decimal amount")
    }

    /// Convert `obj` and return the whole text (wiped when dropped).
    fn run(mut self, obj: &Bound<'py, PyAny>) -> Result<Zeroizing<String>, Fault> {
        self.convert(obj, 0)?;
        let bytes = std::mem::take(&mut self.out).into_vec();
        // Only str slices and ASCII were written: always UTF-8.
        String::from_utf8(bytes).map(Zeroizing::new).map_err(|e| {
            drop(Zeroizing::new(e.into_bytes()));
            self.unwritable()
        })
    }
}

/// A request dict → JSON text, or the odeme error naming the part at fault.
fn request_to_json(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    budget: u64,
) -> PyResult<Zeroizing<String>> {
    ToJson::new(py, "(request)", budget)?
        .run(obj)
        .map_err(|f| match f {
            Fault::Argument(field, problem) | Fault::Shape(field, problem) => {
                invalid(py, ErrorKind::InvalidArgument, &field, problem)
            }
            Fault::Value(field, problem) => {
                invalid(py, ErrorKind::InvalidRequest, &field, &problem)
            }
            Fault::Python(e) => python_fault(py, e, "(request)"),
        })
}

/// A config dict → JSON text: a value the converter refuses is a `config` error naming the key.
fn config_to_json(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Zeroizing<String>> {
    ToJson::new(py, "(config)", MAX_CONFIG_BYTES)?
        .run(obj)
        .map_err(|f| match f {
            Fault::Argument(field, problem) => {
                invalid(py, ErrorKind::InvalidArgument, &field, problem)
            }
            Fault::Shape(field, problem) => invalid(py, ErrorKind::Config, &field, problem),
            Fault::Value(field, problem) => invalid(py, ErrorKind::Config, &field, &problem),
            Fault::Python(e) => python_fault(py, e, "(config)"),
        })
}

/// A Python exception met while reading caller data. `BaseException`s that are not `Exception`s
/// (KeyboardInterrupt, SystemExit) and odeme's own errors pass through; anything else is an
/// `invalid_argument` naming `what` (the converter calls no caller code, so this is a value
/// Python itself could not read).
fn python_fault(py: Python<'_>, e: PyErr, what: &str) -> PyErr {
    let is_exception = e.is_instance_of::<pyo3::exceptions::PyException>(py);
    let is_odeme = py
        .import("odeme._errors")
        .and_then(|m| m.getattr("OdemeError"))
        .ok()
        .map(|c| e.value(py).is_instance(&c).unwrap_or(false))
        .unwrap_or(false);
    if !is_exception || is_odeme {
        return e;
    }
    let name = e
        .get_type(py)
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "exception".into());
    invalid(
        py,
        ErrorKind::InvalidArgument,
        what,
        &format!("could not be read ({name})"),
    )
}

/// A str argument (operation name, key, part) or the `invalid_argument` naming it.
fn str_arg(py: Python<'_>, obj: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    str_ref(py, obj, name).map(str::to_owned)
}

/// [`str_arg`] read in place: the str's own UTF-8 (an ASCII str is its own UTF-8; Python keeps
/// any other str's UTF-8 with the str), valid as long as `obj` is held.
fn str_ref<'a>(py: Python<'_>, obj: &'a Bound<'_, PyAny>, name: &str) -> PyResult<&'a str> {
    let s = obj
        .cast::<PyString>()
        .map_err(|_| invalid(py, ErrorKind::InvalidArgument, name, "must be a str"))?;
    s.to_str().map_err(|_| {
        invalid(
            py,
            ErrorKind::InvalidArgument,
            name,
            "is not valid Unicode (a lone surrogate)",
        )
    })
}

/// Whole numbers with more digits than this stay strings (Python's int() refuses ~4300).
const MAX_INT_DIGITS: usize = 4000;

/// Anything odeme serialises (a response, the operations, journal rows, a reconcile request) as
/// Python objects, through its JSON text: whole numbers become int, any other number its exact
/// digits as str (never a float).
fn to_py<'py, T: serde::Serialize + ?Sized>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(v).map_err(|_| {
        raise(
            py,
            &Error::new(ErrorKind::Internal, "could not convert a value for Python"),
        )
    })?;
    json_to_py(py, &text)
}

fn number_to_py<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    Ok(if let Ok(i) = text.parse::<i64>() {
        i.into_pyobject(py)?.into_any()
    } else if text.len() <= MAX_INT_DIGITS && text.bytes().all(|b| b.is_ascii_digit() || b == b'-')
    {
        py.get_type::<PyInt>().call1((text,))?
    } else {
        PyString::new(py, text).into_any()
    })
}

/// A response as a dict `{"operation", "outcome", "provider_reference", "raw"}`, built in one
/// pass over the response's JSON text (`raw` is the reply's own text inside it).
fn response_to_py<'py>(py: Python<'py>, r: &odeme::Response) -> PyResult<Bound<'py, PyAny>> {
    match r.to_json_text() {
        Some(text) => json_to_py(py, &text),
        None => Err(raise(
            py,
            &Error::new(ErrorKind::Internal, "could not convert the response"),
        )),
    }
}
/// JSON text (odeme's own output: a response, the operations, journal rows) → Python objects
/// in one pass, each value made as it is read, with no tree in between. Whole numbers become
/// int, any other number the str of its digits exactly as written (never a float); strings are
/// unescaped as JSON says (a lone surrogate is not JSON); nesting stops at 128 levels, as
/// serde_json's parser does. Anything that is not one JSON value is a `decode` error.
fn json_to_py<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    // The key cache, unless a json_to_py further up this thread holds it (a finaliser run by
    // the garbage collector may call back into odeme): then this read makes its own keys.
    let keys = KEYS.try_lock().ok();
    let mut reader = PyReader {
        py,
        text,
        at: 0,
        keys,
    };
    let read = reader.value(0).and_then(|v| {
        reader.space();
        if reader.at == text.len() {
            Ok(v)
        } else {
            Err(Unread::NotJson)
        }
    });
    read.map_err(|e| match e {
        Unread::NotJson => not_json(py),
        Unread::Python(e) => e,
    })
}

fn not_json(py: Python<'_>) -> PyErr {
    raise(
        py,
        &Error::new(ErrorKind::Decode, "the response is not JSON"),
    )
}

/// Why [`PyReader`] stopped.
enum Unread {
    NotJson,
    /// Python could not make an object (out of memory).
    Python(PyErr),
}

impl From<PyErr> for Unread {
    fn from(e: PyErr) -> Unread {
        Unread::Python(e)
    }
}

/// The reader of [`json_to_py`].
struct PyReader<'t, 'py> {
    py: Python<'py>,
    text: &'t str,
    at: usize,
    keys: Option<std::sync::MutexGuard<'static, KeyCache>>,
}

/// Whether any byte of `w` is a quote, a backslash or below 0x20 (the bytes that end the plain
/// run of a JSON string). Exact: each test is the classic "has a zero byte" / "has a byte less
/// than n" word test, which never reports a byte that is not there.
#[inline]
fn special_byte(w: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let quote = zero(w ^ (ONES * b'"' as u64));
    let backslash = zero(w ^ (ONES * b'\\' as u64));
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    quote | backslash | control != 0
}

/// Whether JSON needs any byte of `text` escaped (a quote, a backslash or a control byte), as
/// serde_json escapes them; eight bytes at a time.
#[inline]
fn needs_escape(text: &str) -> bool {
    let b = text.as_bytes();
    let mut words = b.chunks_exact(8);
    for word in &mut words {
        if special_byte(u64::from_le_bytes(word.try_into().unwrap_or([0; 8]))) {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|&c| c == b'"' || c == b'\\' || c < 0x20)
}

/// Nesting limit of [`json_to_py`] (serde_json's).
const MAX_READ_DEPTH: usize = 128;

impl<'t, 'py> PyReader<'t, 'py> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    #[inline]
    fn space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
        }
    }

    /// Consume `byte` (after any white space) or fail.
    #[inline]
    fn expect(&mut self, byte: u8) -> Result<(), Unread> {
        self.space();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(Unread::NotJson)
        }
    }

    fn value(&mut self, depth: usize) -> Result<Bound<'py, PyAny>, Unread> {
        self.space();
        let py = self.py;
        match self.peek().ok_or(Unread::NotJson)? {
            b'{' => {
                let dict = PyDict::new(py);
                let mut more = self.open(depth, b'}')?;
                while more {
                    self.expect(b'"')?;
                    let key = self.string()?;
                    let key = match self.keys.as_deref_mut() {
                        Some(cache) if key.len() <= MAX_CACHED_KEY => cache.get(py, &key),
                        _ => PyString::new(py, &key),
                    };
                    self.expect(b':')?;
                    let value = self.value(depth + 1)?;
                    dict.set_item(key, value)?;
                    more = self.next_member(b'}')?;
                }
                Ok(dict.into_any())
            }
            b'[' => {
                let list = PyList::empty(py);
                let mut more = self.open(depth, b']')?;
                while more {
                    list.append(self.value(depth + 1)?)?;
                    more = self.next_member(b']')?;
                }
                Ok(list.into_any())
            }
            b'"' => {
                self.at += 1;
                let s = self.string()?;
                Ok(PyString::new(py, &s).into_any())
            }
            b't' => self.word("true", || PyBool::new(py, true).to_owned().into_any()),
            b'f' => self.word("false", || PyBool::new(py, false).to_owned().into_any()),
            b'n' => self.word("null", || py.None().into_bound(py)),
            b'-' | b'0'..=b'9' => {
                let digits = self.number()?;
                Ok(number_to_py(py, digits)?)
            }
            _ => Err(Unread::NotJson),
        }
    }

    /// Enter an object or array (its opening byte is next) at `depth`: whether a member follows
    /// (`false`: it was empty, and `close` has been read).
    fn open(&mut self, depth: usize, close: u8) -> Result<bool, Unread> {
        if depth >= MAX_READ_DEPTH {
            return Err(Unread::NotJson);
        }
        self.at += 1;
        self.space();
        if self.peek() == Some(close) {
            self.at += 1;
            return Ok(false);
        }
        Ok(true)
    }

    /// After a member: `true` when a comma says another follows, `false` once `close` is read.
    fn next_member(&mut self, close: u8) -> Result<bool, Unread> {
        self.space();
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                Ok(true)
            }
            Some(c) if c == close => {
                self.at += 1;
                Ok(false)
            }
            _ => Err(Unread::NotJson),
        }
    }

    fn word(
        &mut self,
        word: &str,
        make: impl FnOnce() -> Bound<'py, PyAny>,
    ) -> Result<Bound<'py, PyAny>, Unread> {
        if self.text.as_bytes()[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(make())
        } else {
            Err(Unread::NotJson)
        }
    }

    /// A JSON number's text, exactly as written (checked against JSON's grammar).
    fn number(&mut self) -> Result<&'t str, Unread> {
        let text = self.text;
        let b = text.as_bytes();
        let start = self.at;
        let mut i = start;
        let digits = |i: &mut usize| {
            let from = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i > from
        };
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                digits(&mut i);
            }
            _ => return Err(Unread::NotJson),
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !digits(&mut i) {
                return Err(Unread::NotJson);
            }
        }
        if let Some(b'e' | b'E') = b.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            if !digits(&mut i) {
                return Err(Unread::NotJson);
            }
        }
        self.at = i;
        Ok(&text[start..i])
    }

    /// The rest of a string whose opening quote has been read, unescaped.
    fn string(&mut self) -> Result<std::borrow::Cow<'t, str>, Unread> {
        let text = self.text;
        let b = text.as_bytes();
        let start = self.at;
        let mut i = start;
        // The common case: no escape, borrowed as it is. Eight bytes at a time while none of
        // them is a quote, a backslash or a control byte (the bytewise loop below decides).
        while let Some(word) = b.get(i..i + 8) {
            let w = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
            if special_byte(w) {
                break;
            }
            i += 8;
        }
        loop {
            match b.get(i) {
                Some(b'"') => {
                    self.at = i + 1;
                    return Ok(std::borrow::Cow::Borrowed(&text[start..i]));
                }
                Some(b'\\') => break,
                Some(c) if *c < 0x20 => return Err(Unread::NotJson),
                Some(_) => i += 1,
                None => return Err(Unread::NotJson),
            }
        }
        let mut out = String::with_capacity(i - start + 16);
        out.push_str(&text[start..i]);
        loop {
            match b.get(i) {
                Some(b'"') => {
                    self.at = i + 1;
                    return Ok(std::borrow::Cow::Owned(out));
                }
                Some(b'\\') => {
                    let escaped = *b.get(i + 1).ok_or(Unread::NotJson)?;
                    i += 2;
                    let c = match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hex = |at: usize| -> Result<u32, Unread> {
                                let h = text.get(at..at + 4).ok_or(Unread::NotJson)?;
                                if !h.bytes().all(|c| c.is_ascii_hexdigit()) {
                                    return Err(Unread::NotJson);
                                }
                                u32::from_str_radix(h, 16).map_err(|_| Unread::NotJson)
                            };
                            let first = hex(i)?;
                            i += 4;
                            let code = match first {
                                0xD800..=0xDBFF => {
                                    // A leading surrogate must be followed by its trailing one.
                                    if b.get(i..i + 2) != Some(b"\\u") {
                                        return Err(Unread::NotJson);
                                    }
                                    let second = hex(i + 2)?;
                                    if !(0xDC00..=0xDFFF).contains(&second) {
                                        return Err(Unread::NotJson);
                                    }
                                    i += 6;
                                    0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                                }
                                0xDC00..=0xDFFF => return Err(Unread::NotJson),
                                c => c,
                            };
                            char::from_u32(code).ok_or(Unread::NotJson)?
                        }
                        _ => return Err(Unread::NotJson),
                    };
                    out.push(c);
                }
                Some(c) if *c < 0x20 => return Err(Unread::NotJson),
                Some(_) => {
                    // Up to the next quote or escape, copied whole (UTF-8 stays intact: both
                    // are ASCII, so they never fall inside a multi-byte character).
                    let from = i;
                    while b
                        .get(i)
                        .is_some_and(|c| *c != b'"' && *c != b'\\' && *c >= 0x20)
                    {
                        i += 1;
                    }
                    out.push_str(&text[from..i]);
                }
                None => return Err(Unread::NotJson),
            }
        }
    }
}

/// Map keys already made as Python strs, in a fixed number of slots chosen by the key's hash
/// (as orjson and pydantic's jiter cache keys). A reply repeats its keys (every item of a list
/// has the same ones) and replies of one kind share them, so most keys are found here; keys
/// that share a slot only miss, and the cache never holds more than its slots.
struct KeyCache {
    slots: Vec<Option<(Box<str>, Py<PyString>)>>,
    hasher: foldhash::fast::RandomState,
}

impl KeyCache {
    fn new() -> KeyCache {
        KeyCache {
            slots: std::iter::repeat_with(|| None).take(KEY_SLOTS).collect(),
            hasher: Default::default(),
        }
    }

    fn get<'py>(&mut self, py: Python<'py>, key: &str) -> Bound<'py, PyString> {
        use std::hash::BuildHasher;
        let hash = self.hasher.hash_one(key);
        let slot = &mut self.slots[(hash >> (64 - KEY_SLOTS.trailing_zeros())) as usize];
        if let Some((k, s)) = slot {
            if **k == *key {
                return s.bind(py).clone();
            }
        }
        let s = PyString::new(py, key);
        *slot = Some((key.into(), s.clone().unbind()));
        s
    }
}

static KEYS: std::sync::LazyLock<std::sync::Mutex<KeyCache>> =
    std::sync::LazyLock::new(|| std::sync::Mutex::new(KeyCache::new()));
/// Keys longer than this are not cached (field names are short).
const MAX_CACHED_KEY: usize = 48;
/// The cache's slots (a power of two).
const KEY_SLOTS: usize = 512;

/// An odeme client. Immutable; share it between threads.
#[pyclass(frozen, module = "odeme._odeme")]
struct Client {
    inner: Arc<odeme::Client>,
}

#[pymethods]
impl Client {
    #[new]
    fn new(py: Python<'_>, config: &Bound<'_, PyAny>) -> PyResult<Client> {
        let result = if config.is_instance_of::<PyString>() {
            let text = str_arg(py, config, "config")?;
            odeme::Client::from_json(&text)
        } else {
            odeme::Client::from_json(&config_to_json(py, config)?)
        };
        let client = result.map_err(|e| raise(py, &e))?;
        logging::install(&client).map_err(|e| raise(py, &e))?;
        Ok(Client {
            inner: Arc::new(client),
        })
    }

    /// Run `operation` with `request` (a dict); returns the response dict. Releases the GIL.
    fn call<'py>(
        &self,
        py: Python<'py>,
        operation: &Bound<'py, PyAny>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let operation = str_ref(py, operation, "operation")?;
        let budget = self.inner.config().max_request_bytes;
        let text = request_to_json(py, request, budget).inspect_err(|e| {
            // Name the operation on conversion errors too (only a declared one: the name
            // comes from the caller).
            if odeme::operations().iter().any(|o| o.name == operation) {
                if let Ok(v) = e.value(py).getattr("operation") {
                    if v.is_none() {
                        let _ = e.value(py).setattr("operation", operation);
                    }
                }
            }
        })?;
        let client = &self.inner;
        logging::sync_level(py, client);
        // The text (which may hold a card number) is wiped when the closure drops it. The
        // response is written as JSON text there too, without the GIL.
        let result = py.detach(move || client.call_json(operation, &text));
        match result {
            Ok(text) => json_to_py(py, &text),
            Err(e) => Err(raise(py, &e)),
        }
    }

    /// Run `operation` with `request` given as JSON text; returns the response as JSON text
    /// (the same object `call` returns, as odeme writes it). Releases the GIL.
    fn call_json(
        &self,
        py: Python<'_>,
        operation: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let operation = str_ref(py, operation, "operation")?;
        // Read in place: the caller's str outlives the call and a str never changes, so odeme
        // makes no copy of what may hold a card number.
        let text = str_ref(py, request, "request")?;
        let client = &self.inner;
        logging::sync_level(py, client);
        let result = py.detach(|| client.call_json(operation, text));
        result.map_err(|e| raise(py, &e))
    }

    fn __repr__(&self) -> &'static str {
        "odeme._odeme.Client(<configured>)"
    }
}

fn strings(py: Python<'_>, items: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<String>> {
    if items.is_instance_of::<PyString>() || items.is_instance_of::<PyBytes>() {
        return Err(invalid(
            py,
            ErrorKind::InvalidArgument,
            name,
            "must be a list of str, not a single string",
        ));
    }
    let iter = items.try_iter().map_err(|_| {
        invalid(
            py,
            ErrorKind::InvalidArgument,
            name,
            "must be a list of str",
        )
    })?;
    let mut out = Vec::new();
    for (i, item) in iter.enumerate() {
        let item = item.map_err(|e| python_fault(py, e, name))?;
        out.push(str_arg(py, &item, &format!("{name}[{i}]"))?);
    }
    Ok(out)
}

/// Paymes: base64(sha512(parts... + secret_key)).
#[pyfunction]
fn paymes_hash(
    py: Python<'_>,
    parts: &Bound<'_, PyAny>,
    secret_key: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let parts = strings(py, parts, "parts")?;
    let secret_key = str_arg(py, secret_key, "secret_key")?;
    Ok(odeme::sign::paymes_hash(&parts, &secret_key))
}

/// iyzico IYZWSv2 Authorization header value.
#[pyfunction]
fn iyzico_auth_header(
    py: Python<'_>,
    api_key: &Bound<'_, PyAny>,
    secret_key: &Bound<'_, PyAny>,
    random_key: &Bound<'_, PyAny>,
    uri_path: &Bound<'_, PyAny>,
    body: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let api_key = str_arg(py, api_key, "api_key")?;
    let secret_key = str_arg(py, secret_key, "secret_key")?;
    let random_key = str_arg(py, random_key, "random_key")?;
    let uri_path = str_arg(py, uri_path, "uri_path")?;
    let bytes: Vec<u8> = if let Ok(b) = body.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else if body.is_instance_of::<PyString>() {
        str_arg(py, body, "body")?.into_bytes()
    } else {
        return Err(invalid(
            py,
            ErrorKind::InvalidArgument,
            "body",
            "must be bytes or str",
        ));
    };
    Ok(odeme::sign::iyzico_auth_header(
        &api_key,
        &secret_key,
        &random_key,
        &uri_path,
        &bytes,
    ))
}

/// iyzico response signature: hex HMAC-SHA256 of the fields joined by ':'.
#[pyfunction]
fn iyzico_signature(
    py: Python<'_>,
    secret_key: &Bound<'_, PyAny>,
    fields: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let secret_key = str_arg(py, secret_key, "secret_key")?;
    let fields = strings(py, fields, "fields")?;
    Ok(odeme::sign::iyzico_signature(&secret_key, &fields))
}

/// The declared operations: a list of dicts `{"name", "provider", "sends", "reconcile_with",
/// "reconcile_by"}`.
#[pyfunction]
fn operations(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    to_py(py, &odeme::operations())
}

// ---- webhooks and the payment journal (issue 13) ------------------------------------------

/// Verify a webhook delivery over the raw body and the headers as received (a mapping of
/// str to str); returns the response dict. No network I/O (the journal write, if any, is a
/// short local transaction), but the GIL is released anyway.
#[pyfunction]
fn verify_webhook<'py>(
    py: Python<'py>,
    client: &Client,
    provider: &Bound<'py, PyAny>,
    headers: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let provider = str_arg(py, provider, "provider")?;
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
    let items = items
        .try_iter()
        .map_err(|e| python_fault(py, e, "headers"))?;
    for item in items {
        let item = item.map_err(|e| python_fault(py, e, "headers"))?;
        let (k, v): (String, String) = item.extract().map_err(|_| {
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
    let result = py.detach(move || client.verify_webhook(&provider, &pairs, &body));
    match result {
        Ok(r) => response_to_py(py, &r),
        Err(e) => Err(raise(py, &e)),
    }
}

/// The journal's unresolved rows (a list of dicts); ConfigError without a journal.
#[pyfunction]
fn pending<'py>(py: Python<'py>, client: &Client) -> PyResult<Bound<'py, PyAny>> {
    journal_rows(py, client, odeme::Client::pending)
}

/// Reconcile the journal's unresolved rows (network I/O, GIL released); returns them as they
/// now are. ConfigError without a journal.
#[pyfunction]
fn reconcile<'py>(py: Python<'py>, client: &Client) -> PyResult<Bound<'py, PyAny>> {
    journal_rows(py, client, odeme::Client::reconcile)
}

/// Journal rows from `rows` (run with the GIL released) as a list of dicts.
fn journal_rows<'py>(
    py: Python<'py>,
    client: &Client,
    rows: fn(&odeme::Client) -> Result<Vec<odeme::journal::Row>, odeme::Error>,
) -> PyResult<Bound<'py, PyAny>> {
    let client = client.inner.clone();
    logging::sync_level(py, &client);
    let result = py.detach(move || {
        rows(&client).and_then(|r| {
            serde_json::to_value(r).map_err(|_| {
                odeme::Error::new(ErrorKind::Internal, "could not serialize the journal rows")
            })
        })
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
