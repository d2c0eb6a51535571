//! How an apply (or delete) runs.

use std::time::Duration;

use crate::progress::Sink;

/// How an apply runs.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Calls in flight at once.
    pub parallelism: usize,
    /// How long to wait for a NAT gateway to become available.
    pub nat_gateway_wait: Duration,
    /// Report progress at all.
    pub progress: bool,
    /// Where progress goes; `None`: plain lines on stderr ([`crate::progress::Lines`]).
    pub sink: Option<Sink>,
}

/// Steps in flight at once unless told otherwise. EC2 throttles each API action on its own
/// token bucket, and a first apply makes at most a few dozen calls of any one action (22
/// ModifySubnetAttribute for a 2-zone cluster), so 16 in flight stays well inside every bucket;
/// at 8, the steps' total time shared by 8 was longer than the critical path itself (the apply
/// bench's (e)).
pub const DEFAULT_PARALLELISM: usize = 16;

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            parallelism: DEFAULT_PARALLELISM,
            nat_gateway_wait: Duration::from_secs(600),
            progress: true,
            sink: None,
        }
    }
}
