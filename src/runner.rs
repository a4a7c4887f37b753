//! Runs replications in parallel and folds them into streaming statistics.
//!
//! Replications are grouped in fixed blocks of [`BLOCK`]; each block is folded in
//! replication order, and blocks are merged in block order. The grouping depends only
//! on the replication count, so results are the same bits whatever the thread count,
//! and a later split of the work (shards, resume) can reuse the same blocks.

use crate::engine::rng::StreamKey;
use crate::model::{controls, Prepared};
use crate::stats::control::Strata;
use crate::stats::ratio::RatioMoments;
use crate::stats::{Accumulator, Moments, DEFAULT_CONFIDENCE};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

/// Replications per block: the unit of folding, merging and progress.
pub const BLOCK: u64 = 64;

/// Replications in the pilot from which `--variance-reduction auto` decides, once, which
/// metrics keep their controls: the first two blocks.
pub const PILOT: u64 = 2 * BLOCK;

/// Strata of the control-variate sums ([`crate::model::Outcome::stratum`]): replications
/// in which cooperation held, and those in which some link broke down at random
/// ([`Strata`]).
const STRATA: usize = 2;

/// How each total's mean and interval are estimated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VarianceReduction {
    /// Plain Monte Carlo: the mean of the replications.
    #[default]
    Off,
    /// Control variates for every total where they can be used (see
    /// [`crate::model::controls`]); plain Monte Carlo where none varied.
    Control,
    /// Control variates for the totals whose interval they narrowed over the first
    /// [`PILOT`] replications, plain Monte Carlo for the others.
    Auto,
}

impl VarianceReduction {
    /// Every method, in the order the command line lists them.
    pub const ALL: [VarianceReduction; 3] = [
        VarianceReduction::Off,
        VarianceReduction::Control,
        VarianceReduction::Auto,
    ];

    /// The method's name on the command line and in result files.
    pub fn name(self) -> &'static str {
        match self {
            VarianceReduction::Off => "off",
            VarianceReduction::Control => "control",
            VarianceReduction::Auto => "auto",
        }
    }

    /// The method named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// A total's estimated mean, by the method its [`Results`] were run with.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// The estimate of the mean.
    pub mean: f64,
    /// Half-width of its confidence interval (NaN when undefined).
    pub half_width: f64,
    /// The plain Monte Carlo mean.
    pub plain_mean: f64,
    /// The plain Monte Carlo half-width.
    pub plain_half_width: f64,
    /// Names of the controls used (see [`controls::Control::name`]; `a.` and `b.` for
    /// the two alternatives of a paired difference); empty for plain Monte Carlo.
    pub controls: Vec<String>,
}

/// The estimate of a mean by `method` from its plain moments and, when the method is on,
/// its co-moments with the controls over every replication and over the pilot.
fn estimate(
    plain: &Moments,
    controlled: Option<&Strata>,
    pilot: Option<&Strata>,
    method: VarianceReduction,
    confidence: f64,
    paired: bool,
) -> Estimate {
    let name = |i: usize| {
        let control = controls::ALL[i % controls::COUNT].name();
        match (paired, i < controls::COUNT) {
            (false, _) => control.to_string(),
            (true, true) => format!("a.{control}"),
            (true, false) => format!("b.{control}"),
        }
    };
    let (plain_mean, plain_half_width) = (plain.mean(), plain.half_width(confidence));
    let use_controls = match method {
        VarianceReduction::Off => false,
        VarianceReduction::Control => true,
        VarianceReduction::Auto => pilot.is_some_and(|pilot| {
            pilot
                .controlled(confidence)
                .is_some_and(|c| c.half_width < pilot.plain(confidence).1)
        }),
    };
    match controlled
        .filter(|_| use_controls)
        .and_then(|c| c.controlled(confidence))
    {
        Some(c) => Estimate {
            mean: c.mean,
            half_width: c.half_width,
            plain_mean,
            plain_half_width,
            controls: c.controls.into_iter().map(name).collect(),
        },
        None => Estimate {
            mean: plain_mean,
            half_width: plain_half_width,
            plain_mean,
            plain_half_width,
            controls: Vec::new(),
        },
    }
}

