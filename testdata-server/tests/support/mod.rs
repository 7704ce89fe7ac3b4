//! Test support shared by the integration tests.
pub mod fault;
pub mod redis;
pub mod server;
pub mod weaviate;

/// `GET path` over a plain HTTP/1.1 connection to `addr`: the whole response (status line,
/// headers and body).
#[allow(dead_code)]
pub async fn http_get(addr: std::net::SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}
