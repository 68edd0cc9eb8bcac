//! Aliases: creation, validation in AWS's words, routing, updates, listing.

use gamelift_session::{
    GameLiftError, Limits,
    fleet::{
        Alias, AliasContext, AliasIdInput, CreateAliasInput, ListAliasesInput, RoutingStrategy,
        UpdateAliasInput, find_alias, resolve_alias,
    },
    model::RoutingStrategyType,
};
use time::OffsetDateTime;

const T0: OffsetDateTime = OffsetDateTime::UNIX_EPOCH;

fn at(id: &str) -> AliasContext<'_> {
    AliasContext::new("us-west-2", "123456789012", T0, id)
}

fn alias(id: &str, name: &str, strategy: RoutingStrategy) -> Alias {
    CreateAliasInput::new(name, strategy)
        .create(&at(id))
        .expect("a valid alias")
}

#[track_caller]
fn message(result: Result<impl std::fmt::Debug, GameLiftError>) -> (String, String) {
    let e = result.expect_err("an error");
    (e.code().to_owned(), e.to_string())
}

#[test]
fn a_new_alias_has_its_id_arn_times_and_strategy() {
    let mut input = CreateAliasInput::new("live", RoutingStrategy::simple("fleet-1a2b"));
    input.description = Some("the fleet players are on".into());
    let a = input.create(&at("alias-7")).unwrap();
    assert_eq!(a.alias_id.as_deref(), Some("alias-7"));
    assert_eq!(
        a.alias_arn.as_deref(),
        Some("arn:aws:gamelift:us-west-2:123456789012:alias/alias-7")
    );
    assert_eq!((a.creation_time, a.last_updated_time), (Some(T0), Some(T0)));
    let wire = serde_json::to_value(&a).unwrap();
    assert_eq!(
        wire,
        serde_json::json!({
            "AliasId": "alias-7", "Name": "live",
            "AliasArn": "arn:aws:gamelift:us-west-2:123456789012:alias/alias-7",
            "Description": "the fleet players are on",
            "RoutingStrategy": {"Type": "SIMPLE", "FleetId": "fleet-1a2b"},
            "CreationTime": 0.0, "LastUpdatedTime": 0.0
        })
    );
    let back: Alias = serde_json::from_value(wire).unwrap();
    assert_eq!(back, a);
}

#[test]
fn every_violation_is_reported_in_awss_words() {
    assert_eq!(
        message(CreateAliasInput::default().create(&at("alias-1"))),
        (
            "InvalidRequestException".into(),
            "2 validation errors detected: \
             Value null at 'name' failed to satisfy constraint: Member must not be null; \
             Value null at 'routingStrategy' failed to satisfy constraint: Member must not be null"
                .into()
        )
    );
    let mut strategy = RoutingStrategy::simple("fleet-1");
    strategy.r#type = Some(serde_json::from_str("\"ROUND_ROBIN\"").unwrap());
    let mut input = CreateAliasInput::new("x".repeat(1025), strategy);
    input.description = Some(String::new());
    assert_eq!(
        message(input.create(&at("alias-1"))).1,
        format!(
            "3 validation errors detected: \
             Value '{}...' at 'name' failed to satisfy constraint: Member must have length less than or equal to 1024; \
             Value '' at 'description' failed to satisfy constraint: Member must have length greater than or equal to 1; \
             Value 'ROUND_ROBIN' at 'routingStrategy.type' failed to satisfy constraint: Member must satisfy enum value set: [SIMPLE, TERMINAL]",
            "x".repeat(256)
        )
    );
    let long_fleet = RoutingStrategy::simple(format!("fleet-{}", "a".repeat(123)));
    assert_eq!(
        message(CreateAliasInput::new("n", long_fleet).create(&at("alias-1"))).1,
        format!(
            "1 validation error detected: Value 'fleet-{}' at 'routingStrategy.fleetId' \
             failed to satisfy constraint: Member must have length less than or equal to 128",
            "a".repeat(123)
        )
    );
}

#[test]
fn the_routing_rules_the_model_leaves_to_the_service() {
    let mut no_fleet = RoutingStrategy::simple("fleet-1");
    no_fleet.fleet_id = None;
    let mut no_message = RoutingStrategy::terminal("gone");
    no_message.message = None;
    let cases = [
        (
            RoutingStrategy::default(),
            "RoutingStrategy needs a Type: SIMPLE or TERMINAL",
        ),
        (no_fleet, "A SIMPLE RoutingStrategy needs a FleetId"),
        (no_message, "A TERMINAL RoutingStrategy needs a Message"),
    ];
    for (strategy, expected) in cases {
        assert_eq!(
            message(CreateAliasInput::new("n", strategy).create(&at("alias-1"))),
            ("InvalidRequestException".into(), expected.into())
        );
    }
    // Fleet ids the pattern takes: a lowercase prefix ending in "fleet".
    for fleet in ["fleet-1", "myfleet-A-9", "fleet--"] {
        assert!(
            CreateAliasInput::new("n", RoutingStrategy::simple(fleet))
                .create(&at("alias-1"))
                .is_ok(),
            "{fleet}"
        );
    }
    for fleet in [
        "Fleet-1",
        "fleet-",
        "fleet_1",
        "arn:aws:gamelift:::fleet/fleet-1",
    ] {
        assert!(
            CreateAliasInput::new("n", RoutingStrategy::simple(fleet))
                .create(&at("alias-1"))
                .is_err(),
            "{fleet}"
        );
    }
}

