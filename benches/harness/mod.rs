//! The bench harness shared by the crate's benches, written without a
//! framework.
//!
//! Each case runs in rounds; the cases take turns round by round so that a
//! noisy neighbour slows them all alike, and each case reports the median
//! of its rounds. Allocations are counted by a counting global allocator
//! in one untimed round. Output: one line per case, `bench <case> <ns/op>
//! ns/op <allocs/op> allocs/op`, then the ratios that BENCHMARKS.md tracks,
//! `ratio <label> <value> (target <= <target>) ok|MISSED`.
//!
//! A bench binary declares `mod harness;`, builds its `Vec<Case>` and hands
//! it to [`run`].

// The counting allocator must implement `GlobalAlloc`, an unsafe trait; it
// only forwards to the system allocator.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
/// Bytes allocated less bytes freed while [`bytes_of`] runs.
static BYTES: AtomicI64 = AtomicI64::new(0);
static WEIGHING: AtomicBool = AtomicBool::new(false);
/// Counting is off while rounds are timed: an atomic add per allocation
/// would weigh on allocation-heavy cases and skew the ratios.
static COUNTING: AtomicBool = AtomicBool::new(false);

fn count() {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

fn weigh(bytes: usize, sign: i64) {
    if WEIGHING.load(Ordering::Relaxed) {
        BYTES.fetch_add(
            sign * i64::try_from(bytes).unwrap_or(i64::MAX),
            Ordering::Relaxed,
        );
    }
}

/// What `build` makes, and the heap bytes it holds on to (allocated less
/// freed while it ran); never timed.
#[allow(dead_code)] // The search bench weighs; the others do not.
pub(crate) fn bytes_of<T>(build: impl FnOnce() -> T) -> (T, i64) {
    BYTES.store(0, Ordering::Relaxed);
    WEIGHING.store(true, Ordering::Relaxed);
    let made = build();
    WEIGHING.store(false, Ordering::Relaxed);
    (made, BYTES.load(Ordering::Relaxed))
}

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged, so `System`'s guarantees are this allocator's.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        weigh(layout.size(), 1);
        // SAFETY: forwarded as is; the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        weigh(layout.size(), 1);
        // SAFETY: forwarded as is; the caller upholds `alloc_zeroed`'s contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        weigh(layout.size(), -1);
        weigh(new_size, 1);
        // SAFETY: forwarded as is; the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        weigh(layout.size(), -1);
        // SAFETY: forwarded as is; the caller upholds `dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// One benchmarked operation.
pub(crate) struct Case {
    pub(crate) name: &'static str,
    run: Box<dyn FnMut()>,
    iterations: u64,
    rounds_ns: Vec<f64>,
    /// The median of the rounds, in ns per operation.
    pub(crate) ns: f64,
    pub(crate) allocations: f64,
}

impl Case {
    pub(crate) fn new(name: &'static str, run: impl FnMut() + 'static) -> Self {
        Case {
            name,
            run: Box::new(run),
            iterations: 1,
            rounds_ns: Vec::new(),
            ns: f64::NAN,
            allocations: 0.0,
        }
    }

    /// Doubles the iterations until one round takes at least `target`.
    fn calibrate(&mut self, target: Duration) {
        loop {
            let start = Instant::now();
            for _ in 0..self.iterations {
                (self.run)();
            }
            if start.elapsed() >= target || self.iterations >= 1 << 30 {
                break;
            }
            self.iterations *= 2;
        }
    }

    fn round(&mut self) {
        let start = Instant::now();
        for _ in 0..self.iterations {
            (self.run)();
        }
        let ns = start.elapsed().as_nanos() as f64 / self.iterations as f64;
        self.rounds_ns.push(ns);
    }

    fn settle(&mut self) {
        self.rounds_ns.sort_by(f64::total_cmp);
        self.ns = self.rounds_ns[self.rounds_ns.len() / 2];
    }

    /// Counts the allocations of one untimed round.
    fn count_allocations(&mut self) {
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        COUNTING.store(true, Ordering::Relaxed);
        for _ in 0..self.iterations {
            (self.run)();
        }
        COUNTING.store(false, Ordering::Relaxed);
        let counted = ALLOCATIONS.load(Ordering::Relaxed) - before;
        self.allocations = counted as f64 / self.iterations as f64;
    }
}

/// Runs `cases` as the command line says (`--quick` for a short run; any
/// other argument not a flag keeps the cases whose name contains it) and
/// prints a line per case; answers the cases, measured.
pub(crate) fn run(mut cases: Vec<Case>) -> Vec<Case> {
    let quick = std::env::args().any(|a| a == "--quick");
    let (rounds, round_time) = if quick {
        (25, Duration::from_millis(4))
    } else {
        (120, Duration::from_millis(10))
    };
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    cases.retain(|c| filters.is_empty() || filters.iter().any(|f| c.name.contains(f.as_str())));

    for case in &mut cases {
        case.calibrate(round_time);
    }
    // Warm-up round, not recorded.
    for case in &mut cases {
        case.round();
        case.rounds_ns.clear();
    }
    for _ in 0..rounds {
        for case in &mut cases {
            case.round();
        }
    }
    for case in &mut cases {
        case.settle();
        case.count_allocations();
        println!(
            "bench {} {:.1} ns/op {:.1} allocs/op",
            case.name, case.ns, case.allocations
        );
    }
    cases
}

/// The median ns/op of the case `name`; NaN when it did not run.
pub(crate) fn ns(cases: &[Case], name: &str) -> f64 {
    cases
        .iter()
        .find(|c| c.name == name)
        .map_or(f64::NAN, |c| c.ns)
}

/// Prints a ratio against its target.
#[allow(dead_code)] // Benches without targets print no ratio.
pub(crate) fn ratio(label: &str, value: f64, target: f64) {
    let verdict = if value <= target { "ok" } else { "MISSED" };
    println!("ratio {label} {value:.2} (target <= {target}) {verdict}");
}
