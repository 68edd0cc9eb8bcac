//! Paging by `NextToken`, shared by every describe and the search.
//!
//! **Decision**: the token this crate issues is the id of the last item of
//! the page (a `GameSessionId` or a `PlayerSessionId`), and the next page
//! resumes after that item's place in the store. So a session or player
//! session that starts or stops matching while a caller pages (it ends,
//! it fills up) neither shifts the pages after it nor makes them skip or
//! repeat an item: each item that matches throughout is returned exactly
//! once. A token naming no item of the store is `InvalidRequestException`.
//! `Limit` (or the operation's default from [`Limits`](crate::Limits))
//! sets the page size.

use crate::model::echo::Cut;
use crate::model::error::GameLiftError;
use crate::model::limits::Limits;
use crate::model::validate::{FieldPath, Validator};

/// The error for a token naming no item of the store.
pub(crate) fn invalid_token(token: &str) -> GameLiftError {
    GameLiftError::invalid_request(format!("Invalid NextToken: {}", Cut(token)))
}

/// The page size: `limit` when it is positive, else `default_size`.
pub(crate) fn size(limit: Option<i32>, default_size: usize) -> usize {
    limit
        .and_then(|l| usize::try_from(l).ok())
        .filter(|&l| l > 0)
        .unwrap_or(default_size)
}

/// One page of a store walked in order: `items` yields every item of the
/// store with its id, and `Some` for the items that match. The page is the
/// first `size` matches after the item `after` names, and the token is the
/// id of the page's last item when another match follows it.
///
/// # Errors
///
/// `InvalidRequestException` when `after` names no item of the store.
pub(crate) fn page_after<'i, T>(
    items: impl IntoIterator<Item = (Option<&'i str>, Option<T>)>,
    after: Option<&str>,
    size: usize,
) -> Result<(Vec<T>, Option<String>), GameLiftError> {
    let mut items = items.into_iter();
    if let Some(token) = after
        && !items.by_ref().any(|(id, _)| id == Some(token))
    {
        return Err(invalid_token(token));
    }
    let (page, token) = take_page(
        items.filter_map(|(id, item)| Some((id, item?))),
        size,
        |&(id, _)| id.map(str::to_owned),
    );
    Ok((page.into_iter().map(|(_, item)| item).collect(), token))
}

/// One page of `items` (a store of resources named by `key`): those
/// `wanted`, `Limit` (or `default_size`) of them after the one `token`
/// names.
///
/// # Errors
///
/// `InvalidRequestException` when `token` names no item.
pub(crate) fn page_of<'a, T: 'a>(
    items: impl IntoIterator<Item = &'a T>,
    key: impl Fn(&T) -> Option<&str>,
    wanted: impl Fn(&T) -> bool,
    (limit, default_size): (Option<i32>, usize),
    token: Option<&str>,
) -> Result<(Vec<&'a T>, Option<String>), GameLiftError> {
    let all = items.into_iter().map(|x| (key(x), wanted(x).then_some(x)));
    page_after(all, token, size(limit, default_size))
}

/// The first `size` of `matches`, and the token of the next page (`id` of
/// the page's last item) when another match follows.
pub(crate) fn take_page<T>(
    matches: impl IntoIterator<Item = T>,
    size: usize,
    id: impl Fn(&T) -> Option<String>,
) -> (Vec<T>, Option<String>) {
    let mut matches = matches.into_iter();
    let page: Vec<T> = matches.by_ref().take(size).collect();
    let more = page.len() == size && matches.next().is_some();
    let token = page.last().filter(|_| more).and_then(id);
    (page, token)
}

/// Validates a paged request's `Limit` (at least 1) and `NextToken` (1 to
/// the model's length), as every list and describe does.
pub(crate) fn check(v: &mut Validator, limit: Option<i32>, token: Option<&str>, limits: &Limits) {
    if let Some(limit) = limit {
        v.min_value(FieldPath::Member("limit"), i64::from(limit), 1);
    }
    if let Some(token) = token {
        v.length(
            FieldPath::Member("nextToken"),
            token,
            1,
            limits.max_next_token_length,
            false,
        );
    }
}
