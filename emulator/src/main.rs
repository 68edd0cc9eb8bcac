//! `gamelift-emulator`: a local Amazon GameLift endpoint for testing game backends.

use std::net::{IpAddr, SocketAddr};
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use gamelift_emulator::{
    Activation, DeclaredFleet, Emulator, GameServer, GameServers, HttpLimits, LaunchedFleet,
    Launcher, PlayerAcceptance, Retention, Settings, Timeouts, router, serve_with_tls,
};
use gamelift_session::Limits;

/// A local Amazon GameLift endpoint: boto3, the AWS CLI and the AWS SDKs
/// talk to it over AWS JSON 1.1 and Smithy RPC v2 CBOR on one port.
///
/// Requests are not authenticated: any credentials work. Logs go to
/// standard error; RUST_LOG sets the level (default info).
// The doc comments are clap's help text, read in a terminal: no Markdown.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Parser)]
#[command(name = "gamelift-emulator", version, about, long_about)]
struct Cli {
    /// The port to listen on.
    #[arg(long, env = "GAMELIFT_EMULATOR_PORT", default_value_t = 9080)]
    port: u16,

    /// The address to listen on; 0.0.0.0 to be reachable from other hosts
    /// (in a container, say).
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,

    /// The home Region, in every ARN.
    #[arg(long, env = "AWS_REGION", default_value = "us-west-2")]
    region: String,

    /// What the simulated game server does with a new session.
    #[arg(long, value_enum, default_value_t = ActivationArg::Active)]
    activation: ActivationArg,

    /// What the simulated game server does with a new player session,
    /// which is answered RESERVED as GameLift answers it: accept it right
    /// after (ACTIVE), or leave it RESERVED until the control API accepts
    /// it or it times out.
    #[arg(long, value_enum, default_value_t = AcceptanceArg::Immediate)]
    player_acceptance: AcceptanceArg,

