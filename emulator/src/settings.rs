//! How the emulator behaves: what the command line and an embedder set.

use std::net::{IpAddr, Ipv4Addr};
use std::ops::RangeInclusive;

use gamelift_session::Limits;
use gamelift_session::game_session::MAX_PORT;
use serde::{Deserialize, Serialize};

/// The account id in the ARNs the emulator builds.
pub const ACCOUNT_ID: &str = "123456789012";

/// The ports game servers listen on unless told otherwise: from 7777, a
/// game engine's usual first port, to the model's largest.
pub const DEFAULT_PORTS: RangeInclusive<u16> = 7777..=MAX_PORT;

/// What the simulated game server does with a new session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Activation {
    /// It reports the session ready: ACTIVE at once.
    #[default]
    Active,
    /// It never reports in: the session stays ACTIVATING until the control
    /// API says otherwise.
    Never,
    /// It fails to start the session: ERROR.
    Fail,
}

/// What the simulated game server does with a new player session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlayerAcceptance {
    /// It accepts every player right after the answer, which says
    /// RESERVED as GameLift's does: the next describe shows ACTIVE.
    #[default]
    Immediate,
    /// It accepts no one by itself: players stay RESERVED until the control
    /// API accepts them, or time out.
    Manual,
}

/// Where the simulated game servers listen: what an ACTIVE session's
/// `IpAddress`, `DnsName` and `Port` say.
#[derive(Clone, PartialEq, Eq)]
pub struct GameServer {
    /// The address every game server reports.
    pub address: IpAddr,
    /// The DNS name it reports; `None` for GameLift's form of the address
    /// (`ec2-127-0-0-1.compute.amazonaws.com`).
    pub dns_name: Option<String>,
    /// The ports handed out, one per live session, in turn.
    pub ports: RangeInclusive<u16>,
}

impl Default for GameServer {
    fn default() -> Self {
        GameServer {
            address: IpAddr::V4(Ipv4Addr::LOCALHOST),
            dns_name: None,
            ports: DEFAULT_PORTS,
        }
    }
}

impl std::fmt::Debug for GameServer {
    // The address is sensitive (SPEC section 6): never in a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GameServer")
            .field("address", &gamelift_session::model::REDACTED)
            .field("dns_name", &self.dns_name)
            .field("ports", &self.ports)
            .finish()
    }
}

/// What the emulator keeps of what has ended, on its own clock, so that
/// its memory stays bounded however long it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// How long an ended matchmaking ticket or game session placement is
    /// kept (described as it ended) before it is forgotten. GameLift
    /// documents none; **decision**: one hour.
    pub ended: time::Duration,
    /// How long a TERMINATED game session and its player sessions are kept:
    /// 30 days, as GameLift keeps them.
    pub terminated: time::Duration,
    /// The most TERMINATED game sessions kept; past it the oldest to end
    /// are forgotten first, with their player sessions.
    pub max_terminated: usize,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            ended: time::Duration::hours(1),
            terminated: time::Duration::days(30),
            max_terminated: 10_000,
        }
    }
}

/// A fleet declared up front: its id, how many live game sessions it can
/// host (`None`: no limit), and the locations it has besides its home
/// Region (none: any location is taken, as for fleets not declared).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DeclaredFleet {
    /// The fleet's id: `fleet-...`.
    pub fleet_id: String,
    /// The most live game sessions it hosts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<usize>,
    /// Its remote locations (`us-east-1`, `eu-west-1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<String>,
}

impl DeclaredFleet {
    /// Checks the declaration: a fleet id (`fleet-` and letters, digits or
    /// `-`) and locations of lower-case letters, digits and `-`.
    ///
    /// # Errors
    ///
    /// A sentence naming the first fault.
    pub fn check(&self) -> Result<(), String> {
        let valid = self.fleet_id.strip_prefix("fleet-").is_some_and(|rest| {
            !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        if !valid {
            return Err("expected a fleet id: fleet- and letters, digits or -".to_owned());
        }
        if let Some(l) = self.locations.iter().find(|l| {
            l.is_empty()
                || l.len() > 64
                || !l
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }) {
            return Err(format!(
                "expected locations of lower-case letters, digits and -, not {:?}",
                l.chars().take(64).collect::<String>()
            ));
        }
        Ok(())
    }
}

/// How the emulator behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The home Region, in every ARN.
    pub region: String,
    /// What the simulated game server does with a new session.
    pub activation: Activation,
    /// What the simulated game server does with a new player session.
    pub player_acceptance: PlayerAcceptance,
    /// The service's limits (the reservation timeout among them).
    pub limits: Limits,
    /// Where the simulated game servers listen.
    pub game_server: GameServer,
    /// The fleets declared up front, with their capacities.
    pub fleets: Vec<DeclaredFleet>,
    /// What is kept of what has ended, and for how long.
    pub retention: Retention,
    /// How often the matchmaker runs a pass over the waiting tickets;
    /// `None`: only when the control API steps it or moves the clock.
    pub matchmaking_interval: Option<std::time::Duration>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            region: "us-west-2".to_owned(),
            activation: Activation::Active,
            player_acceptance: PlayerAcceptance::Immediate,
            limits: Limits::AWS,
            game_server: GameServer::default(),
            fleets: Vec::new(),
            retention: Retention::default(),
            matchmaking_interval: Some(std::time::Duration::from_secs(1)),
        }
    }
}
