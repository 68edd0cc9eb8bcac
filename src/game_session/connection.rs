//! Where players connect to a game session: its `IpAddress`, `DnsName` and
//! `Port`.
//!
//! GameLift writes them when the session's server process reports the
//! session ready (ACTIVATING -> ACTIVE): "the game session is updated with
//! connection information", and "an app needs both the IP address and port
//! number". Every player session copies them when it is created
//! ([`Joins::admit`](crate::player_session::Joins::admit)). A session holds its port while
//! its server process runs (ACTIVE and TERMINATING) and gives it up once
//! TERMINATED.
//!
//! `DnsName` takes the form the API reference gives for fleets without TLS,
//! `ec2-<unique identifier>.compute.amazonaws.com`; **decision**: the unique
//! identifier is the address with its `.` (or, for IPv6, `:`) written as
//! `-`, as EC2's own public names are. An embedder that wants a name that
//! resolves on its machine (`localhost`) sets one with
//! [`Connection::with_dns_name`].

use std::fmt;
use std::net::IpAddr;

use time::OffsetDateTime;

use crate::game_session::lifecycle::{Transition, transition};
use crate::model::enums::GameSessionStatus;
use crate::model::error::GameLiftError;
use crate::model::shapes::{GameSession, GameSessionDetail, Redacted};

/// The largest port the model allows (`PortNumber`: 1 to 60000).
pub const MAX_PORT: u16 = 60_000;

/// Where players connect to a game session: an address, a port and a DNS
/// name. Built only through [`Connection::new`], so the port is always
/// one the model allows. The address and the port are sensitive: `Debug`
/// never shows them.
///
/// ```
/// use gamelift_session::game_session::Connection;
///
/// let c = Connection::new("10.1.2.3".parse().unwrap(), 7777)?;
/// assert_eq!(c.dns_name(), "ec2-10-1-2-3.compute.amazonaws.com");
/// assert_eq!(
///     format!("{c:?}"),
///     "Connection { ip_address: *** Sensitive Data Redacted ***, port: *** Sensitive Data Redacted ***, \
///      dns_name: \"ec2-10-1-2-3.compute.amazonaws.com\" }"
/// );
///
/// let err = Connection::new("10.1.2.3".parse().unwrap(), 0).unwrap_err();
/// assert_eq!(err.to_string(), "Port must be from 1 to 60000");
/// # Ok::<(), gamelift_session::GameLiftError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Connection {
    ip_address: IpAddr,
    port: u16,
    dns_name: String,
}

impl Connection {
    /// A connection at `ip_address` and `port`, with the DNS name GameLift
    /// gives such an address ([`ec2_dns_name`]).
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` when `port` is 0 or above [`MAX_PORT`]; the
    /// message does not echo it.
    pub fn new(ip_address: IpAddr, port: u16) -> Result<Self, GameLiftError> {
        if port == 0 || port > MAX_PORT {
            return Err(GameLiftError::invalid_request(format!(
                "Port must be from 1 to {MAX_PORT}"
            )));
        }
        Ok(Connection {
            ip_address,
            port,
            dns_name: ec2_dns_name(ip_address),
        })
    }

    /// The same connection under another DNS name.
    #[must_use]
    pub fn with_dns_name(mut self, dns_name: impl Into<String>) -> Self {
        self.dns_name = dns_name.into();
        self
    }

    /// The address players connect to.
    #[must_use]
    pub fn ip_address(&self) -> IpAddr {
        self.ip_address
    }

    /// The port players connect to.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The DNS name players connect to.
    #[must_use]
    pub fn dns_name(&self) -> &str {
        &self.dns_name
    }

    /// Writes this connection into `session`'s `IpAddress`, `Port` and `DnsName`.
    pub fn write_to(&self, session: &mut GameSession) {
        session.ip_address = Some(self.ip_address.to_string());
        session.port = Some(i32::from(self.port));
        session.dns_name = Some(self.dns_name.clone());
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("ip_address", &Redacted)
            .field("port", &Redacted)
            .field("dns_name", &self.dns_name)
            .finish()
    }
}

/// The DNS name GameLift gives an instance at `ip_address` in a fleet
/// without TLS: `ec2-<address with - for . or :>.compute.amazonaws.com`.
///
/// ```
/// use gamelift_session::game_session::ec2_dns_name;
///
/// assert_eq!(ec2_dns_name("127.0.0.1".parse().unwrap()), "ec2-127-0-0-1.compute.amazonaws.com");
/// assert_eq!(ec2_dns_name("::1".parse().unwrap()), "ec2---1.compute.amazonaws.com");
/// ```
#[must_use]
pub fn ec2_dns_name(ip_address: IpAddr) -> String {
    let id: String = ip_address
        .to_string()
        .chars()
        .map(|c| if c == '.' || c == ':' { '-' } else { c })
        .collect();
    format!("ec2-{id}.compute.amazonaws.com")
}

/// Whether `session` holds its port: it has one and its server process
/// runs (ACTIVE or TERMINATING). A TERMINATED session has given it up, so
/// a new session may get it.
#[must_use]
pub fn holds_port(session: &GameSession) -> bool {
    session.port.is_some()
        && matches!(
            session.status,
            Some(GameSessionStatus::Active | GameSessionStatus::Terminating)
        )
}

/// The server process reports the session ready: ACTIVATING -> ACTIVE, and
/// the session gets `connection`. All or nothing.
///
/// # Errors
///
/// `InvalidGameSessionStatusException` when the session is not ACTIVATING;
/// it is then untouched.
///
/// # Example
///
/// ```
/// use gamelift_session::{
///     GameSession, GameSessionDetail, GameSessionStatus,
///     game_session::{Connection, activate_game_session},
/// };
/// use time::OffsetDateTime;
///
/// let mut session = GameSession::default();
/// session.game_session_id = Some("gs-1".into());
/// session.status = Some(GameSessionStatus::Activating);
/// let mut detail = GameSessionDetail::new(session, None);
/// let at = Connection::new("127.0.0.1".parse().unwrap(), 7777)?.with_dns_name("localhost");
/// activate_game_session(&mut detail, &at, OffsetDateTime::UNIX_EPOCH)?;
/// let session = detail.game_session.as_ref().unwrap();
/// assert_eq!(session.status, Some(GameSessionStatus::Active));
/// assert_eq!(session.ip_address.as_deref(), Some("127.0.0.1"));
/// assert_eq!(session.port, Some(7777));
/// assert_eq!(session.dns_name.as_deref(), Some("localhost"));
///
/// let again = activate_game_session(&mut detail, &at, OffsetDateTime::UNIX_EPOCH).unwrap_err();
/// assert_eq!(again.to_string(), "Game session gs-1 cannot move from status ACTIVE to ACTIVE");
/// # Ok::<(), gamelift_session::GameLiftError>(())
/// ```
pub fn activate_game_session(
    detail: &mut GameSessionDetail,
    connection: &Connection,
    now: OffsetDateTime,
) -> Result<(), GameLiftError> {
    transition(detail, Transition::Activate, now)?;
    if let Some(session) = detail.game_session.as_mut() {
        connection.write_to(session);
    }
    Ok(())
}
