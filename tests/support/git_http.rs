//! A tiny smart-HTTP git server for integration tests (std only).
//!
//! [`GitHttpServer::start`] serves every repository below a project root on an
//! ephemeral port of 127.0.0.1 by running `git http-backend` as a CGI program,
//! one thread per connection, one request per connection (`Connection: close`).
//! Works with the `git` CLI (protocol v0 and v2) and with gix's reqwest transport.
//!
//! ```ignore
//! mod support;
//! use support::git_http::GitHttpServer;
//!
//! let server = GitHttpServer::start(&mirror_dir); // holds cpython-source-deps.git
//! let url = format!("{}/cpython-source-deps.git", server.base_url());
//! // … fetch from `url` …
//! assert!(server.requests() > 0);
//! server.stop(); // later connections are refused
//! ```
//!
//! Everything is bounded: sockets have read/write timeouts and a `git
//! http-backend` that runs too long is killed, so a test cannot hang forever on
//! this server. The CGI program runs with the user's and the system's git
//! configuration ignored.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Read/write timeout of every client socket.
const SOCKET_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest a single `git http-backend` may run.
const CGI_TIMEOUT: Duration = Duration::from_secs(120);
/// Largest accepted request head (request line and headers).
const MAX_HEAD: usize = 64 * 1024;
/// Largest accepted request body (after de-chunking).
const MAX_BODY: usize = 256 * 1024 * 1024;

/// A running server; stopped by [`GitHttpServer::stop`] or on drop.
pub struct GitHttpServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept_thread: Option<JoinHandle<()>>,
}

struct Shared {
    project_root: PathBuf,
    stop: AtomicBool,
    requests: AtomicUsize,
    connections: AtomicUsize,
    /// `METHOD path?query -> status` of every request, for test diagnostics.
    log: Mutex<Vec<String>>,
    /// Open client connections, so that `stop` can close the idle ones.
    open: Mutex<HashMap<u64, OpenConn>>,
    next_id: AtomicU64,
}

struct OpenConn {
    stream: TcpStream,
    /// Set between reading a request head and sending the response.
    busy: Arc<AtomicBool>,
}

impl GitHttpServer {
    /// Serves every repository below `project_root` (GIT_PROJECT_ROOT) on an
    /// ephemeral port of 127.0.0.1.
    ///
    /// Panics if the socket cannot be bound or `project_root` does not exist.
    pub fn start(project_root: &Path) -> GitHttpServer {
        let project_root = project_root.canonicalize().unwrap_or_else(|e| {
            panic!(
                "git http server: project root {}: {e}",
                project_root.display()
            )
        });
        let listener =
            TcpListener::bind(("127.0.0.1", 0)).expect("git http server: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("git http server: local_addr");
        let shared = Arc::new(Shared {
            project_root,
            stop: AtomicBool::new(false),
            requests: AtomicUsize::new(0),
            connections: AtomicUsize::new(0),
            log: Mutex::new(Vec::new()),
            open: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
        });
        let accept_shared = Arc::clone(&shared);
        let accept_thread = thread::Builder::new()
            .name(format!("git-http-{}", addr.port()))
            .spawn(move || accept_loop(listener, addr, accept_shared))
            .expect("git http server: spawn accept thread");
        GitHttpServer {
            addr,
            shared,
            accept_thread: Some(accept_thread),
        }
    }

    /// e.g. "http://127.0.0.1:PORT" — a repo `x.git` under the root is at "{base_url}/x.git".
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Number of HTTP requests served so far (tests use it to prove that no
    /// network connection was made). A request counts as soon as its request
    /// line has been read, whether or not it succeeded.
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Number of TCP connections accepted so far, including ones that never
    /// sent a request.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// `"METHOD /path?query -> status"` for every request so far, oldest first.
    pub fn request_log(&self) -> Vec<String> {
        self.shared
            .log
            .lock()
            .map(|l| l.clone())
            .unwrap_or_default()
    }

    /// Stops listening and joins the thread; afterwards connections are refused.
    /// Idle connections are closed; requests in flight are finished (bounded by
    /// the timeouts) before it returns.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let Some(handle) = self.accept_thread.take() else {
            return;
        };
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept(); the loop sees the flag and drops the listener.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(5));
        let _ = handle.join();
    }
}

