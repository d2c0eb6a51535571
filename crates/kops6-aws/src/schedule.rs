//! Running jobs in dependency order: each job starts once every job it waits for has
//! succeeded, independent ones concurrently, at most `limit` at a time. Apply uses it with
//! the model's references (create a subnet after its VPC), delete with the discovered ones
//! reversed (delete a subnet before its VPC).

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use tokio::sync::{watch, Semaphore};

use kops6_model::Key;

use crate::error::AwsError;

/// How one job ended.
#[derive(Debug)]
pub enum Outcome {
    Done,
    Failed(AwsError),
    /// Not run, because the job with this index did not succeed.
    Blocked(usize),
}

/// The jobs in an order where each comes after those it waits for, or the jobs that wait on
/// each other in a cycle (Kahn's algorithm; `waits[i]` are indexes into `waits`).
pub fn order(waits: &[Vec<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    let n = waits.len();
    let mut pending: Vec<usize> = waits.iter().map(Vec::len).collect();
    let mut waiters: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, w) in waits.iter().enumerate() {
        for &d in w {
            waiters[d].push(i);
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&i| pending[i] == 0).collect();
    ready.reverse();
    let mut out = Vec::with_capacity(n);
    while let Some(i) = ready.pop() {
        out.push(i);
        for &w in waiters[i].iter().rev() {
            pending[w] -= 1;
            if pending[w] == 0 {
                ready.push(w);
            }
        }
    }
    if out.len() == n {
        Ok(out)
    } else {
        Err((0..n).filter(|&i| pending[i] > 0).collect())
    }
}

/// Runs `job(i)` for every `i` after all of `waits[i]` are done; returns each outcome, by
/// index. `waits` must have no cycle (check with [`order`] first), or the jobs in it never
/// start; indexes out of range are ignored.
pub async fn run<F, Fut>(waits: &[Vec<usize>], limit: usize, job: F) -> Vec<Outcome>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Result<(), AwsError>>,
{
    let n = waits.len();
    // `Some(true)` once done, `Some(false)` once failed or blocked.
    let results: Vec<watch::Sender<Option<bool>>> =
        (0..n).map(|_| watch::Sender::new(None)).collect();
    let limit = Semaphore::new(limit.max(1));
    let job = &job;
    let limit = &limit;
    let results = &results;
    let tasks = (0..n).map(|i| {
        let deps: Vec<(usize, watch::Receiver<Option<bool>>)> = waits[i]
            .iter()
            .filter(|&&d| d < n && d != i)
            .map(|&d| (d, results[d].subscribe()))
            .collect();
        async move {
            for (d, mut rx) in deps {
                let ok = rx.wait_for(Option::is_some).await.ok().and_then(|v| *v);
                if ok != Some(true) {
                    results[i].send_replace(Some(false));
                    return Outcome::Blocked(d);
                }
            }
            let outcome = {
                let _permit = limit.acquire().await.ok();
                job(i).await
            };
            results[i].send_replace(Some(outcome.is_ok()));
            match outcome {
                Ok(()) => Outcome::Done,
                Err(e) => Outcome::Failed(e),
            }
        }
    });
    join_all(tasks).await
}

/// One error, or all of them.
pub fn combine(mut errors: Vec<AwsError>) -> Result<(), AwsError> {
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.remove(0)),
        n => Err(AwsError::Failed {
            count: n,
            errors: errors.iter().map(ToString::to_string).collect(),
        }),
    }
}

/// The failures, and the steps they blocked, in step order.
pub fn outcome_errors(outcomes: Vec<Outcome>, key: impl Fn(usize) -> Key) -> Vec<AwsError> {
    outcomes
        .into_iter()
        .enumerate()
        .filter_map(|(i, o)| match o {
            Outcome::Done => None,
            Outcome::Failed(e) => Some(e),
            Outcome::Blocked(d) => Some(AwsError::Blocked {
                key: key(i),
                dependency: key(d),
            }),
        })
        .collect()
}

/// Runs futures concurrently on the current task (they may wait on each other through
/// channels) and returns their outputs in order.
pub async fn join_all<T, F: Future<Output = T>>(futures: impl Iterator<Item = F>) -> Vec<T> {
    let mut set: Vec<(usize, Pin<Box<F>>)> = futures.map(Box::pin).enumerate().collect();
    let mut out: Vec<Option<T>> = (0..set.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        set.retain_mut(|(i, f)| match f.as_mut().poll(cx) {
            Poll::Ready(v) => {
                out[*i] = Some(v);
                false
            }
            Poll::Pending => true,
        });
        if set.is_empty() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    out.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn order_puts_each_job_after_what_it_waits_for() {
        // 0 waits for 2, 2 waits for 1.
        let waits = vec![vec![2], vec![], vec![1]];
        assert_eq!(order(&waits), Ok(vec![1, 2, 0]));
    }

    #[test]
    fn order_names_the_jobs_in_a_cycle() {
        let waits = vec![vec![1], vec![0], vec![]];
        assert_eq!(order(&waits), Err(vec![0, 1]));
    }

    #[tokio::test]
    async fn run_starts_a_job_only_after_its_dependencies_and_blocks_after_a_failure() {
        let log = Mutex::new(Vec::new());
        // 1 waits for 0; 2 waits for 1; 3 fails; 4 waits for 3.
        let waits = vec![vec![], vec![0], vec![1], vec![], vec![3]];
        let outcomes = run(&waits, 2, |i| {
            let log = &log;
            async move {
                tokio::task::yield_now().await;
                log.lock().unwrap().push(i);
                if i == 3 {
                    Err(AwsError::NotUpdatable {
                        key: kops6_model::Key::new(kops6_model::Kind::Vpc, "v"),
                        field: "cidr".into(),
                    })
                } else {
                    Ok(())
                }
            }
        })
        .await;
        let log = log.into_inner().unwrap();
        let pos = |i| log.iter().position(|&x| x == i);
        assert!(pos(0) < pos(1) && pos(1) < pos(2), "{log:?}");
        assert_eq!(pos(4), None, "a job after a failed one never runs");
        assert!(matches!(outcomes[2], Outcome::Done));
        assert!(matches!(outcomes[3], Outcome::Failed(_)));
        assert!(matches!(outcomes[4], Outcome::Blocked(3)));
    }
}