    /// Seconds a RESERVED player session waits to be accepted before it
    /// times out (GameLift: 60).
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0, value_parser = positive_seconds)]
    reservation_timeout: f64,

    /// Keep the state in FILE: loaded at start (if it exists), every change
    /// appended to FILE.journal before it is answered, so a crash or kill -9
    /// loses nothing answered, and flushed to the disk within 100 ms.
    /// Without it, nothing touches the disk.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,

    /// The address the simulated game servers report: every ACTIVE game
    /// session's IpAddress, and its player sessions'.
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    game_server_address: IpAddr,

    /// The DNS name they report. Default: GameLift's form for the address,
    /// ec2-127-0-0-1.compute.amazonaws.com; localhost gives a name that
    /// resolves on this machine.
    #[arg(long, value_name = "NAME")]
    game_server_dns_name: Option<String>,

    /// The ports handed to game sessions as they become ACTIVE, one per
    /// live session, in turn; at most 60000.
    #[arg(long, value_name = "FIRST-LAST", default_value = "7777-60000", value_parser = port_range)]
    game_server_ports: RangeInclusive<u16>,

    /// A fleet to declare, with the most live game sessions it can host and
    /// its remote locations: ID, ID=CAPACITY, ID@LOCATION,... or
    /// ID=CAPACITY@LOCATION,... (fleet-1a2b=10@us-east-1,eu-west-1). A
    /// create past its capacity is FleetCapacityExceededException; with
    /// locations, a create elsewhere than the home Region or them is
    /// InvalidRequestException. Fleets not declared have no limit. Repeat
    /// it for more; it overrides a declaration of the same fleet in the
    /// state file.
    #[arg(long = "fleet", value_name = "ID[=CAPACITY][@LOCATIONS]", value_parser = declared_fleet)]
    fleets: Vec<DeclaredFleet>,

    /// A host name requests may name in their Host header, besides IP
    /// addresses and localhost (a container's or a compose service's name,
    /// say); * allows every name. Repeat it for more. Other names are
    /// refused, so that a web page cannot reach the emulator through a
    /// name of its own (DNS rebinding).
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_hosts: Vec<String>,

    /// Seconds an ended matchmaking ticket or game session placement is
    /// kept, on the emulator's clock, before it is forgotten (and
    /// DescribeMatchmaking or DescribeGameSessionPlacement no longer find
    /// it). GameLift documents none.
    #[arg(long, value_name = "SECONDS", default_value_t = 3600.0, value_parser = retention_seconds)]
    retention: f64,

    /// Seconds a TERMINATED game session and its player sessions are kept
    /// before they are forgotten: 30 days, as GameLift keeps them.
    #[arg(long, value_name = "SECONDS", default_value_t = 2_592_000.0, value_parser = retention_seconds)]
    terminated_retention: f64,

    /// The most TERMINATED game sessions kept, with their player sessions;
    /// past it the oldest to end are forgotten first.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    max_terminated_game_sessions: usize,

    /// Seconds between the matchmaker's passes over the waiting tickets
    /// (on the emulator's clock); 0 runs passes only when the control API
    /// steps the matchmaker (POST /_emulator/matchmaking/step) or moves the
    /// clock.
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0, value_parser = interval_seconds)]
    matchmaking_interval: f64,

    /// Seconds a client has to send a request's headers, or its body, and
    /// the longest an idle kept-alive connection is held open.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = positive_seconds)]
    request_timeout: f64,

    /// A fleet whose game server processes the emulator launches and keeps
    /// running: FLEET_ID:COUNT:COMMAND, COMMAND being the program and its
    /// arguments separated by spaces (fleet-game:2:./my-server --port 7777).
    /// Each process gets GAMELIFT_SDK_WEBSOCKET_URL, GAMELIFT_SDK_PROCESS_ID,
    /// GAMELIFT_SDK_HOST_ID, GAMELIFT_SDK_FLEET_ID and
    /// GAMELIFT_SDK_AUTH_TOKEN, as on a managed fleet; one that exits is
    /// replaced. Repeat it for more fleets.
    #[arg(long = "launch", value_name = "FLEET_ID:COUNT:COMMAND", value_parser = LaunchedFleet::parse)]
    launch: Vec<LaunchedFleet>,

    /// Where each launched process's output goes:
    /// DIR/FLEET_ID/process-N.log, appended.
    #[arg(long, value_name = "DIR", default_value = "gamelift-emulator-logs")]
    process_log_dir: PathBuf,

    /// Seconds a game server that lost its connection has to come back
    /// (on the emulator's clock) before its process is lost and its game
    /// session ends (TERMINATED, INTERRUPTED).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = positive_seconds)]
    reconnect_grace: f64,

    /// Seconds a ready game server may go without a heartbeat (the SDK
    /// sends one every 60) before its process is lost.
    #[arg(long, value_name = "SECONDS", default_value_t = 180.0, value_parser = positive_seconds)]
    heartbeat_timeout: f64,

    /// Seconds launched processes have, at shutdown, between
    /// TerminateProcess and being killed.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0, value_parser = positive_seconds)]
    process_stop_grace: f64,

    /// The URL game servers dial, each compute's GameLiftServiceSdkEndpoint
    /// (default: ws://ADDRESS:PORT of this listener, 127.0.0.1 when it
    /// listens on every address).
    #[arg(long, value_name = "URL")]
    sdk_endpoint: Option<String>,

    /// Subscribe an http:// endpoint to an SNS topic, TOPIC_ARN=URL: events
    /// of the configurations and queues whose NotificationTarget is that
    /// topic are posted to it as SNS posts them. Repeat for more.
    #[arg(long = "sns-subscription", value_name = "TOPIC_ARN=URL", value_parser = sns_subscription)]
    sns_subscriptions: Vec<(String, String)>,

    /// --sns-subscription endpoints need no confirmation: notifications go
    /// at once (otherwise each first gets a SubscriptionConfirmation, and
    /// notifications wait until its SubscribeURL is visited).
    #[arg(long)]
    sns_auto_confirm: bool,

    /// Serve TLS too on the same port (wss:// and https:// beside ws://
    /// and http://), with a self-signed certificate made at start-up for
    /// localhost, 127.0.0.1, ::1 and every --allow-host name. Game servers
    /// are then given wss:// (the C++ server SDK speaks only TLS).
    #[arg(long)]
    tls: bool,

    /// Where --tls writes its certificate (PEM), for clients to trust: the
    /// Go SDK reads SSL_CERT_FILE, boto3 AWS_CA_BUNDLE.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "gamelift-emulator-tls/certificate.pem"
    )]
    tls_certificate: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ActivationArg {
    /// New sessions become ACTIVE at once.
    Active,
    /// New sessions stay ACTIVATING until the control API activates them.
    Never,
    /// New sessions fail to start: ERROR.
    Fail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AcceptanceArg {
    /// New player sessions become ACTIVE right after the answer.
    Immediate,
    /// New player sessions stay RESERVED until accepted, or time out.
    Manual,
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 86_400.0 => Ok(s),
        _ => Err("expected a number of seconds above 0 and at most 86400".to_owned()),
    }
}

fn interval_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && (0.0..=3_600.0).contains(&s) => Ok(s),
        _ => Err("expected a number of seconds from 0 to 3600".to_owned()),
    }
}

fn retention_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && (0.0..=3_153_600_000.0).contains(&s) => Ok(s),
        _ => Err("expected a number of seconds from 0 to 3153600000 (100 years)".to_owned()),
    }
}

