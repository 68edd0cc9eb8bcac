//! A local GameLift endpoint that real AWS clients talk to.
//!
//! Serves `CreateGameSession`, `DescribeGameSessions`,
//! `DescribeGameSessionDetails`, `UpdateGameSession` and
//! `TerminateGameSession` on 127.0.0.1, over AWS JSON 1.1 (boto3, the AWS
//! CLI) and Smithy RPC v2 CBOR (the AWS SDK for Rust) on the same port.
//! Every rule is the crate's; this program holds only the routing, the
//! storage and the clock. There is no game server behind it, so a new
//! session becomes ACTIVE at once, through the crate's own ACTIVATING ->
//! ACTIVE transition, and a `TRIGGER_ON_PROCESS_TERMINATE` leaves a session
//! TERMINATING.
//!
//! ```sh
//! cargo run --example emulator -- --port 9080    # or GAMELIFT_EMULATOR_PORT=9080
//! ```
//!
//! `--activation` sets what the missing game server does with a new
//! session: `active` (the default) reports it ready, `never` never reports
//! in (the session stays ACTIVATING), `fail` fails to start it (ERROR).
//!
//! Requests are not authenticated: any credentials work. Each request is
//! logged as one line on standard error.

mod server;

use std::sync::Arc;

use server::{Activation, Emulator};

const DEFAULT_PORT: u16 = 9080;

/// The command line: `[--port N] [--activation active|never|fail]`.
fn options() -> Result<(u16, Activation), String> {
    let usage = "usage: emulator [--port N] [--activation active|never|fail]";
    let mut args = std::env::args().skip(1);
    let mut port = std::env::var("GAMELIFT_EMULATOR_PORT").ok();
    let mut activation = Activation::Active;
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--port", Some(p)) => port = Some(p),
            ("--activation", Some(a)) => {
                activation = match a.as_str() {
                    "active" => Activation::Active,
                    "never" => Activation::Never,
                    "fail" => Activation::Fail,
                    other => return Err(format!("unknown activation {other}; {usage}")),
                }
            }
            _ => return Err(format!("unexpected argument {arg}; {usage}")),
        }
    }
    let port = port.map_or(Ok(DEFAULT_PORT), |p| {
        p.parse().map_err(|_| format!("not a port: {p}"))
    })?;
    Ok((port, activation))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (port, activation) = options()?;
    let region = std::env::var("AWS_REGION").unwrap_or_else(|_| "us-west-2".to_owned());
    let app = server::router(Arc::new(Emulator::new(region, activation)));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    eprintln!(
        "gamelift emulator listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
