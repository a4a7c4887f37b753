//! Technology transfer without relocation: a project that settles in the host may
//! license its result to a firm of its home city (`[transfer]`), and home firms post
//! needs that host teams solve for an award (揭榜挂帅, `[[challenge]]`).
//!
//! A licence is decided from the project's own keyed streams as it settles in the host,
//! so it never changes where projects go. Challenges touch no project: each replication
//! draws them at the end from their own streams.

use super::metrics::Optional;
use super::project::Project;
use super::streams::{self, slot, Purpose};
use super::Prepared;
use crate::engine::rng::{open01, KeyedStream, StreamKey};
use crate::scenario::{Scenario, Transfer};
use rand::Rng;

/// Licences granted over one replication.
pub(super) struct Licences {
    count: u64,
    /// Value of the licences to the home firms, yuan.
    value: f64,
}

impl Licences {
    /// None granted.
    pub fn new() -> Self {
        Licences { count: 0, value: 0.0 }
    }

    /// `project` leaves the chain and settles in the host: with `[transfer]`, it may
    /// license its result to a home firm.
    #[inline]
    pub fn settled_in_host(&mut self, scenario: &Scenario, project: &Project) {
        if let Some(transfer) = &scenario.transfer {
            self.maybe_license(transfer, project);
        }
    }

    #[cold]
    fn maybe_license(&mut self, transfer: &Transfer, project: &Project) {
        if open01(project.stream(slot::LICENCE).next_raw()) < transfer.licence_chance {
            self.count += 1;
            self.value += transfer
                .licence_value
                .sample(&mut project.stream(slot::LICENCE_VALUE))
                .max(0.0);
        }
    }

    /// Writes the licence totals, when the scenario reports them.
    pub fn report(&self, p: &Prepared<'_>, totals: &mut [f64]) {
        let Some(transfer) = &p.scenario().transfer else {
            return;
        };
        let values = [
            (Optional::Licences, self.count as f64),
            (Optional::LicenceValueYuan, self.value),
            (Optional::LicenceHomeTaxYuan, self.value * transfer.tax_rate),
        ];
        for (total, value) in values {
            if let Some(slot) = p.optional_slot(total) {
                totals[slot] = value;
            }
        }
    }
}

/// What the 揭榜挂帅 rounds of one replication came to.
#[derive(Default)]
pub(super) struct Challenges {
    posted: u64,
    solved: u64,
    /// Awards paid, yuan.
    awards: f64,
    /// Value of the solved needs to the home firms, yuan.
    value: f64,
    /// Each award as (month of acceptance, yuan), by month.
    dated_awards: Vec<(f64, f64)>,
}

impl Challenges {
    /// Draws every challenge's needs from the streams of `key`: a need posted at month
    /// *t* is solved with its challenge's chance and accepted, its award paid, at
    /// *t* + `solve_within`, if that is by `end`. Nothing is drawn without challenges.
    pub fn draw(scenario: &Scenario, key: &StreamKey, end: f64) -> Self {
        let mut out = Challenges::default();
        if scenario.challenges.is_empty() {
            return out;
        }
        let mut keys = streams::stream(key, Purpose::Challenges);
        for challenge in &scenario.challenges {
            let table_key = keys.next_u64();
            for (round, &posted_at) in challenge.times.iter().enumerate() {
                out.posted += challenge.needs as u64;
                let accepted = posted_at + challenge.solve_within;
                if accepted > end {
                    continue;
                }
                for need in 0..challenge.needs as u64 {
                    // Each need has its own stream, so posting more needs leaves the
                    // fate of the others as it was.
                    let mut stream = KeyedStream::new(table_key, ((round as u64) << 32) | need);
                    if open01(stream.next_raw()) < challenge.solve_chance {
                        out.solved += 1;
                        out.awards += challenge.award_yuan;
                        out.value += challenge.value.sample(&mut stream).max(0.0);
                        out.dated_awards.push((accepted, challenge.award_yuan));
                    }
                }
            }
        }
        out.dated_awards.sort_by(|a, b| a.0.total_cmp(&b.0));
        out
    }

    /// Awards as (month paid, yuan), by month: part of the home outlay.
    pub fn dated_awards(&self) -> &[(f64, f64)] {
        &self.dated_awards
    }

    /// Writes the challenge totals, when the scenario reports them.
    pub fn report(&self, p: &Prepared<'_>, totals: &mut [f64]) {
        let values = [
            (Optional::ChallengeNeedsPosted, self.posted as f64),
            (Optional::ChallengeNeedsSolved, self.solved as f64),
            (Optional::ChallengeAwardsYuan, self.awards),
            (Optional::ChallengeValueYuan, self.value),
        ];
        for (total, value) in values {
            if let Some(slot) = p.optional_slot(total) {
                totals[slot] = value;
            }
        }
    }
}