fn port_range(text: &str) -> Result<RangeInclusive<u16>, String> {
    let bad = || "expected FIRST-LAST, two ports from 1 to 60000 with FIRST <= LAST".to_owned();
    let (first, last) = text.split_once('-').ok_or_else(bad)?;
    let port = |t: &str| {
        t.trim()
            .parse::<u16>()
            .ok()
            .filter(|p| (1..=gamelift_session::game_session::MAX_PORT).contains(p))
    };
    match (port(first), port(last)) {
        (Some(first), Some(last)) if first <= last => Ok(first..=last),
        _ => Err(bad()),
    }
}

fn declared_fleet(text: &str) -> Result<DeclaredFleet, String> {
    let (head, locations) = match text.split_once('@') {
        Some((head, locations)) => (head, locations.split(',').map(str::to_owned).collect()),
        None => (text, Vec::new()),
    };
    let (id, capacity) = match head.split_once('=') {
        Some((id, capacity)) => (
            id,
            Some(capacity.parse::<usize>().map_err(|_| {
                "expected ID=CAPACITY with CAPACITY a whole number of game sessions".to_owned()
            })?),
        ),
        None => (head, None),
    };
    let fleet = DeclaredFleet {
        fleet_id: id.to_owned(),
        capacity,
        locations,
    };
    fleet.check()?;
    Ok(fleet)
}

/// `TOPIC_ARN=URL`.
fn sns_subscription(text: &str) -> Result<(String, String), String> {
    let (topic, url) = text
        .split_once('=')
        .ok_or_else(|| "expected TOPIC_ARN=URL".to_owned())?;
    if !topic.starts_with("arn:") || !url.starts_with("http://") {
        return Err("expected TOPIC_ARN=URL, an SNS topic ARN and an http:// URL".to_owned());
    }
    Ok((topic.to_owned(), url.to_owned()))
}

fn main() -> ExitCode {
    use_one_allocator_arena();
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gamelift-emulator: {message}");
            ExitCode::FAILURE
        }
    }
}

impl Cli {
    /// The emulator's settings from the command line.
    fn settings(&self) -> Settings {
        let mut limits = Limits::AWS;
        limits.player_reservation_timeout = time::Duration::seconds_f64(self.reservation_timeout);
        Settings {
            region: self.region.clone(),
            activation: match self.activation {
                ActivationArg::Active => Activation::Active,
                ActivationArg::Never => Activation::Never,
                ActivationArg::Fail => Activation::Fail,
            },
            player_acceptance: match self.player_acceptance {
                AcceptanceArg::Immediate => PlayerAcceptance::Immediate,
                AcceptanceArg::Manual => PlayerAcceptance::Manual,
            },
            limits,
            fleets: self.fleets.clone(),
            game_server: GameServer {
                address: self.game_server_address,
                dns_name: self.game_server_dns_name.clone(),
                ports: self.game_server_ports.clone(),
            },
            retention: Retention {
                ended: time::Duration::seconds_f64(self.retention),
                terminated: time::Duration::seconds_f64(self.terminated_retention),
                max_terminated: self.max_terminated_game_sessions,
            },
            matchmaking_interval: (self.matchmaking_interval > 0.0)
                .then(|| Duration::from_secs_f64(self.matchmaking_interval)),
            game_servers: GameServers {
                reconnect_grace: time::Duration::seconds_f64(self.reconnect_grace),
                heartbeat_timeout: Duration::from_secs_f64(self.heartbeat_timeout),
                launch: self.launch.clone(),
                log_dir: self.process_log_dir.clone(),
                stop_grace: Duration::from_secs_f64(self.process_stop_grace),
                tls_certificate: self.tls.then(|| self.tls_certificate.clone()),
            },
        }
    }
}

