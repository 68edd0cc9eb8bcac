//! What rejecting a huge member costs: a name of 1, 10 and 100 MB, in a
//! request built in memory (validation only) and in JSON bytes (parse and
//! validate), with the size of the answer. Written without a framework:
//! each case runs 5 times, interleaved, and reports its median.
//! `cargo bench --bench hostile` (`-- --quick`: 1 and 10 MB only).

use std::hint::black_box;
use std::time::{Duration, Instant};

use gamelift_session::{GameLiftError, UpdateGameSessionInput};

const ID: &str = "arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1";

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes: &[usize] = if quick { &[1, 10] } else { &[1, 10, 100] };
    for &mb in sizes {
        let name = "n".repeat(mb * 1_000_000);
        let input = UpdateGameSessionInput::new(ID).name(name.clone());
        let body = serde_json::to_vec(&input).expect("encodes");
        let (mut validate, mut wire) = (Vec::new(), Vec::new());
        let mut answer = 0;
        for _ in 0..5 {
            let started = Instant::now();
            let err = black_box(&input).validate().expect_err("too long");
            validate.push(started.elapsed());
            black_box(err);

            let started = Instant::now();
            let err = serde_json::from_slice::<UpdateGameSessionInput>(black_box(&body))
                .map_err(GameLiftError::serialization)
                .and_then(|input| input.validate().map(|_| ()))
                .expect_err("too long");
            answer = err.body().to_json().len();
            wire.push(started.elapsed());
        }
        println!(
            "bench reject_name_{mb}mb validate {:>10.1} us  wire {:>10.1} us  answer {answer} bytes",
            median(validate).as_secs_f64() * 1e6,
            median(wire).as_secs_f64() * 1e6,
        );
    }
}
