//! TCP for ureq, with the deadlines kept without a system call on every read and write.
//!
//! ureq's own TCP transport gives the socket the time left (`SO_RCVTIMEO`, `SO_SNDTIMEO`) before
//! each read and write, and since the time left is a little shorter every time, that is one more
//! system call per read and per write. It also checks that a pooled connection is still open by
//! switching the socket to non-blocking, reading, and switching it back: three system calls.
//!
//! Here the socket keeps a timeout that is never longer than the time left, so one set at the
//! start of a call still holds for the next calls; a read or write whose socket timeout runs out
//! while time is left is simply given the exact time left and carried on (nothing is lost: a read
//! that times out read nothing, and a write goes on from the bytes already written). The deadline
//! is the same as ureq's: an operation fails with ureq's timeout when the time it was given has
//! run out, never before. The open check is one non-blocking peek.
//!
//! Writes are sent with the next ones, up to [`COALESCE`] bytes, and at the latest before the
//! next read: a request's head and body (two TLS records) leave in one system call and one TCP
//! segment, so the server wakes once for them instead of twice. ureq always reads the reply
//! after writing a request, so nothing handed over stays unsent.

use std::io::{self, Read, Write};
use std::net::TcpStream;

use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, ShutdownHandle,
    Transport,
};

/// Opens TCP connections whose transport is [`DeadlineTcp`]. Takes the place of ureq's
/// `TcpConnector` in the chain (a CONNECT proxy's own connection comes through it too).
#[derive(Debug, Default)]
pub(crate) struct DeadlineTcpConnector;

impl<In: Transport> Connector<In> for DeadlineTcpConnector {
    type Out = Either<In, DeadlineTcp>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        if let Some(transport) = chained {
            // A proxy's connection is already open.
            return Ok(Some(Either::A(transport)));
        }
        let stream = connect(details)?;
        if details.config.no_delay() {
            stream.set_nodelay(true)?;
        }
        let stream = Arc::new(stream);
        // Registered before any TLS, so that shutting the agent down interrupts a blocked call.
        (details.register_shutdown)(Arc::downgrade(&stream) as Weak<dyn ShutdownHandle>)?;
        Ok(Some(Either::B(DeadlineTcp {
            stream,
            buffers: LazyBuffers::new(
                details.config.input_buffer_size(),
                details.config.output_buffer_size(),
            ),
            read_timeout: None,
            write_timeout: None,
            pending: Vec::new(),
            just_read: false,
        })))
    }
}

/// Connect to the first address that answers within the connect deadline. Each address but the
/// last gets half of the time left, the last all of it (so one address gets the whole budget).
fn connect(details: &ConnectionDetails) -> Result<TcpStream, ureq::Error> {
    let started = Instant::now();
    let budget = details.timeout.not_zero().map(|d| *d);
    let count = details.addrs.len();
    let mut last = None;
    for (i, addr) in details.addrs.iter().enumerate() {
        let attempt = match budget {
            None => TcpStream::connect(addr),
            Some(budget) => {
                let left = budget.saturating_sub(started.elapsed());
                if left.is_zero() {
                    return Err(ureq::Error::Timeout(details.timeout.reason));
                }
                let share = if i + 1 == count { left } else { left / 2 };
                TcpStream::connect_timeout(addr, share.max(Duration::from_millis(10)))
            }
        };
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(e) if timed_out(&e) => {
                // As ureq: the whole budget spent is the deadline's own timeout; otherwise this
                // address's share ran out, and the next one is tried.
                if budget.is_some_and(|b| started.elapsed() >= b) {
                    return Err(ureq::Error::Timeout(details.timeout.reason));
                }
                last = Some(ureq::Error::Timeout(ureq::Timeout::Connect));
            }
            // This address said no, or cannot be reached from here: try the next one.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionRefused
                        | io::ErrorKind::HostUnreachable
                        | io::ErrorKind::NetworkUnreachable
                        | io::ErrorKind::AddrNotAvailable
                ) =>
            {
                last = Some(ureq::Error::Io(e));
            }
            Err(e) => return Err(ureq::Error::Io(e)),
        }
    }
    Err(last.unwrap_or_else(|| {
        ureq::Error::Io(io::Error::new(
            io::ErrorKind::ConnectionRefused,
            "no address to connect to",
        ))
    }))
}

