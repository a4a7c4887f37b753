//! feidi simulates science-and-technology enclaves (科创飞地): a home city runs an
//! incubator inside a research-rich host city, scouts projects there, and wants them to
//! land at home for pilot production and industrialization rather than leak.
//!
//! Data flows one way: TOML ([`scenario`]) → validated [`scenario::Scenario`] →
//! [`model`] on the generic [`engine`] → replications ([`runner`]) → streaming
//! statistics ([`stats`]) → result files ([`results`]) → charts, the report and the
//! Excel workbook ([`plot`], [`report`], [`workbook`]), which read result files only.

#![deny(missing_docs)]

pub mod analysis;
pub mod calibrate;
pub mod cli;
pub mod dist;
pub mod engine;
pub mod input;
pub mod math;
pub mod model;
pub mod optimize;
pub mod plot;
pub mod report;
pub mod results;
pub mod runner;
pub mod scenario;
pub mod special;
pub mod stats;
pub mod studio;
pub mod study;
pub mod sweep;
pub mod units;
pub mod workbook;