/// Which replications to run.
#[derive(Clone, Copy, Debug)]
pub struct RunSettings {
    /// Master seed.
    pub seed: u64,
    /// Design point index (0 for a single scenario).
    pub point: u32,
    /// Number of replications.
    pub replications: u64,
}

/// Statistics of a set of replications.
#[derive(Clone, Debug)]
pub struct Results {
    /// One accumulator per total, indexed like [`crate::model::metrics::totals`].
    pub totals: Vec<Accumulator>,
    /// One accumulator per (bin, series metric), bin-major.
    pub series: Vec<Accumulator>,
    /// Replications folded in.
    pub replications: u64,
    /// Model events handled in all of them.
    pub events: u64,
    /// How means are estimated.
    pub variance_reduction: VarianceReduction,
    /// With variance reduction, co-moments of each total (where defined) and the
    /// controls; empty when it is off.
    controlled: Vec<Strata>,
    /// The same over the first [`PILOT`] replications alone, from which `auto` decides.
    pilot: Vec<Strata>,
}

impl Results {
    fn empty(totals_len: usize, series_len: usize, method: VarianceReduction) -> Self {
        let co = |on: bool| vec![Strata::new(1 + controls::COUNT, STRATA); if on { totals_len } else { 0 }];
        Results {
            totals: vec![Accumulator::default(); totals_len],
            series: vec![Accumulator::default(); series_len],
            replications: 0,
            events: 0,
            variance_reduction: method,
            controlled: co(method != VarianceReduction::Off),
            pilot: co(method == VarianceReduction::Auto),
        }
    }

    /// Folds in one more replication's outcome: replication `replication` of its run.
    fn push(&mut self, outcome: &crate::model::Outcome, replication: u64) {
        for (acc, &x) in self.totals.iter_mut().zip(&outcome.totals) {
            acc.push(x);
        }
        if !self.controlled.is_empty() {
            let mut row = [0.0; 1 + controls::COUNT];
            row[1..].copy_from_slice(&outcome.controls);
            let in_pilot = replication < PILOT && !self.pilot.is_empty();
            for (m, &y) in outcome.totals.iter().enumerate() {
                if y.is_nan() {
                    continue;
                }
                row[0] = y;
                let stratum = outcome.stratum as usize;
                self.controlled[m].push(stratum, &row);
                if in_pilot {
                    self.pilot[m].push(stratum, &row);
                }
            }
        }
        for (acc, &x) in self.series.iter_mut().zip(&outcome.series) {
            acc.push(x);
        }
        self.replications += 1;
        self.events += outcome.events;
    }

    /// Folds in the results of the replications that follow these.
    pub fn merge(&mut self, later: &Results) {
        for (a, b) in self.totals.iter_mut().zip(&later.totals) {
            a.merge(b);
        }
        for (a, b) in self.series.iter_mut().zip(&later.series) {
            a.merge(b);
        }
        for (a, b) in self.controlled.iter_mut().zip(&later.controlled) {
            a.merge(b);
        }
        for (a, b) in self.pilot.iter_mut().zip(&later.pilot) {
            a.merge(b);
        }
        self.replications += later.replications;
        self.events += later.events;
    }

    /// The mean and interval of total `m` at `confidence` by the results' method.
    /// Under `auto` a total keeps its controls when, over the pilot (the first
    /// [`PILOT`] replications, or all when fewer ran), they gave a narrower interval
    /// than plain Monte Carlo: a decision that depends only on those replications, so it
    /// is the same however long the run goes on.
    pub fn estimate(&self, m: usize, confidence: f64) -> Estimate {
        estimate(
            self.totals[m].moments(),
            self.controlled.get(m),
            self.pilot.get(m),
            self.variance_reduction,
            confidence,
            false,
        )
    }

