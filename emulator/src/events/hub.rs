//! What the emulator keeps of events: the last documents sent, and each
//! SNS subscription with the messages waiting for it.
//!
//! Bounds (what is kept, and for how long):
//!
//! - the last [`LOG_KEPT`] documents, for `GET /_emulator/events`;
//! - at most [`MAX_SUBSCRIPTIONS`] subscriptions;
//! - per subscription, at most [`MAX_QUEUED`] messages waiting (for
//!   confirmation, or behind one being retried); past it the oldest
//!   notification is dropped and counted;
//! - a message is tried once and retried [`DELIVERY_RETRIES`] times
//!   [`RETRY_DELAY`] apart on the emulator's clock, then dropped and
//!   counted, with a WARN line.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use gamelift_session::GameLiftError;
use gamelift_session::event::{
    DELIVERY_RETRIES, RETRY_DELAY, SnsMessage, SnsMessageType, SnsSubscription,
};
use serde_json::{Value, json};
use time::OffsetDateTime;
use tokio::sync::Notify;

/// Documents kept for `GET /_emulator/events`.
pub(crate) const LOG_KEPT: usize = 1_000;
/// Subscriptions at most.
pub(crate) const MAX_SUBSCRIPTIONS: usize = 100;
/// Messages waiting per subscription at most.
pub(crate) const MAX_QUEUED: usize = 1_000;
/// The longest `Endpoint` or `TopicArn` taken.
const MAX_URL: usize = 2_048;

/// A message on its way to a subscriber.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) kind: SnsMessageType,
    pub(crate) message_id: String,
    /// The JSON body.
    pub(crate) body: Arc<str>,
    /// Attempts made.
    pub(crate) attempts: u32,
    /// Not before (the emulator's clock).
    pub(crate) due: OffsetDateTime,
}

#[derive(Debug)]
pub(crate) struct Subscription {
    pub(crate) sns: SnsSubscription,
    pub(crate) endpoint: String,
    pub(crate) confirmed: bool,
    /// Deleted: only its `UnsubscribeConfirmation` is left to send.
    pub(crate) deleted: bool,
    pub(crate) queue: VecDeque<Pending>,
    /// A delivery of the queue's head is under way.
    pub(crate) busy: bool,
    pub(crate) delivered: u64,
    pub(crate) dropped: u64,
    pub(crate) failed_attempts: u64,
}

impl Subscription {
    /// The head, if it may go now.
    pub(crate) fn due(&self, now: OffsetDateTime) -> Option<&Pending> {
        let head = self.queue.front()?;
        let may = self.confirmed || head.kind != SnsMessageType::Notification;
        (!self.busy && may && head.due <= now).then_some(head)
    }

    fn push(&mut self, p: Pending) {
        if self.queue.len() >= MAX_QUEUED {
            // The oldest notification goes; a confirmation stays.
            // The head may be on its way: it stays.
            let skip = usize::from(self.busy);
            if let Some(i) = self
                .queue
                .iter()
                .skip(skip)
                .position(|q| q.kind == SnsMessageType::Notification)
                .map(|i| i + skip)
            {
                self.queue.remove(i);
                self.dropped += 1;
                tracing::warn!(
                    subscription = self.sns.subscription_arn,
                    "an SNS message was dropped: {MAX_QUEUED} were waiting for this subscriber"
                );
            }
        }
        self.queue.push_back(p);
    }
}

#[derive(Debug, Default)]
struct State {
    log: VecDeque<(u64, Option<String>, Arc<str>)>,
    seq: u64,
    subscriptions: Vec<Subscription>,
    next_message: u64,
}

/// The events' state, shared by the store (which publishes under its
/// lock, never the other way round) and the delivery task.
#[derive(Debug, Default)]
pub(crate) struct EventHub {
    state: Mutex<State>,
    /// Wakes the delivery task.
    pub(crate) wake: Notify,
    /// The emulator's base URL, for `SubscribeURL` and the like.
    base_url: std::sync::OnceLock<String>,
}

impl EventHub {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Where the emulator listens (`http://127.0.0.1:9080`); the first call wins.
    pub(crate) fn set_base_url(&self, url: String) {
        let _ = self.base_url.set(url);
    }

    fn base_url(&self) -> &str {
        self.base_url
            .get()
            .map_or("http://127.0.0.1:9080", String::as_str)
    }

