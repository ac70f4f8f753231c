//! The `odeme-sim` binary: start-up line, control endpoints, shutdown and SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn start(args: &[&str]) -> (std::process::Child, serde_json::Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_odeme-sim"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, serde_json::from_str(&line).unwrap())
}

fn raw_http(base: &str, request: &str) -> String {
    let addr = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

#[test]
fn prints_its_address_and_stops_on_request() {
    let (mut child, first) = start(&[]);
    let base = first["base_url"].as_str().unwrap().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert!(first["ca_file"].is_null());
    let log = raw_http(
        &base,
        "GET /__sim/requests HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(
        log.starts_with("HTTP/1.1 200") && log.ends_with("[]"),
        "{log}"
    );
    let stop = raw_http(&base, "POST /__sim/shutdown HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    assert!(stop.starts_with("HTTP/1.1 200"), "{stop}");
    assert!(child.wait().unwrap().success());
}

#[test]
fn tls_mode_writes_the_ca_and_stops_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("odeme-sim-bin-{}", std::process::id()));
    let (mut child, first) = start(&["--tls", dir.to_str().unwrap()]);
    assert!(first["base_url"]
        .as_str()
        .unwrap()
        .starts_with("https://127.0.0.1:"));
    let ca = std::fs::read_to_string(first["ca_file"].as_str().unwrap()).unwrap();
    assert!(ca.contains("BEGIN CERTIFICATE"));
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(child.wait().unwrap().success());
}