    /// Total `m`'s summary at `confidence`: [`Accumulator::summary`] with the mean and
    /// interval of [`Results::estimate`] when variance reduction is on (the spread and
    /// quantiles stay those of the replications).
    pub fn summary(&self, m: usize, confidence: f64) -> crate::stats::Summary {
        let mut s = self.totals[m].summary(confidence);
        if self.variance_reduction != VarianceReduction::Off {
            let e = self.estimate(m, confidence);
            if !e.controls.is_empty() {
                s.mean = e.mean;
                s.ci_low = e.mean - e.half_width;
                s.ci_high = e.mean + e.half_width;
            }
        }
        s
    }

    /// Half-width of total `m`'s interval at `confidence` by the results' method: what
    /// the stopping rule compares with its target.
    pub fn half_width(&self, m: usize, confidence: f64) -> f64 {
        if self.variance_reduction == VarianceReduction::Off {
            self.totals[m].half_width(confidence)
        } else {
            self.estimate(m, confidence).half_width
        }
    }
}

/// A stopping rule: run whole blocks until every target half-width is reached, or to
/// the replication cap. With no targets the run goes to the cap.
#[derive(Clone, Debug, PartialEq)]
pub struct Precision {
    /// Confidence level of the intervals whose half-widths are compared with the targets.
    pub confidence: f64,
    /// Each `(metric, target)`: a metric index (into the totals for a run, into the
    /// compared metrics for a comparison) and the half-width it must reach.
    pub targets: Vec<(usize, f64)>,
    /// How means and intervals are estimated (the stopping rule compares the interval
    /// of that method).
    pub variance_reduction: VarianceReduction,
}

impl Default for Precision {
    /// No targets (run to the cap), at [`DEFAULT_CONFIDENCE`].
    fn default() -> Self {
        Precision::new(Vec::new())
    }
}

impl Precision {
    /// The rule with `targets` at [`DEFAULT_CONFIDENCE`].
    pub fn new(targets: Vec<(usize, f64)>) -> Self {
        Precision {
            confidence: DEFAULT_CONFIDENCE,
            targets,
            variance_reduction: VarianceReduction::Off,
        }
    }

    /// The same rule with means estimated by `method`.
    pub fn with_variance_reduction(mut self, method: VarianceReduction) -> Self {
        self.variance_reduction = method;
        self
    }

    /// Whether the rule is met, given the half-width reached by each target's metric, in
    /// the order of `targets`: true when there is at least one target and none of them
    /// is above its target (an undefined, NaN, half-width is never met).
    pub fn met(&self, half_widths: &[f64]) -> bool {
        debug_assert_eq!(half_widths.len(), self.targets.len());
        !self.targets.is_empty()
            && self
                .targets
                .iter()
                .zip(half_widths)
                .all(|(&(_, target), &reached)| reached <= target)
    }

    /// Whether the rule is met by `results`: each target's total has a half-width at or
    /// below its target.
    fn met_by(&self, results: &Results) -> bool {
        let reached: Vec<f64> = self
            .targets
            .iter()
            .map(|&(metric, _)| results.half_width(metric, self.confidence))
            .collect();
        self.met(&reached)
    }
}

/// A replication that failed: which one, so that it can be re-run alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicationFailure {
    /// The run's master seed.
    pub seed: u64,
    /// Design point.
    pub point: u32,
    /// Replication within the point.
    pub replication: u64,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for ReplicationFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "replication {} of design point {} (seed {}) failed: {}",
            self.replication, self.point, self.seed, self.message
        )
    }
}

/// Runs one replication, turning a panic (a bug in feidi) into a [`ReplicationFailure`]
/// that names the replication.
pub fn run_one(prepared: &Prepared<'_>, key: StreamKey) -> Result<crate::model::Outcome, ReplicationFailure> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prepared.simulate(key))).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an internal error".to_string());
        ReplicationFailure {
            seed: key.seed,
            point: key.point,
            replication: key.replication,
            message,
        }
    })
}

/// Runs block `block` of `settings` alone.
pub fn run_block(prepared: &Prepared<'_>, settings: RunSettings, block: u64) -> Result<Results, ReplicationFailure> {
    run_block_with(prepared, settings, block, VarianceReduction::Off)
}

