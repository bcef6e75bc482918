//! A small HTTP server on 127.0.0.1 serving release-shaped WASI SDK tarballs,
//! which misbehaves on purpose (404, a body cut off once) and counts requests.
//! It also answers proxy-form requests (`GET http://host/path`), so it can
//! stand in for an HTTP proxy.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

/// How the server answers for one path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// The whole file.
    Serve,
    /// 404 Not Found.
    NotFound,
    /// The first time: the full Content-Length but only this many bytes, then
    /// the connection closes; afterwards the whole file.
    CutOnce(usize),
}

#[derive(Default)]
struct State {
    files: HashMap<String, (Arc<Vec<u8>>, Behaviour)>,
    /// Request paths in arrival order.
    requests: Vec<String>,
}

/// The server; it runs until the test process ends.
pub struct ReleaseServer {
    pub port: u16,
    state: Arc<Mutex<State>>,
}

impl ReleaseServer {
    pub fn start() -> ReleaseServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&shared);
                std::thread::spawn(move || answer(stream, &state));
            }
        });
        ReleaseServer { port, state }
    }

    /// Serve `bytes` at `path` (e.g. `/wasi-sdk-25.0-x86_64-linux.tar.gz`).
    pub fn add(&self, path: &str, bytes: Arc<Vec<u8>>, behaviour: Behaviour) {
        let mut state = self.state.lock().unwrap();
        state.files.insert(path.to_owned(), (bytes, behaviour));
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// How many requests asked for `path`.
    pub fn requests_for(&self, path: &str) -> usize {
        let state = self.state.lock().unwrap();
        state.requests.iter().filter(|p| *p == path).count()
    }
}

fn answer(mut stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header == "\r\n" || header == "\n" => break,
            Ok(_) => {}
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    // Proxy form: `http://host:port/path` → `/path`.
    let path = match target.strip_prefix("http://") {
        Some(rest) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => target,
    }
    .to_owned();
    let found = {
        let mut state = state.lock().unwrap();
        state.requests.push(path.clone());
        let found = state.files.get(&path).cloned();
        if let Some((_, Behaviour::CutOnce(_))) = found {
            state.files.get_mut(&path).unwrap().1 = Behaviour::Serve;
        }
        found
    };
    let (bytes, behaviour) = match found {
        Some((_, Behaviour::NotFound)) | None => {
            let _ = stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            return;
        }
        Some(found) => found,
    };
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        bytes.len()
    );
    let body = match behaviour {
        Behaviour::CutOnce(n) => &bytes[..n.min(bytes.len())],
        _ => &bytes[..],
    };
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// Pack the SDK folder `sdk` as a release does: one top folder `top`, with
/// absolute symlinks (to the Debian toolchain) replaced by copies of what they
/// point to, so the tarball is self-contained; relative ones are kept.
/// `version`, when given, replaces the first line of VERSION.
pub fn release_tarball(sdk: &Path, top: &str, version: Option<&str>, out: &Path) -> Vec<u8> {
    let staging = tempfile::tempdir().unwrap();
    let root = staging.path().join(top);
    run(Command::new("cp").arg("-a").arg(sdk).arg(&root));
    for link in absolute_links(&root) {
        let target = std::fs::read_link(&link).unwrap();
        std::fs::remove_file(&link).unwrap();
        run(Command::new("cp").arg("-rL").arg(&target).arg(&link));
    }
    if let Some(version) = version {
        let text = std::fs::read_to_string(root.join("VERSION")).unwrap();
        let rest: Vec<&str> = text.lines().skip(1).collect();
        let new = format!("{version}\n{}\n", rest.join("\n"));
        std::fs::write(root.join("VERSION"), new).unwrap();
    }
    run(Command::new("tar")
        .arg("-czf")
        .arg(out)
        .arg("-C")
        .arg(staging.path())
        .arg(top));
    std::fs::read(out).unwrap()
}

/// A `.tar.gz` written by Python's tarfile, which takes any entry it is given:
/// `body` (Python, indented by four spaces) calls `add(name, data, kind, link)`,
/// and every name gets `prefix` in front. For release tarballs that are hostile.
pub fn python_tarball(out: &Path, prefix: &str, body: &str) -> Vec<u8> {
    let script = format!(
        r#"
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w:gz") as tar:
    def add(name, data=b"x", kind=tarfile.REGTYPE, link=""):
        info = tarfile.TarInfo(sys.argv[2] + name)
        info.type = kind
        info.linkname = link
        info.size = len(data) if kind == tarfile.REGTYPE else 0
        tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
{body}
"#
    );
    run(Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(out)
        .arg(prefix));
    std::fs::read(out).unwrap()
}

fn absolute_links(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.file_type().is_symlink() {
            if std::fs::read_link(&path).unwrap().is_absolute() {
                found.push(path);
            }
        } else if meta.is_dir() {
            found.extend(absolute_links(&path));
        }
    }
    found
}

fn run(command: &mut Command) {
    let status = command.status().unwrap();
    assert!(status.success(), "{command:?}");
}
