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

/// A fleet whose server processes the emulator launches (`--launch`): a
/// managed fleet on this machine, its runtime configuration one kind of
/// process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchedFleet {
    /// The fleet's id (`fleet-` and letters, digits or `-`).
    pub fleet_id: String,
    /// How many processes run at once.
    pub concurrent_executions: u32,
    /// The program.
    pub launch_path: String,
    /// Its arguments, separated by spaces (GameLift's `Parameters`).
    pub parameters: Option<String>,
}

impl LaunchedFleet {
    /// Reads `FLEET_ID:COUNT:COMMAND`, COMMAND being the program and its
    /// arguments separated by spaces (`fleet-game:2:./server --port 0`).
    ///
    /// # Errors
    ///
    /// A sentence naming what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || "expected FLEET_ID:COUNT:COMMAND (fleet-game:2:./server --flag)".to_owned();
        let mut parts = text.splitn(3, ':');
        let (Some(id), Some(count), Some(command)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let concurrent_executions = count
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=50).contains(n))
            .ok_or_else(|| "expected COUNT from 1 to 50 processes".to_owned())?;
        let mut words = command.split_whitespace();
        let launch_path = words.next().ok_or_else(bad)?.to_owned();
        let rest: Vec<&str> = words.collect();
        let fleet = LaunchedFleet {
            fleet_id: id.trim().to_owned(),
            concurrent_executions,
            launch_path,
            parameters: (!rest.is_empty()).then(|| rest.join(" ")),
        };
        DeclaredFleet {
            fleet_id: fleet.fleet_id.clone(),
            ..DeclaredFleet::default()
        }
        .check()?;
        Ok(fleet)
    }
}

/// How real game servers are treated (SPEC §10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GameServers {
    /// How long a disconnected process keeps its place (and its session)
    /// before it is lost, on the emulator's clock.
    pub reconnect_grace: time::Duration,
    /// How long a ready process may go without a heartbeat before it is
    /// lost, in real time.
    pub heartbeat_timeout: std::time::Duration,
    /// The fleets whose processes the emulator launches.
    pub launch: Vec<LaunchedFleet>,
    /// Where each launched process's output goes:
    /// `<dir>/<fleet id>/<process id>.log`.
    pub log_dir: std::path::PathBuf,
    /// At shutdown, how long launched processes have between
    /// `TerminateProcess` and being killed.
    pub stop_grace: std::time::Duration,
    /// The TLS certificate the emulator serves `wss://` with, when it does.
    pub tls_certificate: Option<std::path::PathBuf>,
}

impl Default for GameServers {
    fn default() -> Self {
        GameServers {
            reconnect_grace: gamelift_session::game_server::RECONNECT_GRACE,
            heartbeat_timeout: gamelift_session::game_server::HEARTBEAT_TIMEOUT,
            launch: Vec::new(),
            log_dir: std::path::PathBuf::from("gamelift-emulator-logs"),
            stop_grace: std::time::Duration::from_secs(5),
            tls_certificate: None,
        }
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
    /// How real game servers are treated, and which the emulator launches.
    pub game_servers: GameServers,
}

impl Settings {
    /// Where the emulator's TLS certificate is, when it serves `wss://`.
    #[must_use]
    pub fn tls_certificate_path(&self) -> Option<String> {
        self.game_servers
            .tls_certificate
            .as_ref()
            .map(|p| p.display().to_string())
    }
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
            game_servers: GameServers::default(),
        }
    }
}