    /// Records `document` (JSON text) and queues it for every subscriber
    /// of `topic`.
    pub(crate) fn publish(&self, topic: Option<&str>, document: String, now: OffsetDateTime) {
        let document: Arc<str> = document.into();
        let mut s = self.lock();
        s.seq += 1;
        let seq = s.seq;
        s.log
            .push_back((seq, topic.map(str::to_owned), Arc::clone(&document)));
        while s.log.len() > LOG_KEPT {
            s.log.pop_front();
        }
        let Some(topic) = topic else { return };
        let mut queued = false;
        for i in 0..s.subscriptions.len() {
            if s.subscriptions[i].sns.topic_arn != topic || s.subscriptions[i].deleted {
                continue;
            }
            s.next_message += 1;
            let message_id = crate::ids::secret_uuid(s.next_message);
            let sub = &mut s.subscriptions[i];
            let message = sub
                .sns
                .notification(message_id.clone(), document.to_string(), now);
            sub.push(pending(&message, now));
            queued = true;
        }
        drop(s);
        if queued {
            self.wake.notify_one();
        }
    }

    /// `POST /_emulator/sns/subscriptions`: answers the subscription's ARN.
    pub(crate) fn subscribe(
        &self,
        topic: &str,
        endpoint: &str,
        auto_confirm: bool,
        now: OffsetDateTime,
    ) -> Result<String, GameLiftError> {
        if !topic.starts_with("arn:")
            || topic.len() > MAX_URL
            || topic.chars().any(char::is_control)
        {
            return Err(GameLiftError::invalid_request(
                "TopicArn must be an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)",
            ));
        }
        if !endpoint.starts_with("http://")
            || endpoint.len() > MAX_URL
            || endpoint.chars().any(char::is_control)
        {
            return Err(GameLiftError::invalid_request(
                "Endpoint must be an http:// URL of at most 2048 characters",
            ));
        }
        let base = self.base_url().to_owned();
        let mut s = self.lock();
        if s.subscriptions.iter().filter(|x| !x.deleted).count() >= MAX_SUBSCRIPTIONS {
            return Err(GameLiftError::invalid_request(format!(
                "At most {MAX_SUBSCRIPTIONS} subscriptions are kept; delete one first"
            )));
        }
        s.next_message += 1;
        let n = s.next_message;
        let arn = format!("{topic}:{}", crate::ids::secret_uuid(n));
        let token = crate::ids::secret_uuid(n.wrapping_mul(31).wrapping_add(7)).replace('-', "");
        let q = |v: &str| serde_urlencoded::to_string([("SubscriptionArn", v)]).unwrap_or_default();
        let sns = SnsSubscription::new(
            topic,
            arn.clone(),
            token.clone(),
            format!("{base}/_emulator/sns/confirm?{}&Token={token}", q(&arn)),
            format!("{base}/_emulator/sns/unsubscribe?{}", q(&arn)),
            format!("{base}/_emulator/sns/certificate.pem"),
        );
        let mut sub = Subscription {
            sns,
            endpoint: endpoint.to_owned(),
            confirmed: auto_confirm,
            deleted: false,
            queue: VecDeque::new(),
            busy: false,
            delivered: 0,
            dropped: 0,
            failed_attempts: 0,
        };
        if !auto_confirm {
            s.next_message += 1;
            let message = sub
                .sns
                .confirmation(crate::ids::secret_uuid(s.next_message), now);
            sub.push(pending(&message, now));
        }
        s.subscriptions.push(sub);
        drop(s);
        self.wake.notify_one();
        Ok(arn)
    }

    /// A visit to a `SubscribeURL`: confirms the subscription.
    pub(crate) fn confirm(&self, arn: &str, token: &str) -> Result<(), GameLiftError> {
        let mut s = self.lock();
        let sub = s
            .subscriptions
            .iter_mut()
            .find(|x| x.sns.subscription_arn == arn && !x.deleted)
            .ok_or_else(|| GameLiftError::not_found("Subscription not found"))?;
        if sub.sns.token != token {
            return Err(GameLiftError::invalid_request("Invalid token"));
        }
        sub.confirmed = true;
        drop(s);
        self.wake.notify_one();
        Ok(())
    }

