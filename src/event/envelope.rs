//! The EventBridge envelope every GameLift event has, on the SNS path and
//! the EventBridge path alike (SPEC §12 "The document").

use serde::Serialize;
use time::OffsetDateTime;

/// Where and when an event happens: what the envelope says besides its
/// detail. The embedder gives the id (a UUID) and the time (its clock).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EventSource {
    /// The event's id: a UUID.
    pub id: String,
    /// When it happened.
    pub time: OffsetDateTime,
    /// The Region of the configuration or queue.
    pub region: String,
    /// The account that owns it.
    pub account: String,
}

impl EventSource {
    /// An event `id` at `time` in `region` of `account`.
    #[must_use]
    pub fn new(
        id: impl Into<String>,
        time: OffsetDateTime,
        region: impl Into<String>,
        account: impl Into<String>,
    ) -> Self {
        EventSource {
            id: id.into(),
            time,
            region: region.into(),
            account: account.into(),
        }
    }
}

/// An event document: `{"version": "0", "id", "detail-type", "source":
/// "aws.gamelift", "account", "time", "region", "resources", "detail"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EventDocument<D> {
    /// `"0"`.
    pub version: &'static str,
    /// The event's id.
    pub id: String,
    /// `GameLift Matchmaking Event` or `GameLift Queue Placement Event`.
    #[serde(rename = "detail-type")]
    pub detail_type: &'static str,
    /// `aws.gamelift`.
    pub source: &'static str,
    /// The account.
    pub account: String,
    /// ISO 8601 in UTC with milliseconds: `2017-08-09T19:59:09.159Z`.
    pub time: String,
    /// The Region.
    pub region: String,
    /// The configuration's or queue's ARN.
    pub resources: Vec<String>,
    /// What happened.
    pub detail: D,
}

impl<D> EventDocument<D> {
    pub(crate) fn new(
        source: &EventSource,
        detail_type: &'static str,
        resource: Option<&str>,
        detail: D,
    ) -> Self {
        EventDocument {
            version: "0",
            id: source.id.clone(),
            detail_type,
            source: "aws.gamelift",
            account: source.account.clone(),
            time: iso_millis(source.time),
            region: source.region.clone(),
            resources: resource.map(str::to_owned).into_iter().collect(),
            detail,
        }
    }
}

/// A time as the events write it: ISO 8601 in UTC with milliseconds.
///
/// ```
/// use gamelift_session::event::iso_millis;
/// use time::macros::datetime;
///
/// assert_eq!(iso_millis(datetime!(2017-08-09 19:59:09.159 UTC)), "2017-08-09T19:59:09.159Z");
/// assert_eq!(iso_millis(datetime!(2017-08-09 21:59:09.1599 +2)), "2017-08-09T19:59:09.159Z");
/// ```
#[must_use]
pub fn iso_millis(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}
