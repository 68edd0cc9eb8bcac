//! The delivery task: posts each subscription's messages, one at a time
//! and in order, off the request path. A request only queues; nothing it
//! does waits for a subscriber.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use gamelift_session::event::is_delivered;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use super::hub::Delivery;
use crate::emulator::Emulator;

/// How long one attempt may take before it counts as failed.
pub(crate) const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// How often the task looks for retries that have come due (the clock may
/// be moved by the control API).
const TICK: Duration = Duration::from_millis(250);

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// Delivers the events of `emulator` until the runtime stops.
pub async fn deliver_events(emulator: Arc<Emulator>) {
    let mut connector = HttpConnector::new();
    connector.set_connect_timeout(Some(ATTEMPT_TIMEOUT));
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(4)
        .build(connector);
    loop {
        let hub = emulator.events();
        for d in hub.take_due(emulator.now()) {
            let client = client.clone();
            let emulator = Arc::clone(&emulator);
            tokio::spawn(async move {
                let delivered = post(&client, &d).await;
                let hub = emulator.events();
                hub.finish(&d, delivered, emulator.now());
                hub.wake.notify_one();
            });
        }
        tokio::select! {
            () = hub.wake.notified() => {}
            () = tokio::time::sleep(TICK) => {}
        }
    }
}

async fn post(client: &HttpClient, d: &Delivery) -> bool {
    let mut request = hyper::Request::post(d.endpoint.as_str());
    for (name, value) in &d.headers {
        request = request.header(*name, value.as_str());
    }
    let Ok(request) = request.body(Full::new(Bytes::from(d.body.as_bytes().to_vec()))) else {
        return false;
    };
    match tokio::time::timeout(ATTEMPT_TIMEOUT, client.request(request)).await {
        Ok(Ok(response)) => {
            let status = response.status().as_u16();
            tracing::debug!(
                subscription = d.subscription,
                message_id = d.message_id,
                status,
                "SNS delivery"
            );
            is_delivered(status)
        }
        Ok(Err(e)) => {
            tracing::debug!(subscription = d.subscription, "SNS delivery failed: {e}");
            false
        }
        Err(_) => {
            tracing::debug!(subscription = d.subscription, "SNS delivery timed out");
            false
        }
    }
}