fn run(cli: &Cli) -> Result<(), String> {
    let settings = cli.settings();
    let _log = gamelift_emulator::init_logging();
    let emulator = match &cli.state {
        Some(path) => {
            let (emulator, warnings) =
                Emulator::with_state_file(settings, path).map_err(|e| e.to_string())?;
            for warning in &warnings {
                tracing::warn!("{warning}");
            }
            emulator
        }
        None => Emulator::new(settings),
    };
    let emulator = Arc::new(emulator);
    let housekeeping = emulator.start_housekeeping_with(release_freed_memory);
    let matchmaker = emulator.start_matchmaker_with(lower_this_threads_priority);
    let request_timeout = Duration::from_secs_f64(cli.request_timeout);
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let address = SocketAddr::new(cli.bind, cli.port);
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| cannot_listen(address, &e))?;
        let bound = listener
            .local_addr()
            .map_err(|e| cannot_listen(address, &e))?;
        let tls = if cli.tls {
            let acceptor =
                gamelift_emulator::self_signed_tls(&cli.allow_hosts, &cli.tls_certificate)?;
            tracing::info!(
                "TLS certificate written to {}",
                cli.tls_certificate.display()
            );
            Some(acceptor)
        } else {
            None
        };
        let scheme = if tls.is_some() { "s" } else { "" };
        tracing::info!("gamelift emulator listening on http{scheme}://{bound}");
        // What clients on this machine dial: 127.0.0.1 when it listens on
        // every address.
        let host = if bound.ip().is_unspecified() {
            std::net::IpAddr::from([127, 0, 0, 1])
        } else {
            bound.ip()
        };
        let local = SocketAddr::new(host, bound.port());
        let endpoint = cli
            .sdk_endpoint
            .clone()
            .unwrap_or_else(|| format!("ws{scheme}://{local}"));
        emulator.set_sdk_endpoint(endpoint.clone());
        emulator.set_base_url(format!("http://{local}"));
        let delivery = tokio::spawn(gamelift_emulator::deliver_events(Arc::clone(&emulator)));
        for (topic, url) in &cli.sns_subscriptions {
            let arn = emulator
                .subscribe(topic, url, cli.sns_auto_confirm)
                .map_err(|e| format!("--sns-subscription {topic}: {e}"))?;
            tracing::info!(subscription = arn, "SNS subscription");
        }
        tracing::info!("game servers connect to {endpoint}");
        let launcher = Launcher::start(Arc::clone(&emulator));
        let app = router(
            Arc::clone(&emulator),
            HttpLimits {
                body_timeout: request_timeout,
                allowed_hosts: cli.allow_hosts.clone(),
                ..HttpLimits::default()
            },
        );
        let timeouts = Timeouts {
            header: request_timeout,
            ..Timeouts::default()
        };
        serve_with_tls(listener, app, timeouts, tls, shutdown_signal()).await;
        // Launched game servers are asked to end, then stopped; every
        // game server's socket is closed with 1000 and its session ended.
        launcher.stop().await;
        delivery.abort();
        emulator.end_game_servers();
        tokio::time::sleep(Duration::from_millis(100)).await;
        Ok::<(), String>(())
    })?;
    drop(matchmaker);
    drop(housekeeping);
    if let Some(path) = &cli.state {
        emulator
            .save_state_file()
            .map_err(|e| format!("the state was not saved at shutdown: {e}"))?;
        tracing::info!("state saved to {}", path.display());
    }
    tracing::info!("gamelift emulator stopped");
    Ok(())
}

/// Has glibc's allocator keep one arena for every thread, before any
/// thread starts. With an arena a thread (its default), what a request
/// allocates and what housekeeping frees end up spread over many arenas,
/// and what [`release_freed_memory`] can give back is fragmented: after a
/// churn of 200,000 tickets and 50,000 placements is forgotten, 77% more
/// stays resident than at the start, against 12% with one arena, with no
/// measurable change in throughput at 64 connections (BENCHMARKS.md).
fn use_one_allocator_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: mallopt takes plain integers, and runs before any other
    // thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Lowers the calling thread's scheduling priority (`nice` 10): the
/// matchmaker's thread, so that a long pass takes the processor from no
/// request (on Linux the nice value is the thread's own).
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    #[allow(unsafe_code)]
    // SAFETY: gettid and setpriority take and return plain integers.
    unsafe {
        let tid = libc::gettid();
        #[allow(clippy::cast_sign_loss)]
        let _ = libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

/// Asks the allocator to give the memory it holds free back to the
/// system, after the emulator forgot much: glibc keeps what was freed in
/// its arenas for reuse, so after a churn of tickets is forgotten their
/// pages would stay resident though nothing uses them. Other allocators
/// give large blocks back themselves: nothing to do there.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: malloc_trim takes no pointers; glibc locks each arena while
    // it walks it, as every allocator call does.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn cannot_listen(address: SocketAddr, error: &std::io::Error) -> String {
    let why = match error.kind() {
        std::io::ErrorKind::AddrInUse => "the address is already in use".to_owned(),
        std::io::ErrorKind::AddrNotAvailable => {
            "no interface of this machine has that address".to_owned()
        }
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    };
    format!("cannot listen on {address}: {why}")
}

/// Completes at the first SIGINT (Ctrl-C), SIGTERM (`docker stop`,
/// systemd, `timeout`), SIGHUP (the terminal closed) or SIGQUIT: each shuts
/// down gracefully and saves the state.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::SignalKind;
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {},
            () = received(SignalKind::terminate()) => {},
            () = received(SignalKind::hangup()) => {},
            () = received(SignalKind::quit()) => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    tracing::info!("shutting down: finishing requests under way");
}

/// Completes when the process receives `kind`; never, when it cannot
/// listen for it.
#[cfg(unix)]
async fn received(kind: tokio::signal::unix::SignalKind) {
    match tokio::signal::unix::signal(kind) {
        Ok(mut signal) => {
            signal.recv().await;
        }
        Err(_) => std::future::pending().await,
    }
}