#[test]
fn a_simple_alias_resolves_and_a_terminal_one_answers_its_message() {
    let aliases = [
        alias("alias-1", "live", RoutingStrategy::simple("fleet-1a2b")),
        alias(
            "alias-2",
            "old",
            RoutingStrategy::terminal("Update the game to play"),
        ),
    ];
    assert_eq!(resolve_alias(&aliases, "alias-1").unwrap(), "fleet-1a2b");
    assert_eq!(
        resolve_alias(
            &aliases,
            "arn:aws:gamelift:us-west-2:123456789012:alias/alias-1"
        )
        .unwrap(),
        "fleet-1a2b",
        "by its ARN too"
    );
    assert_eq!(
        message(resolve_alias(&aliases, "alias-2")),
        (
            "TerminalRoutingStrategyException".into(),
            "Update the game to play".into()
        )
    );
    assert_eq!(
        message(find_alias(&aliases, "alias-9")),
        ("NotFoundException".into(), "Alias alias-9 not found".into())
    );
}

#[test]
fn an_update_changes_what_it_names_and_the_update_time() {
    let mut a = alias("alias-1", "live", RoutingStrategy::simple("fleet-1"));
    let mut input = UpdateAliasInput::new("alias-1");
    input.routing_strategy = Some(RoutingStrategy::terminal("closed"));
    assert_eq!(input.validate_with(&Limits::AWS).unwrap(), "alias-1");
    let later = T0 + time::Duration::seconds(5);
    input.apply(&mut a, later);
    assert_eq!(a.name.as_deref(), Some("live"), "the name stays");
    assert_eq!(
        a.routing_strategy,
        Some(RoutingStrategy::terminal("closed"))
    );
    assert_eq!(
        (a.creation_time, a.last_updated_time),
        (Some(T0), Some(later))
    );
    let mut bad = UpdateAliasInput::new("fleet-1");
    bad.name = Some("   ".into());
    assert_eq!(
        message(bad.validate_with(&Limits::AWS)).1,
        "2 validation errors detected: \
         Value 'fleet-1' at 'aliasId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(alias-\\S+|arn:.*:alias\\/alias-\\S+)$; \
         Value '   ' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\S.*"
    );
    assert_eq!(
        message(AliasIdInput::default().validate_with(&Limits::AWS)).1,
        "1 validation error detected: Value null at 'aliasId' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn listing_filters_by_type_and_name_and_pages_by_the_last_alias() {
    let aliases: Vec<Alias> = (0..5)
        .map(|i| {
            let strategy = if i % 2 == 0 {
                RoutingStrategy::simple("fleet-1")
            } else {
                RoutingStrategy::terminal("gone")
            };
            alias(
                &format!("alias-{i}"),
                if i < 3 { "a" } else { "b" },
                strategy,
            )
        })
        .collect();
    let ids = |out: &gamelift_session::fleet::ListAliasesOutput<'_>| {
        out.aliases
            .iter()
            .map(|a| a.alias_id.clone().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    let all = ListAliasesInput::default()
        .select(&aliases, &Limits::AWS)
        .unwrap();
    assert_eq!(
        ids(&all),
        ["alias-0", "alias-1", "alias-2", "alias-3", "alias-4"]
    );
    let mut simple = ListAliasesInput::default();
    simple.routing_strategy_type = Some(gamelift_session::model::EnumValue::Known(
        RoutingStrategyType::Simple,
    ));
    simple.name = Some("a".into());
    assert_eq!(
        ids(&simple.select(&aliases, &Limits::AWS).unwrap()),
        ["alias-0", "alias-2"]
    );
    let mut paged = ListAliasesInput::default();
    paged.limit = Some(2);
    let first = paged.select(&aliases, &Limits::AWS).unwrap();
    assert_eq!(
        (ids(&first), first.next_token.as_deref()),
        (vec!["alias-0".into(), "alias-1".into()], Some("alias-1"))
    );
    paged.next_token = first.next_token.clone();
    let second = paged.select(&aliases, &Limits::AWS).unwrap();
    assert_eq!(ids(&second), ["alias-2", "alias-3"]);
    paged.limit = Some(0);
    assert_eq!(
        message(paged.select(&aliases, &Limits::AWS)).1,
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
    let json = serde_json::to_value(&all).unwrap();
    assert_eq!(json["Aliases"].as_array().map(Vec::len), Some(5));
    assert!(json.get("NextToken").is_none());
}
