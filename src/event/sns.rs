//! How SNS delivers a message to an HTTP subscriber (the SNS developer
//! guide's "HTTP/S" pages, SPEC §12 "SNS HTTP delivery"): the body, its
//! headers, and the retry policy.
//!
//! - A `POST` with `Content-Type: text/plain; charset=UTF-8` and the
//!   headers `x-amz-sns-message-type`, `x-amz-sns-message-id`,
//!   `x-amz-sns-topic-arn` and, for notifications and unsubscriptions,
//!   `x-amz-sns-subscription-arn`.
//! - The body is JSON: a `Notification` carries the event document as
//!   the `Message` string; a `SubscriptionConfirmation` (sent first, with
//!   a `Token` and a `SubscribeURL` to visit) and an
//!   `UnsubscribeConfirmation` carry a sentence.
//! - An answer from 200 to 499 delivers the message; any other answer, or
//!   none, is a failed attempt, tried again [`DELIVERY_RETRIES`] times
//!   [`RETRY_DELAY`] apart with the same `MessageId`, then dropped.
//! - **Decision**: `Signature` is a Base64 string that is not a real
//!   signature ([`NOT_A_SIGNATURE`]): nothing local holds SNS's key.

use serde::Serialize;
use time::OffsetDateTime;

use super::envelope::iso_millis;

/// The body's content type, as SNS sends it.
pub const SNS_CONTENT_TYPE: &str = "text/plain; charset=UTF-8";

/// Retries after a failed attempt (SNS's default HTTP policy: 3).
pub const DELIVERY_RETRIES: u32 = 3;

/// The wait before each retry (SNS's default: 20 s).
pub const RETRY_DELAY: time::Duration = time::Duration::seconds(20);

/// `Signature`: Base64 of "not a real signature".
pub const NOT_A_SIGNATURE: &str = "bm90IGEgcmVhbCBzaWduYXR1cmU=";

/// Whether an HTTP answer `status` delivers a message.
///
/// ```
/// use gamelift_session::event::is_delivered;
/// assert!(is_delivered(200) && is_delivered(404));
/// assert!(!is_delivered(500) && !is_delivered(302));
/// ```
#[must_use]
pub fn is_delivered(status: u16) -> bool {
    (200..500).contains(&status) && !(300..400).contains(&status)
}

/// An SNS message's `Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum SnsMessageType {
    /// A new subscription, to confirm.
    SubscriptionConfirmation,
    /// A message published to the topic.
    Notification,
    /// A subscription deleted.
    UnsubscribeConfirmation,
}

impl SnsMessageType {
    /// The name, as the header and `Type` give it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SnsMessageType::SubscriptionConfirmation => "SubscriptionConfirmation",
            SnsMessageType::Notification => "Notification",
            SnsMessageType::UnsubscribeConfirmation => "UnsubscribeConfirmation",
        }
    }
}

/// The JSON body SNS posts. `Debug` leaves out the `Message` (an event
/// names players and addresses) and the `Token`.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SnsMessage {
    /// What it is.
    #[serde(rename = "Type")]
    pub kind: SnsMessageType,
    /// Its id: the same on every attempt.
    pub message_id: String,
    /// A confirmation's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The topic.
    pub topic_arn: String,
    /// The event document, or a sentence.
    pub message: String,
    /// Where a confirmation is confirmed.
    #[serde(rename = "SubscribeURL", skip_serializing_if = "Option::is_none")]
    pub subscribe_url: Option<String>,
    /// When it was published.
    pub timestamp: String,
    /// `"1"`.
    pub signature_version: &'static str,
    /// [`NOT_A_SIGNATURE`].
    pub signature: &'static str,
    /// Where the certificate would be.
    #[serde(rename = "SigningCertURL")]
    pub signing_cert_url: String,
    /// Where a notification's subscriber unsubscribes.
    #[serde(rename = "UnsubscribeURL", skip_serializing_if = "Option::is_none")]
    pub unsubscribe_url: Option<String>,
}

/// What every message of a subscription shares. `Debug` leaves out the
/// token and the URL that carries it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SnsSubscription {
    /// The topic.
    pub topic_arn: String,
    /// The subscription.
    pub subscription_arn: String,
    /// Its confirmation token.
    pub token: String,
    /// Where it is confirmed (a GET).
    pub subscribe_url: String,
    /// Where it is deleted (a GET).
    pub unsubscribe_url: String,
    /// Where the signing certificate would be.
    pub signing_cert_url: String,
}

impl std::fmt::Debug for SnsMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SnsMessage")
            .field("kind", &self.kind)
            .field("message_id", &self.message_id)
            .field("topic_arn", &self.topic_arn)
            .field(
                "message",
                &format_args!("({} characters)", self.message.len()),
            )
            .field("timestamp", &self.timestamp)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for SnsSubscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SnsSubscription")
            .field("topic_arn", &self.topic_arn)
            .field("subscription_arn", &self.subscription_arn)
            .field("unsubscribe_url", &self.unsubscribe_url)
            .finish_non_exhaustive()
    }
}

