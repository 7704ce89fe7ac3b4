//! A `testdata-server` process on free loopback ports, for tests that need the real binary
//! (several replicas, signals, file descriptors).
#![allow(dead_code)] // each test uses a part

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::http_get;
use super::redis::free_port;

/// A running `testdata-server`; killed when dropped.
pub struct ServerProcess {
    child: Child,
    /// Its gRPC address.
    pub grpc: SocketAddr,
    /// Its HTTP address.
    pub http: SocketAddr,
}

impl ServerProcess {
    /// Starts the server with only `env` (besides its address and `LOG_LEVEL=warn`) and waits
    /// until `/health/ready` answers 200.
    pub async fn start(env: &[(&str, String)]) -> ServerProcess {
        let (grpc, http) = (free_port(), free_port());
        let child = Command::new(env!("CARGO_BIN_EXE_testdata-server"))
            .env_clear()
            .env("HOST", "127.0.0.1")
            .env("GRPC_PORT", grpc.to_string())
            .env("HTTP_PORT", http.to_string())
            .env("LOG_LEVEL", "warn")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("testdata-server starts");
        let server =
            ServerProcess { child, grpc: ([127, 0, 0, 1], grpc).into(), http: ([127, 0, 0, 1], http).into() };
        let started = Instant::now();
        while tokio::net::TcpStream::connect(server.http).await.is_err()
            || !http_get(server.http, "/health/ready").await.contains("200 OK")
        {
            assert!(started.elapsed() < Duration::from_secs(30), "server on {http} did not become ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends it SIGTERM.
    pub fn sigterm(&self) {
        // SAFETY: kill(2) on our own child's pid.
        let sent = unsafe { libc::kill(self.pid() as libc::pid_t, libc::SIGTERM) };
        assert_eq!(sent, 0, "SIGTERM could not be sent");
    }

    /// Waits for the process to exit, at most `limit`.
    pub async fn exit_within(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            if started.elapsed() > limit {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
