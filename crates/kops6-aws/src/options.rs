//! How an apply (or delete) runs.

use std::time::Duration;

/// How an apply runs.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Calls in flight at once.
    pub parallelism: usize,
    /// How long to wait for a NAT gateway to become available.
    pub nat_gateway_wait: Duration,
    /// Print progress lines on stderr.
    pub progress: bool,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            parallelism: 8,
            nat_gateway_wait: Duration::from_secs(600),
            progress: true,
        }
    }
}
