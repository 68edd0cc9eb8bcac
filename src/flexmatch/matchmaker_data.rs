//! A game session's `MatchmakerData`: the match FlexMatch made for it,
//! with every player now in it (SPEC §13).
//!
//! `{matchId, matchmakingConfigurationArn, teams[{name, players[{playerId,
//! attributes{name: {attributeType, valueAttribute}}}]}],
//! autoBackfillMode, autoBackfillTicketId}`; `attributeType` is `STRING`,
//! `DOUBLE`, `STRING_LIST` or `STRING_DOUBLE_MAP`. After a backfill, the
//! data names every player of the backfill's match: the players its
//! ticket listed, and the new ones, and keeps the game session's match id
//! (**decision**).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::configuration::MatchmakingConfiguration;
use super::player::AttributeValue;
use super::ticket::Ticket;
use crate::model::enums::BackfillMode;

/// A game session's `MatchmakerData`. Its players' ids and attributes
/// are the players' data: `Debug` shows neither.
///
/// ```
/// use gamelift_session::flexmatch::MatchmakerData;
///
/// let data: MatchmakerData = serde_json::from_str(r#"{"matchId": "m-1",
///     "matchmakingConfigurationArn": "arn:aws:gamelift:us-west-2:1:matchmakingconfiguration/duel",
///     "teams": [{"name": "red", "players": [{"playerId": "ana", "attributes":
///         {"skill": {"attributeType": "DOUBLE", "valueAttribute": 23}}}]}],
///     "autoBackfillMode": null, "autoBackfillTicketId": null}"#)?;
/// assert_eq!(data.teams[0].players.len(), 1);
/// assert!(!format!("{data:?}").contains("ana"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MatchmakerData {
    /// The match's id.
    pub match_id: String,
    /// The configuration that made it.
    pub matchmaking_configuration_arn: String,
    /// Its teams and their players.
    pub teams: Vec<MatchmakerTeam>,
    /// `AUTOMATIC` when the configuration backfills on its own.
    pub auto_backfill_mode: Option<String>,
    /// The automatic backfill's ticket.
    pub auto_backfill_ticket_id: Option<String>,
}

/// A team of [`MatchmakerData`].
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MatchmakerTeam {
    /// Its name.
    pub name: String,
    /// Its players.
    pub players: Vec<MatchmakerPlayer>,
}

/// A player of [`MatchmakerData`].
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MatchmakerPlayer {
    /// The player's id.
    pub player_id: String,
    /// The player's attributes, by name.
    #[serde(default)]
    pub attributes: BTreeMap<String, MatchmakerAttribute>,
}

/// An attribute of [`MatchmakerPlayer`].
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MatchmakerAttribute {
    /// `STRING`, `DOUBLE`, `STRING_LIST` or `STRING_DOUBLE_MAP`.
    pub attribute_type: String,
    /// The value.
    pub value_attribute: MatchmakerValue,
}

/// The value of [`MatchmakerAttribute`].
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum MatchmakerValue {
    /// A number.
    Number(f64),
    /// A string.
    Text(String),
    /// A list of strings.
    List(Vec<String>),
    /// A map of strings to numbers.
    Map(BTreeMap<String, f64>),
}

impl fmt::Debug for MatchmakerData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let teams: Vec<(&str, usize)> = self
            .teams
            .iter()
            .map(|t| (t.name.as_str(), t.players.len()))
            .collect();
        f.debug_struct("MatchmakerData")
            .field("match_id", &self.match_id)
            .field(
                "matchmaking_configuration_arn",
                &self.matchmaking_configuration_arn,
            )
            .field("teams", &teams)
            .field("auto_backfill_mode", &self.auto_backfill_mode)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for MatchmakerTeam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MatchmakerTeam")
            .field("name", &self.name)
            .field("players", &self.players.len())
            .finish()
    }
}

impl fmt::Debug for MatchmakerPlayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MatchmakerPlayer")
            .field("attributes", &self.attributes.len())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for MatchmakerAttribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MatchmakerAttribute")
            .field("attribute_type", &self.attribute_type)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for MatchmakerValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MatchmakerValue(..)")
    }
}

impl MatchmakerAttribute {
    fn of(value: &AttributeValue) -> Option<Self> {
        let (kind, value) = if let Some(n) = value.n {
            ("DOUBLE", MatchmakerValue::Number(n))
        } else if let Some(s) = &value.s {
            ("STRING", MatchmakerValue::Text(s.clone()))
        } else if let Some(l) = &value.sl {
            ("STRING_LIST", MatchmakerValue::List(l.clone()))
        } else {
            (
                "STRING_DOUBLE_MAP",
                MatchmakerValue::Map(value.sdm.clone()?),
            )
        };
        Some(MatchmakerAttribute {
            attribute_type: kind.to_owned(),
            value_attribute: value,
        })
    }
}

impl MatchmakerData {
    /// The data of the match `match_id` of `configuration`, whose tickets
    /// are `tickets` (their players on the teams the match put them on),
    /// teams in name order.
    #[must_use]
    pub fn of_match(
        match_id: &str,
        configuration: &MatchmakingConfiguration,
        tickets: &[Ticket],
    ) -> Self {
        let mut teams: BTreeMap<String, Vec<MatchmakerPlayer>> = BTreeMap::new();
        for t in tickets {
            for p in t.ticket.players() {
                let attributes = p
                    .player_attributes
                    .iter()
                    .flatten()
                    .filter_map(|(name, v)| Some((name.clone(), MatchmakerAttribute::of(v)?)))
                    .collect();
                teams
                    .entry(p.team.clone().unwrap_or_default())
                    .or_default()
                    .push(MatchmakerPlayer {
                        player_id: p.player_id.clone().unwrap_or_default(),
                        attributes,
                    });
            }
        }
        let automatic = configuration.backfill_mode == Some(BackfillMode::Automatic);
        MatchmakerData {
            match_id: match_id.to_owned(),
            matchmaking_configuration_arn: configuration
                .configuration_arn
                .clone()
                .unwrap_or_default(),
            teams: teams
                .into_iter()
                .map(|(name, players)| MatchmakerTeam { name, players })
                .collect(),
            auto_backfill_mode: automatic.then(|| "AUTOMATIC".to_owned()),
            auto_backfill_ticket_id: None,
        }
    }
}