impl SnsSubscription {
    /// A subscription `subscription_arn` to `topic_arn`, confirmed with
    /// `token` at `subscribe_url`, ended at `unsubscribe_url`.
    #[must_use]
    pub fn new(
        topic_arn: impl Into<String>,
        subscription_arn: impl Into<String>,
        token: impl Into<String>,
        subscribe_url: impl Into<String>,
        unsubscribe_url: impl Into<String>,
        signing_cert_url: impl Into<String>,
    ) -> Self {
        SnsSubscription {
            topic_arn: topic_arn.into(),
            subscription_arn: subscription_arn.into(),
            token: token.into(),
            subscribe_url: subscribe_url.into(),
            unsubscribe_url: unsubscribe_url.into(),
            signing_cert_url: signing_cert_url.into(),
        }
    }

    fn message(
        &self,
        kind: SnsMessageType,
        message_id: String,
        message: String,
        at: OffsetDateTime,
    ) -> SnsMessage {
        let confirming = kind != SnsMessageType::Notification;
        SnsMessage {
            kind,
            message_id,
            token: confirming.then(|| self.token.clone()),
            topic_arn: self.topic_arn.clone(),
            message,
            subscribe_url: confirming.then(|| self.subscribe_url.clone()),
            timestamp: iso_millis(at),
            signature_version: "1",
            signature: NOT_A_SIGNATURE,
            signing_cert_url: self.signing_cert_url.clone(),
            unsubscribe_url: (!confirming).then(|| self.unsubscribe_url.clone()),
        }
    }

    /// The message a new subscription first receives.
    #[must_use]
    pub fn confirmation(&self, message_id: String, at: OffsetDateTime) -> SnsMessage {
        let text = format!(
            "You have chosen to subscribe to the topic {}.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
            self.topic_arn
        );
        self.message(
            SnsMessageType::SubscriptionConfirmation,
            message_id,
            text,
            at,
        )
    }

    /// The message a deleted subscription receives.
    #[must_use]
    pub fn unsubscribed(&self, message_id: String, at: OffsetDateTime) -> SnsMessage {
        let text = format!(
            "You have chosen to deactivate subscription {}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.",
            self.subscription_arn
        );
        self.message(
            SnsMessageType::UnsubscribeConfirmation,
            message_id,
            text,
            at,
        )
    }

    /// A notification carrying `document` (the event, as JSON text).
    #[must_use]
    pub fn notification(
        &self,
        message_id: String,
        document: String,
        at: OffsetDateTime,
    ) -> SnsMessage {
        self.message(SnsMessageType::Notification, message_id, document, at)
    }

    /// The headers SNS sends with `message` to this subscription.
    ///
    /// ```
    /// use gamelift_session::event::SnsSubscription;
    /// use time::OffsetDateTime;
    ///
    /// # let s = gamelift_session::event::SnsSubscription::example();
    /// let m = s.confirmation("m-1".into(), OffsetDateTime::UNIX_EPOCH);
    /// let headers = s.headers(&m);
    /// assert_eq!(headers[0], ("Content-Type", "text/plain; charset=UTF-8".to_owned()));
    /// assert_eq!(headers[1], ("x-amz-sns-message-type", "SubscriptionConfirmation".to_owned()));
    /// assert!(headers.iter().all(|(h, _)| *h != "x-amz-sns-subscription-arn"));
    /// ```
    #[must_use]
    pub fn headers(&self, message: &SnsMessage) -> Vec<(&'static str, String)> {
        self.headers_for(message.kind, &message.message_id)
    }

    /// The headers of a message of `kind` with the id `message_id`.
    #[must_use]
    pub fn headers_for(
        &self,
        kind: SnsMessageType,
        message_id: &str,
    ) -> Vec<(&'static str, String)> {
        let mut headers = vec![
            ("Content-Type", SNS_CONTENT_TYPE.to_owned()),
            ("x-amz-sns-message-type", kind.as_str().to_owned()),
            ("x-amz-sns-message-id", message_id.to_owned()),
            ("x-amz-sns-topic-arn", self.topic_arn.clone()),
        ];
        if kind != SnsMessageType::SubscriptionConfirmation {
            headers.push(("x-amz-sns-subscription-arn", self.subscription_arn.clone()));
        }
        headers
    }

    /// A subscription to show in examples.
    #[doc(hidden)]
    #[must_use]
    pub fn example() -> Self {
        SnsSubscription::new(
            "arn:aws:sns:us-west-2:123456789012:matches",
            "arn:aws:sns:us-west-2:123456789012:matches:1",
            "t",
            "http://127.0.0.1:9080/_emulator/sns/confirm",
            "http://127.0.0.1:9080/_emulator/sns/unsubscribe",
            "http://127.0.0.1:9080/_emulator/sns/certificate.pem",
        )
    }
}