    /// Deletes a subscription: an `UnsubscribeConfirmation` is all it still
    /// receives; what waited for it is dropped.
    pub(crate) fn unsubscribe(&self, arn: &str, now: OffsetDateTime) -> Result<(), GameLiftError> {
        let mut s = self.lock();
        s.next_message += 1;
        let message_id = crate::ids::secret_uuid(s.next_message);
        let sub = s
            .subscriptions
            .iter_mut()
            .find(|x| x.sns.subscription_arn == arn && !x.deleted)
            .ok_or_else(|| GameLiftError::not_found("Subscription not found"))?;
        sub.deleted = true;
        let keep = usize::from(sub.busy);
        let dropped = sub.queue.len().saturating_sub(keep);
        sub.queue.truncate(keep);
        sub.dropped += dropped as u64;
        let message = sub.sns.unsubscribed(message_id, now);
        sub.confirmed = true;
        sub.queue.push_back(pending(&message, now));
        drop(s);
        self.wake.notify_one();
        Ok(())
    }

    /// Every subscription's delivery to start now: its index, endpoint,
    /// headers and body. Each is marked busy until [`EventHub::finish`].
    pub(crate) fn take_due(&self, now: OffsetDateTime) -> Vec<Delivery> {
        let mut s = self.lock();
        let mut out = Vec::new();
        for sub in &mut s.subscriptions {
            if let Some(head) = sub.due(now) {
                let headers = headers_of(&sub.sns, head);
                out.push(Delivery {
                    subscription: sub.sns.subscription_arn.clone(),
                    message_id: head.message_id.clone(),
                    endpoint: sub.endpoint.clone(),
                    headers,
                    body: Arc::clone(&head.body),
                });
                sub.busy = true;
            }
        }
        out
    }

    /// The outcome of a delivery: the message goes, or waits for its retry.
    pub(crate) fn finish(&self, d: &Delivery, delivered: bool, now: OffsetDateTime) {
        let mut s = self.lock();
        let Some(i) = s
            .subscriptions
            .iter()
            .position(|x| x.sns.subscription_arn == d.subscription)
        else {
            return;
        };
        let sub = &mut s.subscriptions[i];
        sub.busy = false;
        let Some(head) = sub
            .queue
            .front_mut()
            .filter(|h| h.message_id == d.message_id)
        else {
            return;
        };
        if delivered {
            sub.queue.pop_front();
            sub.delivered += 1;
        } else {
            head.attempts += 1;
            sub.failed_attempts += 1;
            if head.attempts > DELIVERY_RETRIES {
                sub.queue.pop_front();
                sub.dropped += 1;
                tracing::warn!(
                    subscription = d.subscription,
                    message_id = d.message_id,
                    "an SNS message was dropped after {} attempts: the endpoint failed each",
                    DELIVERY_RETRIES + 1
                );
            } else {
                head.due = now + RETRY_DELAY;
            }
        }
        if sub.deleted && sub.queue.is_empty() {
            s.subscriptions.remove(i);
        }
    }

    /// `GET /_emulator/events?since=N`: the documents after `since`.
    pub(crate) fn listing(&self, since: u64, limit: usize) -> Value {
        let s = self.lock();
        let events: Vec<Value> = s
            .log
            .iter()
            .filter(|(seq, _, _)| *seq > since)
            .take(limit)
            .map(|(seq, topic, doc)| {
                json!({
                    "Seq": seq,
                    "TopicArn": topic,
                    "Document": serde_json::from_str::<Value>(doc).unwrap_or(Value::Null),
                })
            })
            .collect();
        let next = events
            .last()
            .and_then(|e| e["Seq"].as_u64())
            .unwrap_or(since.max(s.log.front().map_or(s.seq, |f| f.0.saturating_sub(1))));
        json!({ "Events": events, "Next": next, "Kept": s.log.len() })
    }

    /// `GET /_emulator/sns/subscriptions`.
    pub(crate) fn subscriptions(&self) -> Value {
        let s = self.lock();
        let subs: Vec<Value> = s
            .subscriptions
            .iter()
            .filter(|x| !x.deleted)
            .map(|x| {
                json!({
                    "SubscriptionArn": x.sns.subscription_arn,
                    "TopicArn": x.sns.topic_arn,
                    "Endpoint": x.endpoint,
                    "Confirmed": x.confirmed,
                    "Waiting": x.queue.len(),
                    "Delivered": x.delivered,
                    "FailedAttempts": x.failed_attempts,
                    "Dropped": x.dropped,
                })
            })
            .collect();
        json!({ "Subscriptions": subs })
    }

    /// Documents kept for the listing.
    pub(crate) fn kept(&self) -> usize {
        self.lock().log.len()
    }