impl Drop for GitHttpServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn accept_loop(listener: TcpListener, addr: SocketAddr, shared: Arc<Shared>) {
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    for conn in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let stream = match conn {
            Ok(s) => s,
            Err(e) => {
                eprintln!("git http server {addr}: accept: {e}");
                thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        shared.connections.fetch_add(1, Ordering::SeqCst);
        workers.retain(|w| !w.is_finished());
        let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
        let busy = Arc::new(AtomicBool::new(false));
        if let (Ok(clone), Ok(mut open)) = (stream.try_clone(), shared.open.lock()) {
            open.insert(
                id,
                OpenConn {
                    stream: clone,
                    busy: Arc::clone(&busy),
                },
            );
        }
        let conn_shared = Arc::clone(&shared);
        let spawned = thread::Builder::new()
            .name(format!("git-http-{}-conn", addr.port()))
            .spawn(move || {
                let peer = stream.peer_addr().ok();
                if let Err(e) = handle_connection(stream, addr, peer, &busy, &conn_shared) {
                    // Clients closing early, and stop() closing idle connections,
                    // are normal; anything else helps debugging.
                    let quiet = matches!(
                        e.kind(),
                        io::ErrorKind::BrokenPipe
                            | io::ErrorKind::ConnectionReset
                            | io::ErrorKind::ConnectionAborted
                    ) || conn_shared.stop.load(Ordering::SeqCst);
                    if !quiet {
                        eprintln!("git http server {addr}: {e}");
                    }
                }
                if let Ok(mut open) = conn_shared.open.lock() {
                    open.remove(&id);
                }
            });
        match spawned {
            Ok(w) => workers.push(w),
            Err(e) => {
                eprintln!("git http server {addr}: spawn: {e}");
                if let Ok(mut open) = shared.open.lock() {
                    open.remove(&id);
                }
            }
        }
    }
    drop(listener);
    // Close the connections that wait for a request (or for the client to hang
    // up after a response); let those being served finish.
    if let Ok(open) = shared.open.lock() {
        for conn in open.values() {
            if !conn.busy.load(Ordering::SeqCst) {
                let _ = conn.stream.shutdown(Shutdown::Both);
            }
        }
    }
    for w in workers {
        let _ = w.join();
    }
}

struct Request {
    method: String,
    target: String,
    /// Header names lower-cased, values trimmed; repeated headers joined with ", ".
    headers: HashMap<String, String>,
}

fn handle_connection(
    stream: TcpStream,
    addr: SocketAddr,
    peer: Option<SocketAddr>,
    busy: &AtomicBool,
    shared: &Shared,
) -> io::Result<()> {
    stream.set_read_timeout(Some(SOCKET_TIMEOUT))?;
    stream.set_write_timeout(Some(SOCKET_TIMEOUT))?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;

    let request = match read_head(&mut reader) {
        Ok(Some(r)) => r,
        Ok(None) => return Ok(()), // closed without sending a request
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "timed out waiting for a request",
            ));
        }
        Err(e) => {
            shared.requests.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut log) = shared.log.lock() {
                log.push(format!("(bad request) -> 400 ({e})"));
            }
            let _ = write_simple(&mut writer, 400, "Bad Request", &format!("{e}\n"));
            let _ = writer.shutdown(Shutdown::Write);
            return Err(e);
        }
    };
    busy.store(true, Ordering::SeqCst);
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let line = format!("{} {}", request.method, request.target);

    let result = serve(&request, &mut reader, &mut writer, addr, peer, shared);
    let status = match &result {
        Ok(status) => status.to_string(),
        Err(e) => {
            // Best effort: the head may already be out if the error came late.
            let _ = write_simple(&mut writer, 500, "Internal Server Error", &format!("{e}\n"));
            format!("500 ({e})")
        }
    };
    if let Ok(mut log) = shared.log.lock() {
        log.push(format!("{line} -> {status}"));
    }
    let _ = writer.flush();
    let _ = writer.shutdown(Shutdown::Write);
    busy.store(false, Ordering::SeqCst);
    // Let the client read the response before the socket is closed under it:
    // drain what it may still send (bounded by the read timeout).
    let _ = reader
        .get_mut()
        .set_read_timeout(Some(Duration::from_secs(1)));
    let _ = io::copy(&mut reader.take(1 << 20), &mut io::sink());
    result.map(|_| ())
}

