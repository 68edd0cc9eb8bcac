//! The load benchmark's floor: the least an HTTP server on the same stack
//! (axum on tokio) can do per request. It answers every request with a fixed
//! body of `--bytes` bytes and does nothing else: no parsing, no state, no
//! log. `emulator/benches/load.sh` loads it beside the emulator.
//!
//! ```sh
//! cargo run --release -p gamelift-emulator --example floor -- --port 9081 --bytes 700
//! ```

use axum::Router;
use axum::body::Bytes;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut port = 9081_u16;
    let mut bytes = 700_usize;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        match flag.as_str() {
            "--port" => port = value.parse().unwrap_or(port),
            "--bytes" => bytes = value.parse().unwrap_or(bytes),
            _ => eprintln!("floor: ignoring {flag}"),
        }
    }
    let body = Bytes::from(vec![b'x'; bytes]);
    let app = Router::new().fallback(move || {
        let body = body.clone();
        async move { body }
    });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    axum::serve(listener, app).await
}
