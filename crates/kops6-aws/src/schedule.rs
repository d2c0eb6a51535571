//! Running jobs in dependency order: each job starts once every job it waits for has
//! succeeded, independent ones concurrently, at most `limit` at a time, the critical path
//! first (a list scheduler by longest path to the end). Apply uses it with
//! the model's references (create a subnet after its VPC), delete with the discovered ones
//! reversed (delete a subnet before its VPC).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use kops6_model::{Key, Resource};

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

/// For each resource, the indexes of those among `resources` that it refers to: what an
/// apply's creates and updates wait for.
pub fn reference_waits(resources: &[&Resource]) -> Vec<Vec<usize>> {
    let index: HashMap<&Key, usize> = resources
        .iter()
        .enumerate()
        .map(|(i, r)| (&r.key, i))
        .collect();
    resources
        .iter()
        .map(|r| {
            r.dependencies()
                .into_iter()
                .filter_map(|d| index.get(d).copied())
                .collect()
        })
        .collect()
}

/// Runs `job(i)` for every `i` after all of `waits[i]` are done; returns each outcome, by
/// index. At most `limit` run at once. Of the jobs that may start, those with the longest
/// path after them, counted in `cost` (each job's estimated seconds), start first, ties in
/// index order: the critical path is never held behind quick side jobs. `waits` must have no
/// cycle (check with [`order`] first): jobs in one never start and are reported blocked;
/// indexes out of range are ignored.
pub async fn run<F, Fut>(waits: &[Vec<usize>], limit: usize, cost: &[f64], job: F) -> Vec<Outcome>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Result<(), AwsError>>,
{
    let graph = Graph::new(waits);
    let rank = graph.ranks(cost);
    let n = graph.deps.len();
    let mut pending: Vec<usize> = graph.deps.iter().map(Vec::len).collect();
    let mut outcomes: Vec<Option<Outcome>> = (0..n).map(|_| None).collect();
    let mut ready: BinaryHeap<Ready> = (0..n)
        .filter(|&i| pending[i] == 0)
        .map(|i| Ready::new(&rank, i))
        .collect();
    let mut running: Vec<(usize, Pin<Box<Fut>>)> = Vec::new();
    let limit = limit.max(1);
    std::future::poll_fn(|cx| loop {
        while running.len() < limit {
            let Some(next) = ready.pop() else { break };
            running.push((next.index, Box::pin(job(next.index))));
        }
        let mut finished = Vec::new();
        running.retain_mut(|(i, f)| match f.as_mut().poll(cx) {
            Poll::Ready(result) => {
                finished.push((*i, result));
                false
            }
            Poll::Pending => true,
        });
        if finished.is_empty() {
            return if running.is_empty() {
                Poll::Ready(())
            } else {
                Poll::Pending
            };
        }
        for (i, result) in finished {
            match result {
                Ok(()) => {
                    outcomes[i] = Some(Outcome::Done);
                    for &w in &graph.waiters[i] {
                        pending[w] -= 1;
                        if pending[w] == 0 && outcomes[w].is_none() {
                            ready.push(Ready::new(&rank, w));
                        }
                    }
                }
                Err(e) => {
                    outcomes[i] = Some(Outcome::Failed(e));
                    graph.block_after(i, &mut outcomes);
                }
            }
        }
    })
    .await;
    // What never started waits, through a cycle, for a job that never ran.
    outcomes
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            o.unwrap_or_else(|| Outcome::Blocked(graph.deps[i].first().copied().unwrap_or(i)))
        })
        .collect()
}

/// The jobs' dependencies, cleaned (in range, not itself, once each), and the reverse.
struct Graph {
    deps: Vec<Vec<usize>>,
    waiters: Vec<Vec<usize>>,
}

impl Graph {
    fn new(waits: &[Vec<usize>]) -> Self {
        let n = waits.len();
        let deps: Vec<Vec<usize>> = waits
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let mut d: Vec<usize> = w.iter().copied().filter(|&d| d < n && d != i).collect();
                d.sort_unstable();
                d.dedup();
                d
            })
            .collect();
        let mut waiters = vec![Vec::new(); n];
        for (i, d) in deps.iter().enumerate() {
            for &x in d {
                waiters[x].push(i);
            }
        }
        Graph { deps, waiters }
    }

    /// Each job's cost plus the costliest chain of jobs that wait for it (a missing cost
    /// counts as 0). With a cycle, just the costs.
    fn ranks(&self, cost: &[f64]) -> Vec<f64> {
        let own = |i: usize| cost.get(i).copied().unwrap_or(0.0).max(0.0);
        let mut rank: Vec<f64> = (0..self.deps.len()).map(own).collect();
        if let Ok(topo) = order(&self.deps) {
            for &i in topo.iter().rev() {
                let after = self.waiters[i].iter().map(|&w| rank[w]).fold(0.0, f64::max);
                rank[i] = own(i) + after;
            }
        }
        rank
    }

    /// Marks everything that waits, directly or not, for the failed job `failed` as blocked
    /// by the job it waits for.
    fn block_after(&self, failed: usize, outcomes: &mut [Option<Outcome>]) {
        let mut stack = vec![failed];
        while let Some(d) = stack.pop() {
            for &w in &self.waiters[d] {
                if outcomes[w].is_none() {
                    outcomes[w] = Some(Outcome::Blocked(d));
                    stack.push(w);
                }
            }
        }
    }
}