/// Serves one parsed request; returns the HTTP status sent.
fn serve(
    request: &Request,
    reader: &mut BufReader<TcpStream>,
    writer: &mut TcpStream,
    addr: SocketAddr,
    peer: Option<SocketAddr>,
    shared: &Shared,
) -> io::Result<u16> {
    let method = request.method.as_str();
    if method != "GET" && method != "POST" && method != "HEAD" {
        write_simple(writer, 405, "Method Not Allowed", "only GET and POST\n")?;
        return Ok(405);
    }
    if request
        .headers
        .get("expect")
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        writer.flush()?;
    }
    let body = match read_body(request, reader) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::InvalidData => {
            write_simple(writer, 400, "Bad Request", &format!("{e}\n"))?;
            return Ok(400);
        }
        Err(e) => return Err(e),
    };
    let (path, query) = match request.target.split_once('?') {
        Some((p, q)) => (p, q),
        None => (request.target.as_str(), ""),
    };
    let path_info = percent_decode(path);
    if !path_info.starts_with('/') || path_info.split('/').any(|c| c == "..") {
        write_simple(writer, 400, "Bad Request", "bad path\n")?;
        return Ok(400);
    }

    let cgi = run_cgi(request, &path_info, query, body, addr, peer, shared)?;
    let (status, reason, headers, body) = parse_cgi_output(&cgi)?;

    let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in &headers {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    writer.write_all(head.as_bytes())?;
    if method != "HEAD" {
        writer.write_all(body)?;
    }
    writer.flush()?;
    Ok(status)
}

/// Reads the request line and headers; `None` if the peer closed before sending anything.
fn read_head(reader: &mut BufReader<TcpStream>) -> io::Result<Option<Request>> {
    let mut total = 0usize;
    let mut next_line = |reader: &mut BufReader<TcpStream>| -> io::Result<Option<String>> {
        let mut buf = Vec::new();
        let n = reader
            .by_ref()
            .take((MAX_HEAD - total + 1) as u64)
            .read_until(b'\n', &mut buf)?;
        total += n;
        if total > MAX_HEAD {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "request head too large",
            ));
        }
        if n == 0 {
            return Ok(None);
        }
        while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            buf.pop();
        }
        Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
    };

    let request_line = loop {
        match next_line(reader)? {
            None => return Ok(None),
            Some(l) if l.is_empty() => continue, // tolerate stray CRLF before a request
            Some(l) => break l,
        }
    };
    let mut parts = request_line.split_whitespace();
    let (method, target) = match (parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v)) if v.starts_with("HTTP/1.") => (m.to_string(), t.to_string()),
        _ => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("bad request line {request_line:?}"),
            ))
        }
    };
    // Absolute-form targets ("http://host/path") are reduced to the path.
    let target = match target.strip_prefix("http://") {
        Some(rest) => rest
            .find('/')
            .map(|i| rest[i..].to_string())
            .unwrap_or_else(|| "/".into()),
        None => target,
    };

    let mut headers: HashMap<String, String> = HashMap::new();
    loop {
        let line = next_line(reader)?.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed inside the request head",
            )
        })?;
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("bad header line {line:?}"),
            ));
        };
        let name = name.trim().to_ascii_lowercase();
        let value = value.trim().to_string();
        headers
            .entry(name)
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    Ok(Some(Request {
        method,
        target,
        headers,
    }))
}

