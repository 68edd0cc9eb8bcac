//! The control API of events and SNS subscriptions:
//!
//! - `POST /_emulator/sns/subscriptions` `{"TopicArn", "Endpoint",
//!   "AutoConfirm"?}` subscribes an `http://` endpoint to a topic (a
//!   `NotificationTarget`); answers `{"SubscriptionArn"}`. Without
//!   `AutoConfirm` the endpoint first receives a `SubscriptionConfirmation`,
//!   and notifications wait until its `SubscribeURL` is visited.
//! - `DELETE /_emulator/sns/subscriptions` `{"SubscriptionArn"}` (or a
//!   visit to a notification's `UnsubscribeURL`) deletes it; it receives
//!   an `UnsubscribeConfirmation`.
//! - `GET /_emulator/sns/subscriptions` lists them with their counts
//!   (waiting, delivered, failed attempts, dropped).
//! - `GET /_emulator/sns/confirm?SubscriptionArn=…&Token=…` confirms (the
//!   `SubscribeURL`), answering as SNS's `ConfirmSubscription` does.
//! - `GET /_emulator/events?since=N&limit=M` lists the documents published
//!   after `N`, oldest first, at most `M` (100 by default, 1,000 at most),
//!   with `Next` to pass as `since` for the following ones.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gamelift_session::GameLiftError;
use serde::Deserialize;
use serde_json::json;

use crate::emulator::Emulator;
use crate::failure::Failure;
use crate::protocol::Protocol;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct SubscribeRequest {
    topic_arn: String,
    endpoint: String,
    #[serde(default)]
    auto_confirm: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct UnsubscribeRequest {
    subscription_arn: String,
}

fn answer(result: Result<serde_json::Value, GameLiftError>, action: &str) -> Response {
    let body = result
        .map(|v| v.to_string().into_bytes())
        .map_err(Failure::from);
    crate::control::control_response(action, body)
}

pub(crate) async fn subscribe(State(emulator): State<Arc<Emulator>>, body: Bytes) -> Response {
    let result = Protocol::Json
        .parse::<SubscribeRequest>(&body)
        .and_then(|r| {
            emulator
                .events()
                .subscribe(&r.topic_arn, &r.endpoint, r.auto_confirm, emulator.now())
        })
        .map(|arn| json!({ "SubscriptionArn": arn }));
    answer(result, "sns/subscribe")
}

pub(crate) async fn unsubscribe(State(emulator): State<Arc<Emulator>>, body: Bytes) -> Response {
    let result = Protocol::Json
        .parse::<UnsubscribeRequest>(&body)
        .and_then(|r| {
            emulator
                .events()
                .unsubscribe(&r.subscription_arn, emulator.now())
                .map(|()| json!({ "SubscriptionArn": r.subscription_arn }))
        });
    answer(result, "sns/unsubscribe")
}

pub(crate) async fn subscriptions(State(emulator): State<Arc<Emulator>>) -> Response {
    answer(Ok(emulator.events().subscriptions()), "sns/subscriptions")
}

fn xml(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    response
}

/// The `SubscribeURL` and `UnsubscribeURL` (GET, as SNS's are visited).
pub(crate) async fn confirm(
    State(emulator): State<Arc<Emulator>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let arn = q.get("SubscriptionArn").cloned().unwrap_or_default();
    let token = q.get("Token").cloned().unwrap_or_default();
    match emulator.events().confirm(&arn, &token) {
        Ok(()) => {
            tracing::info!(control = "sns/confirm", status = 200);
            xml(
                StatusCode::OK,
                format!(
                    "<ConfirmSubscriptionResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ConfirmSubscriptionResult><SubscriptionArn>{}</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>",
                    escape(&arn)
                ),
            )
        }
        Err(e) => answer(Err(e), "sns/confirm"),
    }
}

/// A notification's `UnsubscribeURL`.
pub(crate) async fn unsubscribe_url(
    State(emulator): State<Arc<Emulator>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let arn = q.get("SubscriptionArn").cloned().unwrap_or_default();
    match emulator.events().unsubscribe(&arn, emulator.now()) {
        Ok(()) => xml(
            StatusCode::OK,
            "<UnsubscribeResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"/>".to_owned(),
        ),
        Err(e) => answer(Err(e), "sns/unsubscribe"),
    }
}

pub(crate) async fn events_listing(
    State(emulator): State<Arc<Emulator>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let number = |name: &str, default: u64| -> Result<u64, GameLiftError> {
        q.get(name).map_or(Ok(default), |v| {
            v.parse::<u64>().map_err(|_| {
                GameLiftError::invalid_request(format!("{name} must be a whole number"))
            })
        })
    };
    let result = number("since", 0).and_then(|since| {
        let limit = number("limit", 100)?.clamp(1, 1_000);
        Ok(emulator
            .events()
            .listing(since, usize::try_from(limit).unwrap_or(100)))
    });
    answer(result, "events")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
