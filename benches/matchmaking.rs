//! Benchmarks of the FlexMatch matcher: one pass ([`match_pool`]) over
//! searching one-player tickets, 4v4 with a latency rule (150 ms), a
//! comparison (the same mode) and a distance (skills within 50), at 1,000,
//! 10,000 and 50,000 tickets, then the same with 1% of the tickets
//! unmatchable (300 ms). Run with `cargo bench --bench matchmaking`
//! (`-- --quick` for a short run; a name fragment keeps the cases that
//! hold it).
//!
//! A pass takes up to seconds, so this bench times single passes itself
//! instead of the shared harness's calibrated rounds: the cases take turns
//! pass by pass (so a noisy neighbour slows them all alike) and each
//! reports the median of its passes, per pass and per ticket.

use std::hint::black_box;
use std::time::Instant;

use gamelift_session::flexmatch::{AttributeValue, Candidate, Player, RuleSet, match_pool};
use time::{Duration, OffsetDateTime};

fn rules() -> RuleSet {
    serde_json::from_str(
        r#"{"ruleLanguageVersion": "1.0",
        "playerAttributes": [{"name": "skill", "type": "number"}, {"name": "mode", "type": "string"}],
        "teams": [{"name": "red", "minPlayers": 4, "maxPlayers": 4},
                  {"name": "blue", "minPlayers": 4, "maxPlayers": 4}],
        "rules": [{"name": "near", "type": "latency", "maxLatency": 150},
                  {"name": "mode", "type": "comparison", "operation": "=",
                   "measurements": "flatten(teams[*].players.attributes[mode])"},
                  {"name": "close", "type": "distance", "maxDistance": 50,
                   "measurements": "flatten(teams[*].players.attributes[skill])"}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// `n` one-player tickets; every hundredth reports 300 ms when
/// `unmatchable`.
fn parties(n: u32, unmatchable: bool) -> Vec<Vec<Player>> {
    // A fixed, cheap spread of values (a linear congruence), the same each run.
    let mut x: u32 = 12_345;
    let mut next = move || {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        x >> 8
    };
    (0..n)
        .map(|i| {
            let ms = if unmatchable && i % 100 == 0 {
                300
            } else {
                20 + i32::try_from(next() % 100).unwrap_or(0)
            };
            vec![
                Player::new(format!("p{i}"))
                    .attribute("skill", AttributeValue::number(f64::from(next() % 1000)))
                    .attribute(
                        "mode",
                        AttributeValue::string(if next() % 2 == 0 { "ranked" } else { "casual" }),
                    )
                    .latency("us-east-1", ms),
            ]
        })
        .collect()
}

struct Case {
    name: String,
    tickets: u32,
    parties: Vec<Vec<Player>>,
    passes_ns: Vec<f64>,
    matched: usize,
    given_up: usize,
    work: u64,
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let rules = rules();
    let start = OffsetDateTime::UNIX_EPOCH;
    let now = start + Duration::seconds(2);
    let mut cases: Vec<Case> = [1_000, 10_000, 50_000]
        .into_iter()
        .flat_map(|n| {
            [false, true].map(|unmatchable| Case {
                name: format!(
                    "pass_{}k{}",
                    n / 1000,
                    if unmatchable { "_1pct_unmatchable" } else { "" }
                ),
                tickets: n,
                parties: parties(n, unmatchable),
                passes_ns: Vec::new(),
                matched: 0,
                given_up: 0,
                work: 0,
            })
        })
        .filter(|c| filters.is_empty() || filters.iter().any(|f| c.name.contains(f.as_str())))
        .collect();
    let rounds = if quick { 3 } else { 9 };
    // A warm-up pass each, not recorded.
    for round in 0..=rounds {
        for case in &mut cases {
            let candidates: Vec<Candidate<'_>> = case
                .parties
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let ms = i64::try_from(i).unwrap_or(i64::MAX);
                    Candidate::new(p, start + Duration::milliseconds(ms))
                })
                .collect();
            let began = Instant::now();
            let pass = match_pool(black_box(&rules), &candidates, now);
            let ns = began.elapsed().as_nanos() as f64;
            if round > 0 {
                case.passes_ns.push(ns);
            }
            case.matched = pass.matches.iter().map(|m| m.tickets.len()).sum();
            case.given_up = pass.given_up.len();
            case.work = pass.work;
        }
    }
    for case in &mut cases {
        case.passes_ns.sort_by(f64::total_cmp);
        let median = case.passes_ns[case.passes_ns.len() / 2];
        println!(
            "bench {} {:.1} ms/pass {:.0} ns/ticket matched {} of {} given_up {} work {}",
            case.name,
            median / 1e6,
            median / f64::from(case.tickets),
            case.matched,
            case.tickets,
            case.given_up,
            case.work
        );
    }
}
