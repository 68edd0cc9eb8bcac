//! Custom locations, where Anywhere fleets' computes live
//! (`CreateLocation`, `ListLocations`, `DeleteLocation`).
//!
//! The rules (SPEC §11, the model):
//!
//! - A location's name is 8 to 64 characters of `^custom-[A-Za-z0-9\-]+`;
//!   its ARN is `arn:aws:gamelift:<region>:<account>:location/<name>`.
//! - A second `CreateLocation` of a name is `ConflictException`; a
//!   `DeleteLocation` of a location a fleet uses is
//!   `InvalidRequestException` (both messages **decisions**: the service's
//!   are not public).
//! - `ListLocations` answers the home Region as an `AWS` location, then the
//!   custom ones, in the order made; `Filters` keeps `AWS` or `CUSTOM`.

use serde::{Deserialize, Serialize};

use crate::model::echo::Cut;
use crate::model::error::GameLiftError;
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::paging;
use crate::model::validate::{FieldPath, Validator};

/// A custom location's name: `custom-` and letters, digits or `-`.
pub const CUSTOM_LOCATION_PATTERN: &str = "^custom-[A-Za-z0-9\\-]+";

/// A location (`LocationModel`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Location {
    /// Its name: `custom-…`, or a Region.
    pub location_name: Option<String>,
    /// Its ARN (custom locations).
    pub location_arn: Option<String>,
}

object_only!(Location, wire::LocationDef);

impl Location {
    /// The custom location `name` of `region` and `account_id`.
    #[must_use]
    pub fn custom(name: &str, region: &str, account_id: &str) -> Self {
        Location {
            location_name: Some(name.to_owned()),
            location_arn: Some(format!(
                "arn:aws:gamelift:{region}:{account_id}:location/{name}"
            )),
        }
    }

    /// The AWS Region `region` as a location.
    #[must_use]
    pub fn region(region: &str) -> Self {
        Location {
            location_name: Some(region.to_owned()),
            location_arn: None,
        }
    }

    /// Whether it is a custom location.
    #[must_use]
    pub fn is_custom(&self) -> bool {
        self.location_name
            .as_deref()
            .is_some_and(|n| n.starts_with("custom-"))
    }
}

fn is_custom_location(s: &str) -> bool {
    s.strip_prefix("custom-").is_some_and(|rest| {
        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// Checks a custom location name at `path`.
pub(crate) fn check_location_name(v: &mut Validator, path: FieldPath, name: &str) {
    v.length(path, name, 8, 64, false);
    v.pattern(path, name, CUSTOM_LOCATION_PATTERN, is_custom_location);
}

/// A request for a custom location (`CreateLocationInput`); `Tags` are
/// accepted and ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CreateLocationInput {
    /// The name: required.
    pub location_name: Option<String>,
}

object_only!(CreateLocationInput, wire::CreateLocationDef);

/// A request naming a location (`DeleteLocationInput`).
pub type LocationNameInput = CreateLocationInput;

impl CreateLocationInput {
    /// A request for the location `name`.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        CreateLocationInput {
            location_name: Some(name.into()),
        }
    }

    /// Validates the request; answers the name.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    ///
    /// ```
    /// use gamelift_session::fleet::CreateLocationInput;
    ///
    /// assert_eq!(CreateLocationInput::new("custom-home").validate()?, "custom-home");
    /// let err = CreateLocationInput::new("home").validate().unwrap_err();
    /// assert_eq!(err.to_string(), "2 validation errors detected: \
    ///     Value 'home' at 'locationName' failed to satisfy constraint: Member must have length greater than or equal to 8; \
    ///     Value 'home' at 'locationName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^custom-[A-Za-z0-9\\-]+");
    /// # Ok::<(), gamelift_session::GameLiftError>(())
    /// ```
    pub fn validate(&self) -> Result<&str, GameLiftError> {
        let mut v = Validator::default();
        let path = FieldPath::Member("locationName");
        if let Some(name) = v.required(path, self.location_name.as_deref()) {
            check_location_name(&mut v, path, name);
        }
        v.finish()?;
        Ok(self.location_name.as_deref().unwrap_or_default())
    }
}

/// `ConflictException` for a location that exists.
#[must_use]
pub fn location_exists(name: &str) -> GameLiftError {
    GameLiftError::conflict(format!("Location {} already exists", Cut(name)))
}

/// `NotFoundException` for a location no one made.
#[must_use]
pub fn location_not_found(name: &str) -> GameLiftError {
    GameLiftError::not_found(format!("Location {} not found", Cut(name)))
}

/// A request for locations (`ListLocationsInput`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ListLocationsInput {
    /// `AWS`, `CUSTOM`, or both (absent).
    pub filters: Option<Vec<String>>,
    /// The page size: 1 to 200.
    pub limit: Option<i32>,
    /// Where the page starts.
    pub next_token: Option<String>,
}

object_only!(ListLocationsInput, wire::ListLocationsDef);

/// The answer to `ListLocations`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListLocationsOutput<'a> {
    /// The locations of the page.
    pub locations: Vec<&'a Location>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl ListLocationsInput {
    /// Validates the request and answers a page of `locations` (the home
    /// Region's first).
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    pub fn select<'a>(
        &self,
        locations: impl IntoIterator<Item = &'a Location>,
        limits: &Limits,
    ) -> Result<ListLocationsOutput<'a>, GameLiftError> {
        let mut v = Validator::default();
        for (i, f) in self.filters.iter().flatten().enumerate() {
            v.pattern(
                FieldPath::Element {
                    list: "filters",
                    index: i + 1,
                },
                f,
                "AWS|CUSTOM",
                |s| s == "AWS" || s == "CUSTOM",
            );
        }
        if let Some(l) = self.limit {
            v.min_value(FieldPath::Member("limit"), i64::from(l), 1);
            v.max_value(FieldPath::Member("limit"), i64::from(l), 200);
        }
        paging::check(&mut v, None, self.next_token.as_deref(), limits);
        v.finish()?;
        let wants = |l: &Location| match &self.filters {
            None => true,
            Some(f) if f.is_empty() => true,
            Some(f) => f.iter().any(|k| (k == "CUSTOM") == l.is_custom()),
        };
        let items = locations
            .into_iter()
            .filter(|l| wants(l))
            .map(|l| (l.location_name.as_deref(), Some(l)));
        let size = paging::size(self.limit, limits.default_describe_page_size);
        let (page, next_token) = paging::page_after(items, self.next_token.as_deref(), size)?;
        Ok(ListLocationsOutput {
            locations: page,
            next_token,
        })
    }
}

/// The serde twins of the shapes.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "Location", rename_all = "PascalCase")]
    pub(super) struct LocationDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location_arn: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "CreateLocationInput", rename_all = "PascalCase")]
    pub(super) struct CreateLocationDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location_name: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "ListLocationsInput", rename_all = "PascalCase")]
    pub(super) struct ListLocationsDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filters: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_token: Option<String>,
    }
}
