//! Fleets: attributes, listing and paging, and the capacity rule.

use gamelift_session::{
    GameSession, GameSessionStatus, Limits,
    fleet::{DescribeFleetAttributesInput, FleetAttributes, ListFleetsInput, check_fleet_capacity},
};
use time::OffsetDateTime;

fn fleets() -> Vec<FleetAttributes> {
    (1..=3)
        .map(|i| {
            FleetAttributes::new(
                &format!("fleet-{i}"),
                "us-west-2",
                "123456789012",
                OffsetDateTime::UNIX_EPOCH,
            )
        })
        .collect()
}

#[test]
fn attributes_by_id_or_arn_keep_the_lists_order_and_leave_unknown_fleets_out() {
    let fleets = fleets();
    let mut input = DescribeFleetAttributesInput::default();
    input.fleet_ids = Some(vec![
        "arn:aws:gamelift:us-west-2:123456789012:fleet/fleet-3".into(),
        "fleet-9".into(),
        "fleet-1".into(),
    ]);
    input.limit = Some(1);
    let out = input.select(&fleets, &Limits::AWS).unwrap();
    let ids: Vec<_> = out
        .fleet_attributes
        .iter()
        .map(|f| f.fleet_id.as_str())
        .collect();
    assert_eq!(ids, ["fleet-3", "fleet-1"]);
    assert_eq!(out.next_token, None);
    let wire = serde_json::to_value(&out).unwrap();
    assert_eq!(
        wire["FleetAttributes"][0],
        serde_json::json!({"FleetId": "fleet-3",
            "FleetArn": "arn:aws:gamelift:us-west-2:123456789012:fleet/fleet-3",
            "FleetType": "ON_DEMAND", "ComputeType": "EC2", "Name": "fleet-3",
            "Status": "ACTIVE", "CreationTime": 0.0})
    );
}

#[test]
fn every_fleet_in_pages_and_the_list_of_ids() {
    let fleets = fleets();
    let mut input = DescribeFleetAttributesInput::default();
    input.limit = Some(2);
    let first = input.select(&fleets, &Limits::AWS).unwrap();
    assert_eq!(
        (first.fleet_attributes.len(), first.next_token.as_deref()),
        (2, Some("fleet-2"))
    );
    input.next_token = first.next_token.clone();
    assert_eq!(
        input
            .select(&fleets, &Limits::AWS)
            .unwrap()
            .fleet_attributes[0]
            .fleet_id,
        "fleet-3"
    );
    let mut list = ListFleetsInput::default();
    list.limit = Some(0);
    assert_eq!(
        list.select(&fleets, &Limits::AWS).unwrap_err().to_string(),
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
    list.limit = None;
    assert_eq!(
        list.select(&fleets, &Limits::AWS).unwrap().fleet_ids,
        ["fleet-1", "fleet-2", "fleet-3"]
    );
}

#[test]
fn the_list_of_fleet_ids_is_validated_in_awss_words() {
    let mut input = DescribeFleetAttributesInput::default();
    input.fleet_ids = Some(vec!["pool 1".into()]);
    assert_eq!(
        input
            .select(&fleets(), &Limits::AWS)
            .unwrap_err()
            .to_string(),
        "1 validation error detected: Value 'pool 1' at 'fleetIds.1.member' failed to satisfy constraint: \
         Member must satisfy regular expression pattern: \
         ^[a-z]*fleet-[a-zA-Z0-9\\-]+$|^arn:.*:[a-z]*fleet\\/[a-z]*fleet-[a-zA-Z0-9\\-]+$"
    );
    input.fleet_ids = Some(Vec::new());
    assert_eq!(
        input
            .select(&fleets(), &Limits::AWS)
            .unwrap_err()
            .to_string(),
        "1 validation error detected: Value at 'fleetIds' failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
}

#[test]
fn only_live_sessions_of_the_fleet_take_room() {
    let session = |fleet: &str, status| {
        let mut s = GameSession::default();
        s.fleet_id = Some(fleet.to_owned());
        s.status = Some(status);
        s
    };
    let sessions = [
        session("fleet-1", GameSessionStatus::Activating),
        session("fleet-1", GameSessionStatus::Terminating),
        session("fleet-1", GameSessionStatus::Terminated),
        session("fleet-1", GameSessionStatus::Error),
        session("fleet-2", GameSessionStatus::Active),
    ];
    assert!(check_fleet_capacity(&sessions, "fleet-1", 3).is_ok());
    let err = check_fleet_capacity(&sessions, "arn:aws:gamelift:us-west-2:1:fleet/fleet-1", 2)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Fleet fleet-1 has no room for a new game session: 2 of 2 are live"
    );
}