/// Reads the request body: `Transfer-Encoding: chunked` (de-chunked), or
/// `Content-Length` bytes, or nothing.
fn read_body(request: &Request, reader: &mut BufReader<TcpStream>) -> io::Result<Vec<u8>> {
    let bad = |msg: String| io::Error::new(io::ErrorKind::InvalidData, msg);
    if let Some(te) = request.headers.get("transfer-encoding") {
        if !te
            .to_ascii_lowercase()
            .split(',')
            .any(|t| t.trim() == "chunked")
        {
            return Err(bad(format!("unsupported Transfer-Encoding {te:?}")));
        }
        let mut body = Vec::new();
        loop {
            let mut size_line = String::new();
            if reader.by_ref().take(1024).read_line(&mut size_line)? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed inside a chunked body",
                ));
            }
            let size_hex = size_line.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size_hex, 16)
                .map_err(|_| bad(format!("bad chunk size {size_line:?}")))?;
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    let mut trailer = String::new();
                    let n = reader.by_ref().take(8192).read_line(&mut trailer)?;
                    if n == 0 || trailer.trim_end_matches(['\r', '\n']).is_empty() {
                        break;
                    }
                }
                return Ok(body);
            }
            if body.len() + size > MAX_BODY {
                return Err(bad("request body too large".into()));
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..])?;
            let mut crlf = [0u8; 2];
            reader.read_exact(&mut crlf)?;
            if &crlf != b"\r\n" {
                return Err(bad("chunk not followed by CRLF".into()));
            }
        }
    }
    match request.headers.get("content-length") {
        Some(len) => {
            let len: usize = len
                .trim()
                .parse()
                .map_err(|_| bad(format!("bad Content-Length {len:?}")))?;
            if len > MAX_BODY {
                return Err(bad("request body too large".into()));
            }
            let mut body = vec![0u8; len];
            reader.read_exact(&mut body)?;
            Ok(body)
        }
        None => Ok(Vec::new()),
    }
}

/// Runs `git http-backend` for one request and returns its raw output.
fn run_cgi(
    request: &Request,
    path_info: &str,
    query: &str,
    body: Vec<u8>,
    addr: SocketAddr,
    peer: Option<SocketAddr>,
    shared: &Shared,
) -> io::Result<Vec<u8>> {
    let mut cmd = Command::new("git");
    cmd.arg("http-backend");
    // A clean environment: nothing of the test process's GIT_* variables, and
    // neither the user's nor the system's git configuration.
    cmd.env_clear();
    for var in ["PATH", "SYSTEMROOT", "TMPDIR", "LANG", "LC_ALL"] {
        if let Some(v) = std::env::var_os(var) {
            cmd.env(var, v);
        }
    }
    cmd.env("HOME", &shared.project_root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        // The tests' repositories may belong to another user than the test process.
        .env("GIT_CONFIG_COUNT", "2")
        .env("GIT_CONFIG_KEY_0", "safe.directory")
        .env("GIT_CONFIG_VALUE_0", "*")
        .env("GIT_CONFIG_KEY_1", "uploadpack.allowFilter")
        .env("GIT_CONFIG_VALUE_1", "true")
        .env("GIT_PROJECT_ROOT", &shared.project_root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("GATEWAY_INTERFACE", "CGI/1.1")
        .env("SERVER_SOFTWARE", "wasi-externals-test-git-http")
        .env("SERVER_PROTOCOL", "HTTP/1.1")
        .env("SERVER_NAME", addr.ip().to_string())
        .env("SERVER_PORT", addr.port().to_string())
        .env("REQUEST_METHOD", &request.method)
        .env("REQUEST_URI", &request.target)
        .env("SCRIPT_NAME", "")
        .env("PATH_INFO", path_info)
        .env("QUERY_STRING", query)
        .env("CONTENT_LENGTH", body.len().to_string())
        .env(
            "REMOTE_ADDR",
            peer.map(|p| p.ip().to_string())
                .unwrap_or_else(|| "127.0.0.1".into()),
        );
    if let Some(p) = peer {
        cmd.env("REMOTE_PORT", p.port().to_string());
    }
    if let Some(ct) = request.headers.get("content-type") {
        cmd.env("CONTENT_TYPE", ct);
    }
    // Protocol v2 is negotiated through this header (Apache: SetEnvIf Git-Protocol).
    if let Some(proto) = request.headers.get("git-protocol") {
        cmd.env("GIT_PROTOCOL", proto);
    }
    for (name, value) in &request.headers {
        if name == "content-type" || name == "content-length" || name == "transfer-encoding" {
            continue;
        }
        let var: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        // HTTP_CONTENT_ENCODING=gzip makes http-backend inflate the body itself.
        cmd.env(format!("HTTP_{var}"), value);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());

    let mut child = cmd
        .spawn()
        .map_err(|e| io::Error::new(e.kind(), format!("spawn git http-backend: {e}")))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let child = Arc::new(Mutex::new(child));

    // Watchdog: kill the CGI if it runs too long; dropped `done_tx` cancels it.
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let watchdog_child = Arc::clone(&child);
    let watchdog = thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = done_rx.recv_timeout(CGI_TIMEOUT) {
            if let Ok(mut c) = watchdog_child.lock() {
                let _ = c.kill();
            }
            return true;
        }
        false
    });
    // Feed stdin and drain stderr concurrently, so no pipe can fill up and deadlock.
    let writer = thread::spawn(move || {
        let _ = stdin.write_all(&body);
        // stdin is dropped (closed) here
    });
    let err_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });

    let mut out = Vec::new();
    let read_result = stdout.read_to_end(&mut out);
    let _ = writer.join();
    let err = err_reader.join().unwrap_or_default();
    let status = child
        .lock()
        .map_err(|_| io::Error::other("poisoned"))?
        .wait();
    drop(done_tx);
    let killed = watchdog.join().unwrap_or(false);

    if killed {
        return Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("git http-backend ran longer than {CGI_TIMEOUT:?}"),
        ));
    }
    read_result?;
    let status = status?;
    if !err.is_empty() {
        eprintln!(
            "git http server: git http-backend {} {}: {}",
            request.method,
            request.target,
            String::from_utf8_lossy(&err).trim_end()
        );
    }
    if out.is_empty() {
        return Err(io::Error::other(format!(
            "git http-backend produced no output ({status})"
        )));
    }
    Ok(out)
}