/// A TCP connection whose socket timeouts are set only when the time left is shorter than them.
pub(crate) struct DeadlineTcp {
    stream: Arc<TcpStream>,
    buffers: LazyBuffers,
    /// The socket's `SO_RCVTIMEO` and `SO_SNDTIMEO` as last set (`None`: blocking).
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
    /// Bytes handed over and not yet written (sent with the next ones or before the next read;
    /// wiped once written: over plain HTTP they are the request itself).
    pending: Vec<u8>,
    /// The last operation was a read: the next open check is the one made as the connection goes
    /// back to the pool (see `is_open`).
    just_read: bool,
}

/// Up to this many bytes wait for the next write (a request's head and body, in one segment).
pub(crate) const COALESCE: usize = 16 * 1024;

impl Drop for DeadlineTcp {
    fn drop(&mut self) {
        crate::secret::wipe(&mut self.pending);
    }
}

impl std::fmt::Debug for DeadlineTcp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeadlineTcp")
            .field("peer", &self.stream.peer_addr().ok())
            .finish()
    }
}

/// When an operation must end: `None` for never.
fn deadline(timeout: NextTimeout) -> Result<Option<(Instant, ureq::Timeout)>, ureq::Error> {
    if timeout.after.is_not_happening() {
        return Ok(None);
    }
    if timeout.after.is_zero() {
        return Err(ureq::Error::Timeout(timeout.reason));
    }
    Ok(Some((Instant::now() + *timeout.after, timeout.reason)))
}

/// The socket timeout to set before an operation with `left` to go, or `None` when the one set
/// (`current`) still holds: a timeout no longer than `left` can only run out early, and an early
/// one is carried on from. A new one is set a sixteenth short of `left`, so that the next calls,
/// given the same budget, find it still short enough.
fn arm(current: Option<Duration>, left: Duration) -> Option<Duration> {
    match current {
        Some(set) if set <= left => None,
        // Whole milliseconds, so that the same budget gives the same value call after call.
        _ => Some(
            Duration::from_millis((left - left / 16).as_millis() as u64)
                .max(Duration::from_millis(1))
                .min(left),
        ),
    }
}

/// True for a socket timeout running out (`EAGAIN` on Unix, `WSAETIMEDOUT` on Windows).
fn timed_out(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

impl DeadlineTcp {
    /// Write what is pending, then wipe it.
    fn flush(&mut self, deadline: Option<(Instant, ureq::Timeout)>) -> Result<(), ureq::Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut pending = std::mem::take(&mut self.pending);
        let result = write_all(&self.stream, &mut self.write_timeout, &pending, deadline);
        crate::secret::wipe(&mut pending);
        // The buffer is kept (empty) for the next request.
        self.pending = pending;
        result
    }
}

/// Before a read or write: the time left, checked against the socket's timeout (set again
/// only when it is longer than the time left). `exact` sets the time left itself (after an
/// early expiry).
fn prepare(
    stream: &TcpStream,
    current: &mut Option<Duration>,
    deadline: Option<(Instant, ureq::Timeout)>,
    exact: bool,
    set: fn(&TcpStream, Option<Duration>) -> io::Result<()>,
) -> Result<(), ureq::Error> {
    let Some((at, reason)) = deadline else {
        // No deadline: a timeout still set from an earlier call only wakes the loop early.
        return Ok(());
    };
    let left = at.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(ureq::Error::Timeout(reason));
    }
    let new = if exact {
        Some(left)
    } else {
        arm(*current, left)
    };
    if let Some(new) = new {
        set(stream, Some(new))?;
        *current = Some(new);
    }
    Ok(())
}

