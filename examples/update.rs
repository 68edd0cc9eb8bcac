//! Applies an `UpdateGameSession` request, as it arrives on the wire, to a
//! game session, and prints the outcome: what changed, the warnings and the
//! response body; then a rejected request and its AWS error body.
//!
//! Run with `cargo run --example update`.

use gamelift_session::{
    GameLiftError, GameSessionDetail, UpdateGameSessionInput, update_game_session,
};

const SESSION: &str = r#"{
    "GameSession": {
        "GameSessionId": "arn:aws:gamelift:us-west-2::gamesession/fleet-2a1b3c4d/gs-5e6f7a8b",
        "Name": "Friday night",
        "FleetId": "fleet-2a1b3c4d",
        "CreationTime": 1763924400.123,
        "CurrentPlayerSessionCount": 6,
        "MaximumPlayerSessionCount": 10,
        "Status": "ACTIVE",
        "GameProperties": [
            {"Key": "difficulty", "Value": "novice"},
            {"Key": "mode", "Value": "casual"}
        ],
        "IpAddress": "192.0.2.10",
        "Port": 7777,
        "PlayerSessionCreationPolicy": "ACCEPT_ALL"
    },
    "ProtectionPolicy": "NoProtection"
}"#;

const UPDATE: &str = r#"{
    "GameSessionId": "arn:aws:gamelift:us-west-2::gamesession/fleet-2a1b3c4d/gs-5e6f7a8b",
    "Name": "Friday night ranked",
    "MaximumPlayerSessionCount": 4,
    "ProtectionPolicy": "FullProtection",
    "GameProperties": [
        {"Key": "mode", "Value": "ranked"},
        {"Key": "map.name", "Value": "harbor"}
    ]
}"#;

const BAD_UPDATE: &str = r#"{
    "GameSessionId": "gs 5e6f7a8b",
    "Name": "",
    "MaximumPlayerSessionCount": -1,
    "PlayerSessionCreationPolicy": "ACCEPT_SOME"
}"#;

/// Parses a request and applies it, as an emulator's handler would.
fn handle(detail: &GameSessionDetail, body: &str) -> Result<String, GameLiftError> {
    let input: UpdateGameSessionInput =
        serde_json::from_str(body).map_err(GameLiftError::serialization)?;
    let outcome = update_game_session(detail, &input)?;
    println!("changes:");
    for change in outcome.changes() {
        println!("  {change}");
    }
    println!("warnings:");
    for warning in outcome.warnings() {
        println!("  {warning}");
    }
    println!(
        "protection policy now: {:?}",
        outcome.detail().protection_policy
    );
    serde_json::to_string_pretty(&outcome.output()).map_err(GameLiftError::serialization)
}

fn main() -> Result<(), serde_json::Error> {
    let detail: GameSessionDetail = serde_json::from_str(SESSION)?;

    println!("== UpdateGameSession: accepted");
    match handle(&detail, UPDATE) {
        Ok(response) => println!("HTTP 200\n{response}"),
        Err(e) => println!("HTTP {} {}", e.http_status(), e.body().to_json()),
    }

    println!("\n== UpdateGameSession: rejected (the session is untouched)");
    match handle(&detail, BAD_UPDATE) {
        Ok(response) => println!("HTTP 200\n{response}"),
        Err(e) => println!("HTTP {} {}", e.http_status(), e.body().to_json()),
    }
    Ok(())
}
