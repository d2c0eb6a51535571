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

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            parallelism: 8,
            nat_gateway_wait: Duration::from_secs(600),
            progress: true,
            sink: None,
        }
    }
}
