//! Optimization: which setting of a scenario's levers gives the best objective under
//! constraints, with a statistical guarantee on the setting recommended.
//!
//! [`search`] proposes candidates generation by generation and [`select`] picks the best
//! of the finalists by a ranking-and-selection procedure; both know nothing of
//! scenarios. [`mod@file`] reads optimization files; `study::optimize` joins them to the
//! model.

pub mod file;
pub mod search;
pub mod select;

pub use file::{Bound, Goal, Lever, LeverKind, Loaded, Optimization};
