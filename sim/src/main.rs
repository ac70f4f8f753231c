//! `odeme-sim [--listen 127.0.0.1:0] [--tls DIR] [--delay-ms N] [--quiet]`
//!
//! Prints `{"base_url": ..., "ca_file": ...}` as its first line on stdout, logs one line per
//! request to stderr, and stops on `POST /__sim/shutdown`, SIGTERM or Ctrl-C.

use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: odeme-sim [--listen ADDR:PORT] [--tls DIR] [--delay-ms N] [--quiet]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut options = odeme_sim::Options {
        log_requests: true,
        ..odeme_sim::Options::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => match args.next().and_then(|a| a.parse().ok()) {
                Some(addr) => options.listen = addr,
                None => return usage(),
            },
            "--tls" => match args.next() {
                Some(dir) => options.tls_dir = Some(dir.into()),
                None => return usage(),
            },
            "--delay-ms" => match args.next().and_then(|a| a.parse().ok()) {
                Some(ms) => options.delay = std::time::Duration::from_millis(ms),
                None => return usage(),
            },
            "--quiet" => options.log_requests = false,
            "-h" | "--help" => {
                usage();
                return ExitCode::SUCCESS;
            }
            _ => return usage(),
        }
    }
    if let Err(e) = odeme_sim::run_cli(options, &mut std::io::stdout()) {
        eprintln!("odeme-sim: {e}");
        return ExitCode::FAILURE;
    }
    eprintln!("odeme-sim: stopped");
    ExitCode::SUCCESS
}