/// Runs block `block` of `settings` alone, keeping what `method` needs.
pub fn run_block_with(
    prepared: &Prepared<'_>,
    settings: RunSettings,
    block: u64,
    method: VarianceReduction,
) -> Result<Results, ReplicationFailure> {
    run_block_observed(prepared, settings, block, method, &mut |_, _| {})
}

/// [`run_block_with`], handing each replication's outcome to `observe` (with its
/// replication number) before it is folded in.
fn run_block_observed(
    prepared: &Prepared<'_>,
    settings: RunSettings,
    block: u64,
    method: VarianceReduction,
    observe: &mut dyn FnMut(u64, &crate::model::Outcome),
) -> Result<Results, ReplicationFailure> {
    let series_len = prepared.bins() * prepared.series_width();
    let mut results = Results::empty(prepared.totals_width(), series_len, method);
    let first = block * BLOCK;
    let last = (first + BLOCK).min(settings.replications);
    for replication in first..last {
        let key = StreamKey {
            seed: settings.seed,
            point: settings.point,
            replication,
        };
        let outcome = run_one(prepared, key)?;
        observe(replication, &outcome);
        results.push(&outcome, replication);
    }
    Ok(results)
}

/// Runs whole blocks of `settings` on the calling thread, block after block, until
/// `rule` is met or `settings.replications` (the cap) is reached: for callers that
/// parallelize over something else (the points of a sweep). The decision is taken after
/// each block, on the blocks merged so far, so the results are the same bits as
/// [`run`]'s whatever else runs in parallel.
pub fn run_serial(
    prepared: &Prepared<'_>,
    settings: RunSettings,
    rule: &Precision,
) -> Result<(Results, Stop), ReplicationFailure> {
    let method = rule.variance_reduction;
    debug_assert!(method == VarianceReduction::Off || prepared.observes_controls());
    let mut results = Results::empty(
        prepared.totals_width(),
        prepared.bins() * prepared.series_width(),
        method,
    );
    for block in 0..settings.replications.div_ceil(BLOCK) {
        results.merge(&run_block_with(prepared, settings, block, method)?);
        if rule.met_by(&results) {
            return Ok((results, Stop::Met));
        }
    }
    Ok((results, Stop::Cap))
}

/// Paired statistics of a design point against a baseline point run on the same random
/// streams (common random numbers): the moments of each total's per-replication
/// difference (point − baseline), and of the (outlay, benefit) differences whose ratio
/// is the cost of one more unit of benefit.
#[derive(Clone, Debug)]
pub struct Paired {
    /// One per total; a replication where either value is undefined is left out.
    pub differences: Vec<Moments>,
    /// Differences of the totals named by [`run_serial_paired`]'s `marginal`.
    pub marginal: RatioMoments,
}

/// [`run_serial`], pairing each replication with the same replication of a baseline:
/// `baseline[r]` holds the baseline's totals in replication `r` (from
/// [`baseline_totals`], on the same seed and stream point), and must cover the cap.
/// `marginal` names the totals (outlay, benefit) whose paired differences are kept
/// together. The paired figures cover exactly the replications in the results.
pub fn run_serial_paired(
    prepared: &Prepared<'_>,
    settings: RunSettings,
    rule: &Precision,
    baseline: &[Vec<f64>],
    marginal: Option<(usize, usize)>,
) -> Result<(Results, Paired, Stop), ReplicationFailure> {
    let method = rule.variance_reduction;
    let mut results = Results::empty(
        prepared.totals_width(),
        prepared.bins() * prepared.series_width(),
        method,
    );
    let mut paired = Paired {
        differences: vec![Moments::default(); prepared.totals_width()],
        marginal: RatioMoments::default(),
    };
    let mut observe = |replication: u64, outcome: &crate::model::Outcome| {
        let base = &baseline[replication as usize];
        for ((d, &x), &y) in paired.differences.iter_mut().zip(&outcome.totals).zip(base) {
            if !x.is_nan() && !y.is_nan() {
                d.push(x - y);
            }
        }
        if let Some((outlay, benefit)) = marginal {
            paired.marginal.push(
                outcome.totals[outlay] - base[outlay],
                outcome.totals[benefit] - base[benefit],
            );
        }
    };
    for block in 0..settings.replications.div_ceil(BLOCK) {
        results.merge(&run_block_observed(prepared, settings, block, method, &mut observe)?);
        if rule.met_by(&results) {
            return Ok((results, paired, Stop::Met));
        }
    }
    Ok((results, paired, Stop::Cap))
}

