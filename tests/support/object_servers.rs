//! Real object servers on 127.0.0.1 for the remote-cache tests: moto's S3 server
//! and `scripts/put_get_server.py`, each stopped (killed and reaped) when dropped.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::fixture::{repo_root, test_env};

/// A server process, killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    /// The folder a PUT/GET server stores its objects in.
    pub root: Option<PathBuf>,
}

impl Server {
    /// `scripts/put_get_server.py ROOT`, on a free port; `stop_after` requests, if given.
    pub fn put_get(root: &Path, stop_after: Option<usize>) -> Server {
        let mut cmd = Command::new(python());
        cmd.arg(repo_root().join("scripts/put_get_server.py"))
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(n) = stop_after {
            cmd.arg("--stop-after").arg(n.to_string());
        }
        let mut child = cmd.spawn().expect("python3 runs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("server said {line:?}"))
            .parse()
            .unwrap();
        Server {
            child,
            port,
            root: Some(root.to_owned()),
        }
    }

    /// moto's S3 server (from `scripts/setup-remote-cache.sh`) with bucket `bucket` created.
    pub fn moto(bucket: &str) -> Server {
        let port = free_port();
        let moto = test_env().join("venv/bin/moto_server");
        assert!(
            moto.exists(),
            "{} is missing: run `bash scripts/setup-remote-cache.sh`",
            moto.display()
        );
        let child = Command::new(moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server {
            child,
            port,
            root: None,
        };
        server.wait_ready();
        let url = format!("{}/{bucket}", server.url());
        let response = reqwest::blocking::Client::new().put(url).send().unwrap();
        assert!(response.status().is_success(), "{response:?}");
        server
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "server on {} never came up",
                self.port
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stop the server now (as if it went away).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The venv's python (any python3 runs the PUT/GET server).
fn python() -> PathBuf {
    let venv = test_env().join("venv/bin/python3");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The AWS variables for moto: dummy keys, the endpoint, a region.
pub fn moto_env(server: &Server) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "testing-key-id".into()),
        (
            "AWS_SECRET_ACCESS_KEY",
            "testing-secret-never-printed".into(),
        ),
        ("AWS_ENDPOINT_URL", server.url()),
        ("AWS_REGION", "us-east-1".into()),
    ]
}
