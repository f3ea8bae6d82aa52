//! A small blocking HTTP/1.1 client over sockets bound to a chosen loopback source address, so the
//! server (and its rate limiter) sees each kind of traffic as a different client. Raw sockets also
//! let the attacks send a request a byte at a time, which no HTTP client library does.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use base64::Engine;
use socket2::{Domain, Protocol, Socket, Type};

/// How one request ended, as the client saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Outcome {
    Status(u16),
    /// The connection closed, or was reset, before a whole answer arrived.
    Closed,
    /// No answer within the client's patience.
    TimedOut,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Status(status) => write!(f, "{status}"),
            Outcome::Closed => f.write_str("closed"),
            Outcome::TimedOut => f.write_str("timed out"),
        }
    }
}

impl From<io::Error> for Outcome {
    fn from(error: io::Error) -> Outcome {
        match error.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => Outcome::TimedOut,
            _ => Outcome::Closed,
        }
    }
}

/// An answer: status and body.
#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

/// One connection from `from` to the server on 127.0.0.1.
pub(crate) struct Conn {
    stream: TcpStream,
    /// Bytes read past the end of the last answer.
    pending: Vec<u8>,
}

impl Conn {
    /// Connects from `from` (any 127.x.y.z), with `patience` as the longest wait for any read.
    pub(crate) fn open(from: Ipv4Addr, port: u16, patience: Duration) -> io::Result<Conn> {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
        socket.bind(&SocketAddr::from((from, 0)).into())?;
        let server = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        socket.connect_timeout(&server.into(), patience)?;
        let stream: TcpStream = socket.into();
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(patience))?;
        stream.set_write_timeout(Some(patience))?;
        Ok(Conn {
            stream,
            pending: Vec::new(),
        })
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)
    }

    /// Sends a whole request and reads its answer.
    pub(crate) fn send(&mut self, request: &[u8]) -> Result<Response, Outcome> {
        self.write(request)?;
        self.read_response()
    }

    /// Reads one answer (status line, headers, a sized or chunked body).
    pub(crate) fn read_response(&mut self) -> Result<Response, Outcome> {
        let head_end = loop {
            if let Some(at) = find(&self.pending, b"\r\n\r\n") {
                break at + 4;
            }
            self.fill()?;
        };
        let head = String::from_utf8_lossy(&self.pending[..head_end]).to_ascii_lowercase();
        let status = head
            .get(9..12)
            .and_then(|code| code.parse().ok())
            .ok_or(Outcome::Closed)?;
        let mut rest = self.pending.split_off(head_end);
        std::mem::swap(&mut rest, &mut self.pending);
        let body = if let Some(length) = header(&head, "content-length") {
            let length: usize = length.parse().map_err(|_| Outcome::Closed)?;
            self.take(length)?
        } else if header(&head, "transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            self.chunked()?
        } else {
            Vec::new()
        };
        Ok(Response { status, body })
    }

    /// Sends `head` and then `tail` a byte at a time, `pause` apart, until the server answers
    /// (or `give_up` passes): what a client too slow to finish its request looks like.
    pub(crate) fn dribble(
        &mut self,
        head: &[u8],
        tail: &[u8],
        pause: Duration,
        give_up: Duration,
    ) -> Result<Response, Outcome> {
        self.write(head)?;
        self.stream.set_read_timeout(Some(pause))?;
        let started = Instant::now();
        let mut bytes = tail.iter().cycle();
        while started.elapsed() < give_up {
            match self.fill() {
                Ok(()) => break,
                Err(Outcome::TimedOut) => {}
                Err(other) => return Err(other),
            }
            let byte = bytes.next().copied().unwrap_or(b'x');
            if self.stream.write_all(&[byte]).is_err() {
                // The server answered and closed between two bytes: read what it said.
                break;
            }
        }
        self.stream.set_read_timeout(Some(give_up))?;
        self.read_response()
    }

    fn fill(&mut self) -> Result<(), Outcome> {
        let mut buf = [0u8; 16 * 1024];
        match self.stream.read(&mut buf) {
            Ok(0) => Err(Outcome::Closed),
            Ok(n) => {
                self.pending.extend_from_slice(&buf[..n]);
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    fn take(&mut self, length: usize) -> Result<Vec<u8>, Outcome> {
        while self.pending.len() < length {
            self.fill()?;
        }
        let rest = self.pending.split_off(length);
        Ok(std::mem::replace(&mut self.pending, rest))
    }

    fn chunked(&mut self) -> Result<Vec<u8>, Outcome> {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(at) = find(&self.pending, b"\r\n") {
                    break at;
                }
                self.fill()?;
            };
            let size_text = String::from_utf8_lossy(&self.pending[..line_end]).into_owned();
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| Outcome::Closed)?;
            self.take(line_end + 2)?;
            let chunk = self.take(size + 2)?;
            if size == 0 {
                return Ok(body);
            }
            body.extend_from_slice(&chunk[..size]);
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The value of header `name` in a lower-cased head.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == name).then(|| value.trim())
    })
}

/// `Authorization: Basic ...` for `user:password`.
pub(crate) fn basic_auth(user: &str, password: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {token}")
}

/// The bytes of a request to the server on `port`, with a sized body (none when `body` is empty
/// and the method is GET).
pub(crate) fn request(
    port: u16,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Vec<u8> {
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if method != "GET" || !body.is_empty() {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}
