//! Paging by `NextToken`, shared by every describe: the token this crate
//! issues is the position of the next item, and `Limit` (or the operation's
//! default from [`Limits`](crate::Limits)) sets the page size.

use crate::error::GameLiftError;
use crate::validate::Cut;

/// Where a page starts: the position a `NextToken` names, 0 without one.
pub(crate) fn start(next_token: Option<&str>) -> Result<usize, GameLiftError> {
    next_token.map_or(Ok(0), |token| {
        token.parse::<usize>().map_err(|_| {
            GameLiftError::invalid_request(format!("Invalid NextToken: {}", Cut(token)))
        })
    })
}

/// The page of `items` from `start`, of `limit` items (or `default_size`),
/// and the token of the next page when there is one.
pub(crate) fn page<T>(
    mut items: Vec<T>,
    start: usize,
    limit: Option<i32>,
    default_size: usize,
) -> (Vec<T>, Option<String>) {
    let size = limit
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(default_size);
    let total = items.len();
    let end = start.saturating_add(size).min(total);
    let next_token = (end < total).then(|| end.to_string());
    items.truncate(end);
    let page = items.split_off(start.min(end));
    (page, next_token)
}
