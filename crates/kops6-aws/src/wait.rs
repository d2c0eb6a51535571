//! Waiting on AWS, in one place: the jittered backoff, retries of calls that fail for a
//! while (eventual consistency, dependencies still going away), and [`until`], the one
//! generic waiter for a resource to reach a state (terraform-provider-aws'
//! `retry.StateChangeConf`): every kind's wait is a poll function given to it.

use std::future::Future;
use std::time::{Duration, Instant};

use rand::Rng;

use crate::error::AwsError;

/// How long to keep retrying a call that fails because AWS has not yet made a new ID visible.
pub const EVENTUAL_CONSISTENCY: Duration = Duration::from_secs(60);
/// How long to keep retrying a delete that something still depends on.
pub const DEPENDENCY_WAIT: Duration = Duration::from_secs(300);

/// Errors that mean "something still uses it; try again shortly".
pub const STILL_IN_USE: [&str; 4] = [
    "DependencyViolation",
    // IAM: a role with policies or instance profiles, a profile with a role.
    "DeleteConflict",
    "InvalidIPAddress.InUse",
    "AuthFailure.AddressInUse",
];

/// Sleeps a jittered, growing backoff: 0.2 s doubling (at most `2^cap` times, and to at most
/// 5 s), each +-50 %.
async fn backoff(attempt: u32, cap: u32) {
    let base = 200u64
        .saturating_mul(1 << attempt.min(cap).min(5))
        .min(5_000);
    let jitter = rand::rng().random_range(base / 2..=base + base / 2);
    tokio::time::sleep(Duration::from_millis(jitter)).await;
}

/// Retries `f` while it fails with one of `codes` (suffix match), for at most `limit`.
pub async fn retry_on<T, F, Fut>(codes: &[&str], limit: Duration, mut f: F) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    let start = Instant::now();
    let mut attempt = 0;
    loop {
        match f().await {
            Err(e)
                if start.elapsed() < limit
                    && e.code()
                        .is_some_and(|c| codes.iter().any(|s| c.ends_with(s))) =>
            {
                backoff(attempt, 5).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Retries a call that names IDs created moments ago (`InvalidXxx.NotFound`).
pub async fn fresh<T, F, Fut>(f: F) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    retry_on(&["NotFound", "NoSuchEntity"], EVENTUAL_CONSISTENCY, f).await
}

/// Whether an error says the resource does not exist (a delete of it is then done).
pub fn is_gone(e: &AwsError) -> bool {
    e.code()
        .is_some_and(|c| c.ends_with("NotFound") || c == "NoSuchEntity")
}

/// One look at a resource's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Poll<T> {
    /// In the wanted state.
    Ready(T),
    /// Not yet; the state seen, for the timeout message.
    Pending(String),
}

/// How long and how eagerly to wait.
#[derive(Debug, Clone, Copy)]
pub struct Patience {
    pub timeout: Duration,
    /// The backoff doubles at most this many times (3: at most 1.6 s between looks).
    pub max_doublings: u32,
}

/// Polls until `poll` says ready, fails (its error ends the wait: a terminal state), or
/// `patience.timeout` passes.
pub async fn until<T, F, Fut>(what: &str, patience: Patience, mut poll: F) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll<T>, AwsError>>,
{
    let start = Instant::now();
    let mut attempt = 0;
    loop {
        let last = match poll().await? {
            Poll::Ready(v) => return Ok(v),
            Poll::Pending(state) => state,
        };
        if start.elapsed() > patience.timeout {
            return Err(AwsError::Timeout {
                what: what.to_string(),
                seconds: patience.timeout.as_secs(),
                last,
            });
        }
        backoff(attempt, patience.max_doublings).await;
        attempt += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: &str) -> AwsError {
        AwsError::Api {
            action: "deleting".into(),
            resource: "Subnet/a".into(),
            code: Some(code.into()),
            message: code.into(),
        }
    }

    #[tokio::test]
    async fn until_returns_the_ready_value_after_pending_looks() {
        let mut looks = 0;
        let patience = Patience {
            timeout: Duration::from_secs(10),
            max_doublings: 0,
        };
        let v = until("a thing", patience, || {
            looks += 1;
            let n = looks;
            async move {
                Ok(if n < 3 {
                    Poll::Pending("pending".into())
                } else {
                    Poll::Ready(n)
                })
            }
        })
        .await;
        assert_eq!(v.ok(), Some(3));
    }

    #[tokio::test]
    async fn until_times_out_naming_the_last_state() {
        let patience = Patience {
            timeout: Duration::ZERO,
            max_doublings: 0,
        };
        let e = until::<(), _, _>("NatGateway/a", patience, || async {
            Ok(Poll::Pending("pending".into()))
        })
        .await
        .err();
        assert_eq!(
            e.map(|e| e.to_string()),
            Some("timed out after 0s waiting for NatGateway/a (last seen: pending)".into())
        );
    }

    #[tokio::test]
    async fn until_stops_at_a_terminal_error() {
        let patience = Patience {
            timeout: Duration::from_secs(10),
            max_doublings: 0,
        };
        let e = until::<(), _, _>("x", patience, || async { Err(api("Failed")) })
            .await
            .err();
        assert_eq!(
            e.and_then(|e| e.code().map(str::to_string)),
            Some("Failed".into())
        );
    }

    #[test]
    fn not_found_codes_mean_gone() {
        assert!(is_gone(&api("InvalidSubnetID.NotFound")));
        assert!(is_gone(&api("NatGatewayNotFound")));
        assert!(is_gone(&api("NoSuchEntity")));
        assert!(!is_gone(&api("DependencyViolation")));
    }
}