type CgiResponse<'a> = (u16, String, Vec<(String, String)>, &'a [u8]);

/// Splits CGI output into status, reason, headers and body.
fn parse_cgi_output(out: &[u8]) -> io::Result<CgiResponse<'_>> {
    // The header block ends at the first empty line (CRLF or LF line ends).
    let mut pos = 0;
    let mut lines = Vec::new();
    loop {
        let Some(nl) = out[pos..].iter().position(|b| *b == b'\n') else {
            return Err(io::Error::other(
                "git http-backend output has no header block",
            ));
        };
        let mut line = &out[pos..pos + nl];
        pos += nl + 1;
        if line.last() == Some(&b'\r') {
            line = &line[..line.len() - 1];
        }
        if line.is_empty() {
            break;
        }
        lines.push(String::from_utf8_lossy(line).into_owned());
    }
    let body = &out[pos..];
    let mut status = 200u16;
    let mut reason = String::from("OK");
    let mut headers = Vec::new();
    let mut has_location = false;
    let mut has_status = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        if name.eq_ignore_ascii_case("status") {
            let mut it = value.splitn(2, ' ');
            status = it.next().and_then(|s| s.parse().ok()).unwrap_or(500);
            reason = it.next().unwrap_or("").trim().to_string();
            has_status = true;
        } else if name.eq_ignore_ascii_case("content-length")
            || name.eq_ignore_ascii_case("connection")
            || name.eq_ignore_ascii_case("transfer-encoding")
        {
            // We send our own.
        } else {
            if name.eq_ignore_ascii_case("location") {
                has_location = true;
            }
            headers.push((name.to_string(), value.to_string()));
        }
    }
    if has_location && !has_status {
        status = 302;
        reason = "Found".into();
    }
    if reason.is_empty() {
        reason = "Status".into();
    }
    Ok((status, reason, headers, body))
}

fn write_simple(w: &mut TcpStream, status: u16, reason: &str, body: &str) -> io::Result<()> {
    let msg = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    w.write_all(msg.as_bytes())?;
    w.flush()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