/// A job that may start, ordered by rank, then by lower index.
struct Ready {
    rank: f64,
    index: usize,
}

impl Ready {
    fn new(rank: &[f64], index: usize) -> Self {
        Ready {
            rank: rank[index],
            index,
        }
    }
}

impl PartialEq for Ready {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ready {}

impl PartialOrd for Ready {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ready {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank
            .total_cmp(&other.rank)
            .then_with(|| other.index.cmp(&self.index))
    }
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

    fn failure() -> AwsError {
        AwsError::NotUpdatable {
            key: Key::new(kops6_model::Kind::Vpc, "v"),
            field: "cidr".into(),
        }
    }

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
        let outcomes = run(&waits, 2, &[], |i| {
            let log = &log;
            async move {
                tokio::task::yield_now().await;
                log.lock().unwrap().push(i);
                if i == 3 {
                    Err(failure())
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

    /// Runs `waits` with `limit` and `cost`, each job yielding once; returns the start order.
    async fn start_order(waits: &[Vec<usize>], limit: usize, cost: &[f64]) -> Vec<usize> {
        let log = Mutex::new(Vec::new());
        let outcomes = run(waits, limit, cost, |i| {
            let log = &log;
            async move {
                log.lock().unwrap().push(i);
                tokio::task::yield_now().await;
                Ok(())
            }
        })
        .await;
        assert!(outcomes.iter().all(|o| matches!(o, Outcome::Done)));
        log.into_inner().unwrap()
    }

    #[tokio::test]
    async fn the_longest_path_to_the_end_starts_first() {
        // 0 is quick and alone; 1 is quick but 2 (slow) waits for it.
        let waits = vec![vec![], vec![], vec![1]];
        assert_eq!(start_order(&waits, 1, &[1.0, 1.0, 10.0]).await, [1, 2, 0]);
        // Without costs every job counts 0: index order.
        assert_eq!(start_order(&waits, 1, &[]).await, [0, 1, 2]);
    }

    #[tokio::test]
    async fn equal_ranks_start_in_index_order_and_the_limit_holds() {
        let waits = vec![vec![]; 6];
        assert_eq!(start_order(&waits, 1, &[1.0; 6]).await, [0, 1, 2, 3, 4, 5]);
        let (now, max) = (Mutex::new(0usize), Mutex::new(0usize));
        run(&waits, 2, &[], |_| {
            let (now, max) = (&now, &max);
            async move {
                let n = {
                    let mut n = now.lock().unwrap();
                    *n += 1;
                    *n
                };
                {
                    let mut m = max.lock().unwrap();
                    *m = (*m).max(n);
                }
                tokio::task::yield_now().await;
                *now.lock().unwrap() -= 1;
                Ok(())
            }
        })
        .await;
        assert_eq!(*max.lock().unwrap(), 2);
    }

    #[tokio::test]
    async fn a_rank_counts_the_costliest_chain_after_the_job() {
        // 0 <- 1 <- 2 (cost 5 each) and 0 <- 3 (cost 20): rank(0) = 1 + max(10, 20).
        let waits = vec![vec![], vec![0], vec![1], vec![0], vec![]];
        let g = Graph::new(&waits);
        assert_eq!(
            g.ranks(&[1.0, 5.0, 5.0, 20.0, 2.0]),
            [21.0, 10.0, 5.0, 20.0, 2.0]
        );
        // One at a time: 0 (rank 21) first, then 3 (rank 20) before 1 (rank 10), 4 last.
        let order = start_order(&waits, 1, &[1.0, 5.0, 5.0, 20.0, 2.0]).await;
        assert_eq!(order, [0, 3, 1, 2, 4]);
    }

    #[tokio::test]
    async fn jobs_in_a_cycle_are_blocked_and_run_returns() {
        // 1 and 2 wait for each other; 3 waits for 2; 0 is free; self and out-of-range
        // references are ignored.
        let waits = vec![vec![0, 9], vec![2], vec![1], vec![2]];
        let outcomes = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            run(&waits, 4, &[], |_| async { Ok(()) }),
        )
        .await
        .expect("run returns although jobs wait in a cycle");
        assert!(matches!(outcomes[0], Outcome::Done));
        assert!(matches!(outcomes[1], Outcome::Blocked(2)));
        assert!(matches!(outcomes[2], Outcome::Blocked(1)));
        assert!(matches!(outcomes[3], Outcome::Blocked(2)));
    }

    #[tokio::test]
    async fn a_failure_blocks_everything_after_it_by_its_direct_dependency() {
        // 0 fails; 1 waits for 0, 2 for 1, 3 for 2 and 4; 4 succeeds.
        let waits = vec![vec![], vec![0], vec![1], vec![2, 4], vec![]];
        let outcomes = run(&waits, 8, &[], |i| async move {
            if i == 0 {
                Err(failure())
            } else {
                Ok(())
            }
        })
        .await;
        assert!(matches!(outcomes[0], Outcome::Failed(_)));
        assert!(matches!(outcomes[1], Outcome::Blocked(0)));
        assert!(matches!(outcomes[2], Outcome::Blocked(1)));
        assert!(matches!(outcomes[3], Outcome::Blocked(2)));
        assert!(matches!(outcomes[4], Outcome::Done));
    }
}