/// Every replication's totals of `settings` (up to its cap), in replication order, run
/// on `pool`: the baseline that [`run_serial_paired`] pairs other points with.
pub fn baseline_totals(
    pool: &rayon::ThreadPool,
    prepared: &Prepared<'_>,
    settings: RunSettings,
) -> Result<Vec<Vec<f64>>, ReplicationFailure> {
    let mut all = Vec::with_capacity(settings.replications as usize);
    run_ordered(
        pool,
        settings.replications.div_ceil(BLOCK),
        &|block| {
            let mut totals = Vec::new();
            run_block_observed(prepared, settings, block, VarianceReduction::Off, &mut |_, outcome| {
                totals.push(outcome.totals.clone())
            })?;
            Ok(totals)
        },
        &mut |block: Vec<Vec<f64>>| {
            all.extend(block);
            false
        },
    )?;
    Ok(all)
}

/// Runs blocks `0..blocks` on `pool` with `work` and hands each result to `merge`
/// strictly in block order, on the calling thread (which must not be one of `pool`'s).
/// Workers claim blocks in increasing order and send their results through a bounded
/// channel; early arrivals wait aside until the blocks before them are merged.
/// When `merge` returns `true` no further block is merged and no new one is started, so
/// what was merged depends only on the blocks before the stop, never on the thread
/// count. A failed block stops the run the same way, in block order.
fn run_ordered<T: Send>(
    pool: &rayon::ThreadPool,
    blocks: u64,
    work: &(dyn Fn(u64) -> Result<T, ReplicationFailure> + Sync),
    merge: &mut dyn FnMut(T) -> bool,
) -> Result<(), ReplicationFailure> {
    let workers = (pool.current_num_threads() as u64).clamp(1, blocks.max(1));
    let next_block = AtomicU64::new(0);
    let (sender, receiver) = mpsc::sync_channel::<(u64, Result<T, ReplicationFailure>)>(2 * workers as usize);
    let mut failure = None;
    pool.in_place_scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let next_block = &next_block;
            scope.spawn(move |_| loop {
                let block = next_block.fetch_add(1, Ordering::Relaxed);
                if block >= blocks || sender.send((block, work(block))).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        let mut early: BTreeMap<u64, Result<T, ReplicationFailure>> = BTreeMap::new();
        let mut expected = 0;
        let mut stopped = false;
        for (block, result) in receiver {
            if stopped {
                continue; // a block started before the stop: drained and dropped
            }
            early.insert(block, result);
            while let Some(ready) = early.remove(&expected) {
                expected += 1;
                stopped = match ready {
                    Ok(value) => merge(value),
                    Err(e) => {
                        failure = Some(e);
                        true
                    }
                };
                if stopped {
                    // Stop handing out blocks; the workers finish the ones they hold.
                    next_block.store(blocks, Ordering::Relaxed);
                    early.clear();
                    break;
                }
            }
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// How a run with a stopping rule ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Every target half-width was reached (after the replications in the results).
    Met,
    /// The replication cap was reached first.
    Cap,
    /// The caller asked to stop (its progress callback returned `false`); the results
    /// hold the blocks merged before that.
    Cancelled,
}

/// Runs whole blocks of `settings` on `pool` until `rule` is met or
/// `settings.replications` (the cap) is reached, calling `progress` with the number of
/// replications finished as blocks are merged; `progress` returns `false` to stop there
/// (a cancel). With no targets it runs to the cap.
///
/// Blocks are merged strictly in block order (see `run_ordered`) and the rule is
/// checked after each one, so the results are the same bits as [`run_serial`]'s for any
/// thread count. There is no barrier between groups of blocks, memory stays bounded by a
/// few blocks per worker, and the calling thread must not be one of `pool`'s threads.
pub fn run(
    pool: &rayon::ThreadPool,
    prepared: &Prepared<'_>,
    settings: RunSettings,
    rule: &Precision,
    progress: &(dyn Fn(u64) -> bool + Sync),
) -> Result<(Results, Stop), ReplicationFailure> {
    let method = rule.variance_reduction;
    debug_assert!(method == VarianceReduction::Off || prepared.observes_controls());
    let mut results = Results::empty(
        prepared.totals_width(),
        prepared.bins() * prepared.series_width(),
        method,
    );
    let mut stop = Stop::Cap;
    run_ordered(
        pool,
        settings.replications.div_ceil(BLOCK),
        &|block| run_block_with(prepared, settings, block, method),
        &mut |block_results| {
            results.merge(&block_results);
            if !progress(results.replications) {
                stop = Stop::Cancelled;
                return true;
            }
            let met = rule.met_by(&results);
            if met {
                stop = Stop::Met;
            }
            met
        },
    )?;
    Ok((results, stop))
}

/// One alternative of a comparison.
pub struct Alternative<'a> {
    /// Its prepared model.
    pub prepared: &'a Prepared<'a>,
    /// The design point whose random streams it draws: the same for every alternative
    /// (common random numbers) in `feidi compare`; different only to measure what
    /// common random numbers buy.
    pub point: u32,
    /// For each compared metric, its index in this alternative's totals.
    pub metrics: Vec<usize>,
    /// Positions in `metrics` of an outlay and a benefit: each pair then keeps the
    /// moments of their paired differences, for the cost of one more unit of benefit
    /// ([`Pair::marginal`]). The first alternative's is used.
    pub marginal: Option<(usize, usize)>,
}

/// Paired statistics of alternatives `a` and `b` over the same replications, one entry
/// per compared metric. A replication where either value is undefined (NaN) is left out.
#[derive(Clone, Debug)]
pub struct Pair {
    /// Index of the first alternative.
    pub a: usize,
    /// Index of the second alternative.
    pub b: usize,
    /// Moments of the per-replication difference a − b.
    pub differences: Vec<Moments>,
    /// Replications where a's value was above b's.
    pub a_above: Vec<u64>,
    /// Replications where a's value was below b's.
    pub a_below: Vec<u64>,
    /// Replications where the values were equal.
    pub equal: Vec<u64>,
    /// How the mean differences are estimated.
    pub variance_reduction: VarianceReduction,
    /// With variance reduction, co-moments of each difference with both alternatives'
    /// controls (a's, then b's); empty when it is off.
    controlled: Vec<Strata>,
    /// The same over the pilot alone (`auto`).
    pilot: Vec<Strata>,
    /// Moments of the paired differences (outlay, benefit) named by
    /// [`Alternative::marginal`]: their ratio is what one more unit of benefit costs
    /// going from b to a. Empty when no marginal was asked for.
    pub marginal: RatioMoments,
}

impl Pair {
    fn new(a: usize, b: usize, metrics: usize, method: VarianceReduction) -> Self {
        let co = |on: bool| vec![Strata::new(1 + 2 * controls::COUNT, STRATA); if on { metrics } else { 0 }];
        Pair {
            a,
            b,
            differences: vec![Moments::default(); metrics],
            a_above: vec![0; metrics],
            a_below: vec![0; metrics],
            equal: vec![0; metrics],
            variance_reduction: method,
            controlled: co(method != VarianceReduction::Off),
            pilot: co(method == VarianceReduction::Auto),
            marginal: RatioMoments::default(),
        }
    }

    /// The mean difference of compared metric `m` (a − b) and its interval at
    /// `confidence`, by the pair's method. Controls are indexed over a's then b's
    /// (add [`controls::COUNT`] for b's); under common random numbers the controls the
    /// two share are used once.
    pub fn difference(&self, m: usize, confidence: f64) -> Estimate {
        estimate(
            &self.differences[m],
            self.controlled.get(m),
            self.pilot.get(m),
            self.variance_reduction,
            confidence,
            true,
        )
    }

    fn merge(&mut self, later: &Pair) {
        for (x, y) in self.differences.iter_mut().zip(&later.differences) {
            x.merge(y);
        }
        for (x, y) in self.controlled.iter_mut().zip(&later.controlled) {
            x.merge(y);
        }
        for (x, y) in self.pilot.iter_mut().zip(&later.pilot) {
            x.merge(y);
        }
        self.marginal.merge(&later.marginal);
        for (x, y) in [
            (&mut self.a_above, &later.a_above),
            (&mut self.a_below, &later.a_below),
            (&mut self.equal, &later.equal),
        ] {
            x.iter_mut().zip(y).for_each(|(x, y)| *x += y);
        }
    }
}

/// Statistics of alternatives run replication by replication on the same streams.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// Each alternative's statistics, as [`run`] gives them.
    pub alternatives: Vec<Results>,
    /// Every pair (a, b) with a before b in the list of alternatives.
    pub pairs: Vec<Pair>,
    /// Replications folded in (the same for every alternative).
    pub replications: u64,
}

impl Comparison {
    fn empty(alternatives: &[Alternative<'_>], method: VarianceReduction) -> Self {
        let metrics = alternatives.first().map_or(0, |a| a.metrics.len());
        let mut pairs = Vec::new();
        for a in 0..alternatives.len() {
            for b in a + 1..alternatives.len() {
                pairs.push(Pair::new(a, b, metrics, method));
            }
        }
        Comparison {
            alternatives: alternatives
                .iter()
                .map(|alt| {
                    Results::empty(
                        alt.prepared.totals_width(),
                        alt.prepared.bins() * alt.prepared.series_width(),
                        method,
                    )
                })
                .collect(),
            pairs,
            replications: 0,
        }
    }

    fn merge(&mut self, later: &Comparison) {
        for (x, y) in self.alternatives.iter_mut().zip(&later.alternatives) {
            x.merge(y);
        }
        for (x, y) in self.pairs.iter_mut().zip(&later.pairs) {
            x.merge(y);
        }
        self.replications += later.replications;
    }

    /// The widest half-width at `confidence` over every pair's difference of compared
    /// metric `metric`: NaN when any is undefined, −∞ when there is no pair.
    pub fn widest_half_width(&self, metric: usize, confidence: f64) -> f64 {
        self.pairs
            .iter()
            .map(|p| p.difference(metric, confidence).half_width)
            .fold(f64::NEG_INFINITY, |a, b| {
                if a.is_nan() || b.is_nan() {
                    f64::NAN
                } else {
                    a.max(b)
                }
            })
    }
}

/// Runs block `block` of every alternative, replication by replication, folding each
/// alternative's outcome and every pair's differences.
pub fn compare_block(
    alternatives: &[Alternative<'_>],
    seed: u64,
    replications: u64,
    block: u64,
) -> Result<Comparison, ReplicationFailure> {
    compare_block_with(alternatives, seed, replications, block, VarianceReduction::Off)
}

/// [`compare_block`], keeping what `method` needs.
pub fn compare_block_with(
    alternatives: &[Alternative<'_>],
    seed: u64,
    replications: u64,
    block: u64,
    method: VarianceReduction,
) -> Result<Comparison, ReplicationFailure> {
    let mut out = Comparison::empty(alternatives, method);
    let first = block * BLOCK;
    let last = (first + BLOCK).min(replications);
    let mut values = vec![Vec::new(); alternatives.len()];
    let mut control_values = vec![Vec::new(); alternatives.len()];
    let mut strata = vec![0u8; alternatives.len()];
    let marginal = alternatives.first().and_then(|a| a.marginal);
    for replication in first..last {
        for ((((alt, results), values), control_values), stratum) in alternatives
            .iter()
            .zip(&mut out.alternatives)
            .zip(&mut values)
            .zip(&mut control_values)
            .zip(&mut strata)
        {
            let key = StreamKey {
                seed,
                point: alt.point,
                replication,
            };
            let outcome = run_one(alt.prepared, key)?;
            results.push(&outcome, replication);
            values.clear();
            values.extend(alt.metrics.iter().map(|&i| outcome.totals[i]));
            *control_values = outcome.controls;
            *stratum = outcome.stratum;
        }
        for pair in &mut out.pairs {
            let mut row = [0.0; 1 + 2 * controls::COUNT];
            if !pair.controlled.is_empty() {
                row[1..=controls::COUNT].copy_from_slice(&control_values[pair.a]);
                row[1 + controls::COUNT..].copy_from_slice(&control_values[pair.b]);
            }
            if let Some((outlay, benefit)) = marginal {
                let (a, b) = (&values[pair.a], &values[pair.b]);
                pair.marginal.push(a[outlay] - b[outlay], a[benefit] - b[benefit]);
            }
            for (m, (&x, &y)) in values[pair.a].iter().zip(&values[pair.b]).enumerate() {
                if x.is_nan() || y.is_nan() {
                    continue;
                }
                pair.differences[m].push(x - y);
                if !pair.controlled.is_empty() {
                    row[0] = x - y;
                    let stratum = strata[pair.a].max(strata[pair.b]) as usize;
                    pair.controlled[m].push(stratum, &row);
                    if replication < PILOT && !pair.pilot.is_empty() {
                        pair.pilot[m].push(stratum, &row);
                    }
                }
                match x.partial_cmp(&y) {
                    Some(std::cmp::Ordering::Greater) => pair.a_above[m] += 1,
                    Some(std::cmp::Ordering::Less) => pair.a_below[m] += 1,
                    _ => pair.equal[m] += 1,
                }
            }
        }
        out.replications += 1;
    }
    Ok(out)
}

/// Runs `alternatives` in lockstep on `pool`, block by block (each block the same
/// replications of every alternative), merging blocks in block order. It stops at the
/// first block boundary where `rule` is met, its targets (indices into the compared
/// metrics) applying to every pair's difference (see
/// [`Comparison::widest_half_width`]); `replications` is the cap. Results are the same
/// bits for any thread count. `progress` returns `false` to stop after a block, as in
/// [`run`].
pub fn run_compare(
    pool: &rayon::ThreadPool,
    alternatives: &[Alternative<'_>],
    seed: u64,
    replications: u64,
    rule: &Precision,
    progress: &(dyn Fn(u64) -> bool + Sync),
) -> Result<(Comparison, Stop), ReplicationFailure> {
    let method = rule.variance_reduction;
    debug_assert!(method == VarianceReduction::Off || alternatives.iter().all(|a| a.prepared.observes_controls()));
    let mut comparison = Comparison::empty(alternatives, method);
    let mut stop = Stop::Cap;
    run_ordered(
        pool,
        replications.div_ceil(BLOCK),
        &|block| compare_block_with(alternatives, seed, replications, block, method),
        &mut |block_results| {
            comparison.merge(&block_results);
            if !progress(comparison.replications) {
                stop = Stop::Cancelled;
                return true;
            }
            let reached: Vec<f64> = rule
                .targets
                .iter()
                .map(|&(metric, _)| comparison.widest_half_width(metric, rule.confidence))
                .collect();
            let met = rule.met(&reached);
            if met {
                stop = Stop::Met;
            }
            met
        },
    )?;
    Ok((comparison, stop))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_is_met_only_when_every_target_is_reached() {
        let rule = Precision::new(vec![(0, 1.0), (3, 0.5)]);
        assert!(rule.met(&[1.0, 0.25]));
        assert!(!rule.met(&[1.5, 0.25]));
        assert!(!rule.met(&[f64::NAN, 0.25]), "an undefined half-width is never met");
        assert!(!Precision::default().met(&[]), "no targets: run to the cap");
        assert_eq!(Precision::default().confidence, DEFAULT_CONFIDENCE);
    }

    #[test]
    fn a_failure_names_the_replication_but_no_command_line() {
        let failure = ReplicationFailure {
            seed: 7,
            point: 2,
            replication: 130,
            message: "boom".to_string(),
        };
        let text = failure.to_string();
        assert_eq!(text, "replication 130 of design point 2 (seed 7) failed: boom");
        assert!(!text.contains("--"));
    }
}
