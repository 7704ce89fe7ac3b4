//! `testdata health`: asks a server's HTTP readiness endpoint, for container HEALTHCHECKs
//! in images without curl. Exit 0 when it answers 200, 1 otherwise.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use super::CliError;

/// GETs `path` from `addr` with a short timeout; Ok when the status is 200.
pub fn check(addr: SocketAddr, path: &str) -> Result<(), CliError> {
    let timeout = Duration::from_secs(2);
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(|e| format!("{addr}: {e}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).map_err(|e| format!("{addr}{path}: no HTTP answer ({e})"))?;
    match &head[9..12] {
        b"200" => Ok(()),
        status => Err(format!("{addr}{path} answered {}", String::from_utf8_lossy(status)).into()),
    }
}
