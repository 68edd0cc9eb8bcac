//! The players of a matchmaking request (`Player`) and their attribute
//! values (`AttributeValue`).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::object::object_only;
use crate::model::shapes::redact;

/// One value of a player attribute (`AttributeValue`): exactly one of a
/// string, a number, a list of strings, or a map of strings to numbers.
///
/// ```
/// use gamelift_session::flexmatch::AttributeValue;
///
/// let skill: AttributeValue = serde_json::from_str(r#"{"N": 23}"#)?;
/// assert_eq!(skill, AttributeValue::number(23.0));
/// assert_eq!(serde_json::to_string(&AttributeValue::string("mage"))?, r#"{"S":"mage"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct AttributeValue {
    /// A string, 1 to 100 characters.
    pub s: Option<String>,
    /// A number.
    pub n: Option<f64>,
    /// Up to 100 strings.
    pub sl: Option<Vec<String>>,
    /// Up to 10 strings with a number each.
    pub sdm: Option<BTreeMap<String, f64>>,
}

object_only!(AttributeValue, wire::AttributeValueDef);

impl AttributeValue {
    /// A string value.
    #[must_use]
    pub fn string(s: impl Into<String>) -> Self {
        AttributeValue {
            s: Some(s.into()),
            ..AttributeValue::default()
        }
    }

    /// A number value.
    #[must_use]
    pub fn number(n: f64) -> Self {
        AttributeValue {
            n: Some(n),
            ..AttributeValue::default()
        }
    }

    /// A list of strings.
    #[must_use]
    pub fn string_list<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Self {
        AttributeValue {
            sl: Some(items.into_iter().map(Into::into).collect()),
            ..AttributeValue::default()
        }
    }

    /// A map of strings to numbers.
    ///
    /// ```
    /// use gamelift_session::flexmatch::AttributeValue;
    ///
    /// let maps = AttributeValue::string_number_map([("harbor", 90.0), ("dunes", 10.0)]);
    /// assert_eq!(serde_json::to_string(&maps)?, r#"{"SDM":{"dunes":10.0,"harbor":90.0}}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn string_number_map<I: IntoIterator<Item = (S, f64)>, S: Into<String>>(
        entries: I,
    ) -> Self {
        AttributeValue {
            sdm: Some(entries.into_iter().map(|(k, v)| (k.into(), v)).collect()),
            ..AttributeValue::default()
        }
    }

    /// How many of its four forms are set: exactly one for a valid value.
    #[must_use]
    pub fn forms(&self) -> usize {
        usize::from(self.s.is_some())
            + usize::from(self.n.is_some())
            + usize::from(self.sl.is_some())
            + usize::from(self.sdm.is_some())
    }

    /// Whether it holds exactly one form, within the model's sizes: strings
    /// of 1 to 100 characters, at most 100 list items and 10 map entries,
    /// finite numbers.
    ///
    /// ```
    /// use gamelift_session::flexmatch::AttributeValue;
    ///
    /// assert!(AttributeValue::string("mage").is_well_formed());
    /// assert!(!AttributeValue::string("").is_well_formed());
    /// let mut both = AttributeValue::number(1.0);
    /// both.s = Some("one".to_owned());
    /// assert!(!both.is_well_formed());
    /// ```
    #[must_use]
    pub fn is_well_formed(&self) -> bool {
        let fits = |s: &String| !s.is_empty() && !crate::model::validate::longer_than(s, 100);
        self.forms() == 1
            && self.s.iter().chain(self.sl.iter().flatten()).all(fits)
            && self
                .sdm
                .iter()
                .flatten()
                .all(|(k, n)| fits(k) && n.is_finite())
            && self.sl.as_ref().is_none_or(|l| l.len() <= 100)
            && self.sdm.as_ref().is_none_or(|m| m.len() <= 10)
            && self.n.is_none_or(f64::is_finite)
    }
}

/// A player to match (`Player`). After a match, `team` names the team the
/// player was put on.
///
/// The player's id and attributes are the player's data: `Debug` shows
/// neither.
#[derive(Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Player {
    /// The player's id: 1 to 1024 characters, required.
    pub player_id: Option<String>,
    /// The player's attributes, by name.
    pub player_attributes: Option<BTreeMap<String, AttributeValue>>,
    /// The team the player is on: set by a match, or given for backfill.
    pub team: Option<String>,
    /// The player's latency to each Region, in milliseconds.
    pub latency_in_ms: Option<BTreeMap<String, i32>>,
}

object_only!(Player, wire::PlayerDef);

impl fmt::Debug for Player {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Player")
            .field("player_id", &redact(self.player_id.as_ref()))
            .field(
                "player_attributes",
                &self.player_attributes.as_ref().map(BTreeMap::len),
            )
            .field("team", &self.team)
            .field("latency_in_ms", &self.latency_in_ms)
            .finish()
    }
}

impl Player {
    /// A player with this id and no attributes.
    #[must_use]
    pub fn new(player_id: impl Into<String>) -> Self {
        Player {
            player_id: Some(player_id.into()),
            ..Player::default()
        }
    }

    /// Sets the attribute `name`.
    #[must_use]
    pub fn attribute(mut self, name: impl Into<String>, value: AttributeValue) -> Self {
        self.player_attributes
            .get_or_insert_default()
            .insert(name.into(), value);
        self
    }

    /// Sets the latency to `region`.
    #[must_use]
    pub fn latency(mut self, region: impl Into<String>, milliseconds: i32) -> Self {
        self.latency_in_ms
            .get_or_insert_default()
            .insert(region.into(), milliseconds);
        self
    }

    /// The value of the attribute `name`, if the player has it.
    #[must_use]
    pub fn attribute_value(&self, name: &str) -> Option<&AttributeValue> {
        self.player_attributes.as_ref()?.get(name)
    }

    /// The player's id, or the empty string.
    pub(crate) fn id(&self) -> &str {
        self.player_id.as_deref().unwrap_or_default()
    }
}

/// The serde twins of the shapes.
// The twins name exactly the types their shapes use.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "AttributeValue")]
    pub(super) struct AttributeValueDef {
        #[serde(rename = "S", default, skip_serializing_if = "Option::is_none")]
        s: Option<String>,
        #[serde(rename = "N", default, skip_serializing_if = "Option::is_none")]
        n: Option<f64>,
        #[serde(rename = "SL", default, skip_serializing_if = "Option::is_none")]
        sl: Option<Vec<String>>,
        #[serde(rename = "SDM", default, skip_serializing_if = "Option::is_none")]
        sdm: Option<BTreeMap<String, f64>>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "Player", rename_all = "PascalCase")]
    pub(super) struct PlayerDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_attributes: Option<BTreeMap<String, AttributeValue>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        team: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        latency_in_ms: Option<BTreeMap<String, i32>>,
    }
}
