//! Journal format 1, before the header: one member per kind of change.
//! Its records are read into the rows of format 2, so a state file written
//! by an earlier emulator loads unchanged.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::{RawValue, to_raw_value};

use super::record::{Record, RowChange};

/// A record of format 1.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct RecordV1 {
    seq: u64,
    #[serde(default)]
    reset: bool,
    game_session_detail: Option<Value>,
    #[serde(default)]
    player_sessions: Vec<Value>,
    create_request: Option<Value>,
    alias: Option<Value>,
    deleted_alias: Option<String>,
    queue: Option<Value>,
    deleted_queue: Option<String>,
    placement: Option<Value>,
    desired_player_sessions: Option<Value>,
    rule_set: Option<Value>,
    deleted_rule_set: Option<String>,
    configuration: Option<Value>,
    deleted_configuration: Option<String>,
    ticket: Option<Value>,
    fleet: Option<Value>,
}

/// The string at `path` in `value`.
fn key_at(value: &Value, path: &[&str]) -> Option<String> {
    let mut v = value;
    for p in path {
        v = v.get(p)?;
    }
    v.as_str().map(str::to_owned)
}

fn raw(value: &Value) -> Result<Box<RawValue>, String> {
    to_raw_value(value).map_err(|e| e.to_string())
}

/// Reads a line of format 1 as a record of rows: one step per member of
/// the format, read top to bottom.
///
/// # Errors
///
/// A sentence for a line that is not a record of format 1, or whose row
/// has no key.
#[allow(clippy::too_many_lines)]
pub(crate) fn read(line: &[u8]) -> Result<Record, String> {
    let r: RecordV1 = serde_json::from_slice(line)
        .map_err(|e| format!("is not a journal record of format 1: {e}"))?;
    let mut rows = Vec::new();
    let mut upsert = |table: &str, key: Option<String>, row: &Value, what: &str| {
        let key = key.ok_or_else(|| format!("has {what}"))?;
        rows.push(RowChange {
            table: table.to_owned(),
            key,
            row: Some(raw(row)?),
        });
        Ok::<(), String>(())
    };
    if let Some(detail) = &r.game_session_detail {
        let id = key_at(detail, &["GameSession", "GameSessionId"]);
        upsert(
            "GameSessions",
            id.clone(),
            detail,
            "no GameSessionDetail.GameSession.GameSessionId",
        )?;
        for p in &r.player_sessions {
            let key = key_at(p, &["PlayerSessionId"]);
            upsert(
                "PlayerSessions",
                key,
                p,
                "a player session without a PlayerSessionId",
            )?;
        }
        if let Some(request) = &r.create_request {
            upsert(
                "CreateRequests",
                id,
                request,
                "a CreateRequest without its game session",
            )?;
        }
    }
    if let Some(alias) = &r.alias {
        upsert(
            "Aliases",
            key_at(alias, &["AliasId"]),
            alias,
            "an Alias without an AliasId",
        )?;
    }
    if let Some(queue) = &r.queue {
        upsert(
            "Queues",
            key_at(queue, &["Name"]),
            queue,
            "a Queue without a Name",
        )?;
    }
    if let Some(placement) = &r.placement {
        let mut row = serde_json::json!({ "Placement": placement });
        if let Some(desired) = &r.desired_player_sessions {
            row["DesiredPlayerSessions"] = desired.clone();
        }
        upsert(
            "Placements",
            key_at(placement, &["PlacementId"]),
            &row,
            "a Placement without a PlacementId",
        )?;
    }
    if let Some(rule_set) = &r.rule_set {
        let key = key_at(rule_set, &["RuleSetName"]);
        upsert("RuleSets", key, rule_set, "a RuleSet without a RuleSetName")?;
    }
    if let Some(c) = &r.configuration {
        upsert(
            "Configurations",
            key_at(c, &["Name"]),
            c,
            "a Configuration without a Name",
        )?;
    }
    if let Some(t) = &r.ticket {
        let key = key_at(t, &["Ticket", "TicketId"]);
        upsert("Tickets", key, t, "a Ticket without a TicketId")?;
    }
    if let Some(f) = &r.fleet {
        upsert(
            "Fleets",
            key_at(f, &["FleetId"]),
            f,
            "a Fleet without a FleetId",
        )?;
    }
    let removals = [
        ("Aliases", r.deleted_alias),
        ("Queues", r.deleted_queue),
        ("RuleSets", r.deleted_rule_set),
        ("Configurations", r.deleted_configuration),
    ];
    for (table, key) in removals {
        if let Some(key) = key {
            rows.push(RowChange {
                table: table.to_owned(),
                key,
                row: None,
            });
        }
    }
    Ok(Record {
        seq: r.seq,
        reset: r.reset,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_member_becomes_its_row() {
        let line = br#"{"Seq":3,"GameSessionDetail":{"GameSession":{"GameSessionId":"gs-1"}},"PlayerSessions":[{"PlayerSessionId":"psess-1"}],"CreateRequest":{"FleetId":"fleet-1"}}"#;
        let r = read(line).expect("a record");
        let rows: Vec<(&str, &str, bool)> = r
            .rows
            .iter()
            .map(|c| (c.table.as_str(), c.key.as_str(), c.row.is_some()))
            .collect();
        assert_eq!(
            rows,
            [
                ("GameSessions", "gs-1", true),
                ("PlayerSessions", "psess-1", true),
                ("CreateRequests", "gs-1", true)
            ]
        );
        let r = read(br#"{"Seq":4,"DeletedAlias":"alias-1"}"#).expect("a record");
        assert_eq!(
            (r.rows[0].table.as_str(), r.rows[0].row.is_none()),
            ("Aliases", true)
        );
        let r = read(br#"{"Seq":5,"Placement":{"PlacementId":"p"},"DesiredPlayerSessions":[{"PlayerId":"a"}]}"#)
            .expect("a record");
        assert_eq!(
            r.rows[0].row.as_ref().map(|r| r.get()),
            Some(r#"{"DesiredPlayerSessions":[{"PlayerId":"a"}],"Placement":{"PlacementId":"p"}}"#)
        );
        assert_eq!(
            read(br#"{"Seq":6,"Alias":{"Name":"x"}}"#).map(|_| ()),
            Err("has an Alias without an AliasId".to_owned())
        );
    }
}
