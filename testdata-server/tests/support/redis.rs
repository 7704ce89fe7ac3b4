//! A real `redis-server` (Debian's package, installed by `scripts/test-all.sh`) on a free
//! loopback port, in its own temporary directory, that a test can kill, restart on the same
//! port, pause (SIGSTOP: it accepts connections and never answers) and resume.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running (or stopped) redis-server.
#[derive(Debug)]
pub struct RedisProcess {
    /// Its port on 127.0.0.1.
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
    /// Extra arguments (a password, TLS).
    args: Vec<String>,
    /// Serves TLS only (on `port`).
    tls: bool,
}

impl RedisProcess {
    /// Starts redis-server with an append-only file synced on every write (so a SIGKILL loses
    /// nothing, as with a persistent production Redis). `None` when redis-server is not
    /// installed and `CI` is unset (the test then prints SKIPPED); under CI a missing
    /// redis-server fails the test.
    pub fn start() -> Option<RedisProcess> {
        RedisProcess::start_with(&[], false)
    }

    /// [`RedisProcess::start`] with extra arguments; `tls`: the arguments configure TLS and
    /// `port` is the TLS port (no plain port).
    pub fn start_with(args: &[&str], tls: bool) -> Option<RedisProcess> {
        if Command::new("redis-server").arg("--version").output().is_err() {
            assert!(
                std::env::var_os("CI").is_none(),
                "redis-server is not installed; scripts/test-all.sh installs it (apt-get install redis-server)"
            );
            eprintln!("SKIPPED: redis-server is not installed (bash scripts/test-all.sh installs it)");
            return None;
        }
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("testdata-redis-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let args = args.iter().map(|a| a.to_string()).collect();
        let mut redis = RedisProcess { port, dir, child: None, args, tls };
        redis.launch();
        Some(redis)
    }

    fn launch(&mut self) {
        let (plain, tls) = if self.tls {
            ("0".to_owned(), self.port.to_string())
        } else {
            (self.port.to_string(), "0".to_owned())
        };
        let child = Command::new("redis-server")
            .args(["--port", &plain, "--tls-port", &tls, "--bind", "127.0.0.1", "--save", ""])
            .args(&self.args)
            .args(["--appendonly", "yes", "--appendfsync", "always"])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        self.wait_until_answering(Duration::from_secs(10));
    }

    /// `redis://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// SIGKILL: the process is gone at once.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port, with the data it had (the append-only file).
    pub fn restart(&mut self) {
        self.kill();
        self.launch();
    }

    /// SIGSTOP: connections are still accepted by the kernel, nothing is answered.
    pub fn pause(&self) {
        self.signal("-STOP");
    }

    /// SIGCONT.
    pub fn resume(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, sig: &str) {
        let pid = self.child.as_ref().expect("running").id().to_string();
        let status = Command::new("kill").args([sig, &pid]).status().expect("kill runs");
        assert!(status.success(), "kill {sig} {pid}");
    }

    /// A plain connection for the test's own checks.
    pub fn connection(&self) -> redis::Connection {
        redis::Client::open(self.url()).unwrap().get_connection().expect("redis connection")
    }

    fn wait_until_answering(&self, limit: Duration) {
        let started = Instant::now();
        if self.tls || !self.args.is_empty() {
            while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
                assert!(started.elapsed() < limit, "redis-server on port {} did not listen", self.port);
                std::thread::sleep(Duration::from_millis(20));
            }
            return;
        }
        while started.elapsed() < limit {
            if let Ok(client) = redis::Client::open(self.url())
                && let Ok(mut c) = client.get_connection_with_timeout(Duration::from_millis(200))
                && redis::cmd("PING").query::<String>(&mut c).is_ok()
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("redis-server on port {} did not answer within {limit:?}", self.port);
    }
}

impl Drop for RedisProcess {
    fn drop(&mut self) {
        if self.child.is_some() {
            self.resume();
        }
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