    /// Messages waiting, over every subscription.
    pub(crate) fn waiting(&self) -> usize {
        self.lock()
            .subscriptions
            .iter()
            .map(|x| x.queue.len())
            .sum()
    }
}

/// A delivery to make: where, with what.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub(crate) subscription: String,
    pub(crate) message_id: String,
    pub(crate) endpoint: String,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Arc<str>,
}

fn pending(message: &SnsMessage, now: OffsetDateTime) -> Pending {
    Pending {
        kind: message.kind,
        message_id: message.message_id.clone(),
        body: serde_json::to_string(message).unwrap_or_default().into(),
        attempts: 0,
        due: now,
    }
}

fn headers_of(sns: &SnsSubscription, p: &Pending) -> Vec<(&'static str, String)> {
    sns.headers_for(p.kind, &p.message_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOPIC: &str = "arn:aws:sns:us-west-2:123456789012:t";

    fn now() -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH
    }

    #[test]
    fn the_listing_keeps_the_last_documents_only() {
        let hub = EventHub::default();
        for i in 0..(LOG_KEPT + 50) {
            hub.publish(None, format!("{{\"n\":{i}}}"), now());
        }
        assert_eq!(hub.kept(), LOG_KEPT);
        let all = hub.listing(0, 10);
        assert_eq!(all["Events"][0]["Seq"], 51, "the oldest 50 are gone");
        assert_eq!(all["Events"][0]["Document"]["n"], 50);
        let last = hub.listing(u64::try_from(LOG_KEPT + 50).unwrap_or(0), 10);
        assert_eq!(last["Events"].as_array().map(Vec::len), Some(0));
        assert_eq!(last["Next"], LOG_KEPT + 50);
    }

    #[test]
    fn an_unconfirmed_subscription_holds_at_most_its_bound_and_counts_what_it_dropped() {
        let hub = EventHub::default();
        let arn = hub
            .subscribe(TOPIC, "http://127.0.0.1:1/x", false, now())
            .expect("subscribed");
        for i in 0..(MAX_QUEUED + 10) {
            hub.publish(Some(TOPIC), format!("{{\"n\":{i}}}"), now());
        }
        assert_eq!(hub.waiting(), MAX_QUEUED);
        let subs = hub.subscriptions();
        assert_eq!(subs["Subscriptions"][0]["Dropped"], 11);
        // Only the confirmation may go before it is confirmed.
        let due = hub.take_due(now());
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].headers[1].1, "SubscriptionConfirmation");
        hub.finish(&due[0], true, now());
        assert!(hub.take_due(now()).is_empty());
        let token = hub.lock().subscriptions[0].sns.token.clone();
        assert!(hub.confirm(&arn, "wrong").is_err());
        hub.confirm(&arn, &token).expect("confirmed");
        let due = hub.take_due(now());
        assert_eq!(due[0].headers[1].1, "Notification");
        // One at a time: the next waits for this one.
        assert!(hub.take_due(now()).is_empty());
    }

    #[test]
    fn a_failed_message_is_retried_with_its_id_then_dropped() {
        let hub = EventHub::default();
        hub.subscribe(TOPIC, "http://127.0.0.1:1/x", true, now())
            .expect("subscribed");
        hub.publish(Some(TOPIC), "{}".to_owned(), now());
        let first = hub.take_due(now()).remove(0);
        hub.finish(&first, false, now());
        assert!(hub.take_due(now() + time::Duration::seconds(19)).is_empty());
        let mut t = now();
        for _ in 0..DELIVERY_RETRIES {
            t += RETRY_DELAY;
            let again = hub.take_due(t).remove(0);
            assert_eq!(again.message_id, first.message_id);
            hub.finish(&again, false, t);
        }
        assert_eq!(hub.waiting(), 0);
        assert_eq!(hub.subscriptions()["Subscriptions"][0]["Dropped"], 1);
        assert_eq!(hub.subscriptions()["Subscriptions"][0]["FailedAttempts"], 4);
    }

    #[test]
    fn subscriptions_are_bounded() {
        let hub = EventHub::default();
        for i in 0..MAX_SUBSCRIPTIONS {
            hub.subscribe(TOPIC, &format!("http://127.0.0.1:1/{i}"), true, now())
                .expect("subscribed");
        }
        let refused = hub
            .subscribe(TOPIC, "http://127.0.0.1:1/x", true, now())
            .expect_err("one too many");
        assert_eq!(
            refused.to_string(),
            "At most 100 subscriptions are kept; delete one first"
        );
    }
}