/// Write all of `bytes` before `deadline`.
fn write_all(
    stream: &TcpStream,
    write_timeout: &mut Option<Duration>,
    bytes: &[u8],
    deadline: Option<(Instant, ureq::Timeout)>,
) -> Result<(), ureq::Error> {
    let mut written = 0;
    let mut exact = false;
    while written < bytes.len() {
        prepare(
            stream,
            write_timeout,
            deadline,
            exact,
            TcpStream::set_write_timeout,
        )?;
        match (&*stream).write(&bytes[written..]) {
            Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero).into()),
            Ok(n) => {
                written += n;
                exact = false;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            // As for a read: carry on with the exact time left, or fail when none is.
            Err(e) if timed_out(&e) => exact = true,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

impl Transport for DeadlineTcp {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.just_read = false;
        let deadline = deadline(timeout.for_write())?;
        if self.pending.len() + amount > COALESCE {
            self.flush(deadline)?;
        }
        let output = &self.buffers.output()[..amount];
        if amount > COALESCE {
            return write_all(&self.stream, &mut self.write_timeout, output, deadline);
        }
        self.pending.extend_from_slice(output);
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let deadline = deadline(timeout.for_read())?;
        self.flush(deadline)?;
        let mut exact = false;
        loop {
            prepare(
                &self.stream,
                &mut self.read_timeout,
                deadline,
                exact,
                TcpStream::set_read_timeout,
            )?;
            match (&*self.stream).read(self.buffers.input_append_buf()) {
                Ok(n) => {
                    self.buffers.input_appended(n);
                    self.just_read = n > 0;
                    return Ok(n > 0);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // The socket's timeout ran out: go on with the exact time left (or fail in
                // `prepare` when none is).
                Err(e) if timed_out(&e) => exact = true,
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn is_open(&mut self) -> bool {
        // ureq asks twice per pooled call: when the reply has been read and the connection goes
        // back to the pool, and when it is taken out for the next call. The first is left to
        // the second, which sees the same things (bytes nobody asked for, or the peer's close)
        // and is the one that counts: it comes just before the connection is used again.
        if std::mem::take(&mut self.just_read) {
            return true;
        }
        still_open(&self.stream)
    }
}

/// A pooled connection is still usable when nothing is waiting on it: no bytes (the server
/// sent something unasked) and no end of stream (it closed). One non-blocking peek.
#[cfg(unix)]
fn still_open(stream: &TcpStream) -> bool {
    use std::os::fd::AsRawFd;
    let mut byte = 0u8;
    // SAFETY: `recv` writes at most one byte into `byte`, which lives across the call, on a
    // socket that `stream` keeps open.
    let n = unsafe {
        libc::recv(
            stream.as_raw_fd(),
            (&mut byte as *mut u8).cast(),
            1,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock
}

/// A pooled connection is still usable when nothing is waiting on it (see the Unix version).
#[cfg(not(unix))]
fn still_open(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let open = matches!(stream.peek(&mut [0u8]), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).is_ok() && open
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn a_socket_timeout_is_set_only_when_longer_than_the_time_left() {
        let s = Duration::from_secs;
        // Nothing set yet: set, a sixteenth short.
        assert_eq!(arm(None, s(16)), Some(s(15)));
        // Set and no longer than the time left: kept (as for the next call with the same budget).
        assert_eq!(arm(Some(s(15)), s(16)), None);
        assert_eq!(arm(Some(s(15)), s(15)), None);
        // Longer than the time left: set again.
        let shorter = Duration::from_millis(14_999);
        assert!(arm(Some(s(15)), shorter).is_some_and(|d| d < shorter));
        // Tiny budgets are never rounded up past the time left.
        let tiny = Duration::from_micros(300);
        assert_eq!(arm(None, tiny), Some(tiny));
    }

    fn pair() -> (DeadlineTcp, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        let tcp = DeadlineTcp {
            stream: Arc::new(client),
            buffers: LazyBuffers::new(4096, 2 * COALESCE),
            read_timeout: None,
            write_timeout: None,
            pending: Vec::new(),
            just_read: false,
        };
        (tcp, server)
    }

    fn within(d: Duration) -> NextTimeout {
        NextTimeout {
            after: d.into(),
            reason: ureq::Timeout::Global,
            ..NextTimeout::default()
        }
    }

    #[test]
    fn a_read_times_out_at_its_deadline_not_at_an_older_shorter_socket_timeout() {
        let (mut tcp, _server) = pair();
        // A socket timeout left from an earlier call, much shorter than this read's budget.
        tcp.stream
            .set_read_timeout(Some(Duration::from_millis(20)))
            .unwrap();
        tcp.read_timeout = Some(Duration::from_millis(20));
        let started = Instant::now();
        let e = tcp
            .await_input(within(Duration::from_millis(400)))
            .unwrap_err();
        assert!(
            matches!(e, ureq::Error::Timeout(ureq::Timeout::Global)),
            "{e:?}"
        );
        assert!(
            started.elapsed() >= Duration::from_millis(400),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn reads_and_writes_within_the_budget_set_the_socket_timeout_once() {
        let (mut tcp, mut server) = pair();
        let budget = within(Duration::from_secs(60));
        let mut first = None;
        for round in 0..3u8 {
            tcp.buffers.output()[..5].copy_from_slice(b"hello");
            tcp.transmit_output(5, budget).unwrap();
            // The reply is waiting already, so the read below does not block (the request is
            // written by that read: see `a_request_head_and_body_leave_together_...`).
            server.write_all(&[round]).unwrap();
            assert!(tcp.await_input(budget).unwrap());
            assert_eq!(tcp.buffers.input(), &[round]);
            tcp.buffers.input_consume(1);
            let mut got = [0u8; 5];
            server.read_exact(&mut got).unwrap();
            assert_eq!(&got, b"hello");
            // Each set on the first round, a sixteenth short of the budget, and kept after. (The
            // write's and the read's are armed a moment apart, so each is checked on its own.)
            let set = (tcp.read_timeout, tcp.write_timeout);
            for armed in [set.0, set.1] {
                let armed = armed.unwrap();
                assert!(armed <= Duration::from_millis(56_250), "{armed:?}");
                assert!(armed > Duration::from_secs(50), "{armed:?}");
            }
            // What the socket holds (the kernel keeps it in its own ticks).
            let held = tcp.stream.read_timeout().unwrap().unwrap();
            assert!(
                held.abs_diff(set.0.unwrap()) < Duration::from_millis(20),
                "{held:?}"
            );
            assert_eq!(*first.get_or_insert(set), set, "round {round}");
        }
    }

    #[test]
    fn a_request_head_and_body_leave_together_before_the_reply_is_read() {
        let (mut tcp, mut server) = pair();
        let budget = within(Duration::from_secs(60));
        for part in [&b"POST /x HTTP/1.1\r\n\r\n"[..], b"{\"body\": 1}"] {
            tcp.buffers.output()[..part.len()].copy_from_slice(part);
            tcp.transmit_output(part.len(), budget).unwrap();
        }
        // Loopback delivers a write within the system call: nothing has been written yet.
        server.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 64];
        assert_eq!(
            server.read(&mut buf).unwrap_err().kind(),
            io::ErrorKind::WouldBlock
        );
        server.write_all(b"ok").unwrap();
        assert!(tcp.await_input(budget).unwrap());
        assert_eq!(tcp.buffers.input(), b"ok");
        // Both parts, written by the read, in one piece.
        let n = server.read(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"POST /x HTTP/1.1\r\n\r\n{\"body\": 1}");
        assert!(tcp.pending.is_empty());
        assert!(tcp.pending.capacity() > 0, "kept for the next request");
    }

    #[test]
    fn a_write_larger_than_the_coalescing_buffer_goes_out_at_once() {
        let (mut tcp, mut server) = pair();
        let budget = within(Duration::from_secs(60));
        tcp.buffers.output()[..3].copy_from_slice(b"abc");
        tcp.transmit_output(3, budget).unwrap();
        let big = COALESCE + 1;
        tcp.buffers.output()[..big].fill(b'z');
        // Sent now: the pending bytes first, then these (the server reads them meanwhile).
        let reader = std::thread::spawn(move || {
            let mut got = vec![0u8; 3 + big];
            server.read_exact(&mut got).unwrap();
            got
        });
        tcp.transmit_output(big, budget).unwrap();
        let got = reader.join().unwrap();
        assert_eq!(&got[..3], b"abc");
        assert!(got[3..].iter().all(|&b| b == b'z'));
        assert!(tcp.pending.is_empty());
    }

    #[test]
    fn an_exhausted_budget_fails_before_any_io() {
        let (mut tcp, _server) = pair();
        let e = tcp.await_input(within(Duration::ZERO)).unwrap_err();
        assert!(matches!(e, ureq::Error::Timeout(_)), "{e:?}");
    }

    #[test]
    fn the_check_as_a_connection_goes_back_to_the_pool_is_left_to_the_one_as_it_comes_out() {
        let (mut tcp, mut server) = pair();
        server.write_all(b"reply").unwrap();
        assert!(tcp.await_input(within(Duration::from_secs(60))).unwrap());
        (&server).write_all(b"x").unwrap();
        tcp.stream.peek(&mut [0u8; 8]).unwrap();
        // Back to the pool: not checked (no system call).
        assert!(tcp.is_open());
        // Out of the pool: checked, and the unasked byte is seen.
        assert!(!tcp.is_open());
        assert!(!tcp.is_open());
    }

    #[test]
    fn the_open_check_sees_a_closed_peer_and_unasked_bytes() {
        let (mut tcp, server) = pair();
        assert!(tcp.is_open());
        (&server).write_all(b"x").unwrap();
        // The byte may take a moment to arrive: wait for it with a blocking peek.
        tcp.stream.peek(&mut [0u8]).unwrap();
        assert!(!tcp.is_open(), "bytes nobody asked for");
        let (mut tcp, server) = pair();
        drop(server);
        // The end of stream arrives as a readable socket: wait for it the same way.
        let _ = tcp.stream.peek(&mut [0u8]);
        assert!(!tcp.is_open(), "the peer closed");
    }
}
