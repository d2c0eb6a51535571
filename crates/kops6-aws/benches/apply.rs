//! Applying what direct apply handles of the 2-zone private IPv6 cluster (`create cluster
//! --ipv6 --zones us-east-1a,us-east-1b --dns-zone example.com`, with its SSH key: network,
//! security groups, IAM, key pair, etcd volume, API load balancer, DNS records) to moto on
//! loopback, through the counting proxy, a fresh moto for every run:
//!
//! (a) the API calls of the first apply and of the no-op second apply, total and mutating,
//!     by action, and the reads of each kind's discovery on its own;
//! (b) the wall time of the first apply with parallelism 1 and the default 16 (3 runs each,
//!     median), once
//!     with moto's own latency (a few milliseconds a call) and once with 20 ms added to every
//!     request by the proxy, like a round trip to a real AWS region;
//! (c) the lower bounds of the wall time on this bed, measured at parallelism 1 with 20 ms a
//!     call: the dependency bound (preflight beside discovery, then the longest chain of
//!     steps through the graph's references, each taking what it took) and moto's bound (the
//!     time moto spent answering: it answers one call at a time); the 20 ms wall time at
//!     default parallelism against the larger one;
//! (d) where the time of one apply at the default parallelism goes: calls in flight, moto
//!     busy, gaps, CPU time of moto, the proxy and kops6;
//! (e) the same steps replayed through kops6's scheduler with the times (c) measured, at
//!     parallelism 8, 16 and 32: the apply against a service that answers side by side.
//!
//! A plain `main` (harness = false): each sample needs a fresh moto, which takes seconds to
//! start, so criterion's sampling would measure nothing but patience. Run with
//! `cargo bench -p kops6-aws --bench apply`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::DnsType;
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_aws::kind::{Discovery, Op};
use kops6_aws::progress::{ProgressSink, Sink};
use kops6_aws::registry::{self, direct_part, KINDS};
use kops6_aws::{apply, schedule, ApplyOptions, ApplyReport, Aws, DEFAULT_PARALLELISM};
use kops6_model::{build_cluster, ClusterInputs, Key, Resource, ResourceGraph, SshPublicKey};
use kops6_testsupport::{aws, Moto, Proxy};

const ZONE: &str = "example.com";
const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIQwK1dGq1bieOaTQjNMCz/eFc1FnKZ9QnNO+j70v8Ld test@kops6";

const RUNS: usize = 3;
const AWS_LIKE_DELAY: Duration = Duration::from_millis(20);

fn two_zone_graph() -> ResourceGraph {
    let new = new_cluster(&NewClusterOptions {
        name: "ipv6.example.com".into(),
        zones: vec!["us-east-1a".into(), "us-east-1b".into()],
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        dns: Some(DnsType::Public),
        dns_zone: Some(ZONE.into()),
        ..Default::default()
    })
    .expect("valid options");
    let set = ClusterSpecSet::new(new.cluster, new.instance_groups).expect("valid set");
    let completed = set
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("the benchmark's spec is invalid:\n{e}"));
    let graph = build_cluster(
        &completed.cluster,
        &completed.instance_groups,
        &ClusterInputs {
            ssh_public_key: Some(SshPublicKey::parse(KEY).expect("a valid key")),
            ..ClusterInputs::default()
        },
    )
    .expect("the cluster builds");
    direct_part(&graph).0
}

/// A fresh moto with the hosted zone the cluster's records go in, behind a proxy. moto's
/// first-call costs, which AWS does not have, are paid first (`aws.py warm`): the EC2 region's
/// default VPC and catalogues (about 0.3 s here), each service's backend and botocore model
/// (30 to 40 ms each), the lookup built for the first error answer and the default EBS KMS key
/// (an RSA key pair); the hosted zone warms Route53.
fn bed(delay: Duration) -> (Moto, Proxy) {
    let moto = Moto::start();
    aws(&moto.endpoint(), &["warm"]);
    aws(&moto.endpoint(), &["hosted-zone", "--name", ZONE]);
    let proxy = Proxy::start_with_delay(&moto.endpoint(), 0.0, 1, delay);
    (moto, proxy)
}

/// Records when each step starts (Unix time, the proxy log's clock): at parallelism 1 the
/// calls between two starts are the first step's.
struct StepStarts {
    starts: Mutex<Vec<(Key, f64)>>,
}

impl ProgressSink for StepStarts {
    fn start(&self, _total: usize) {}
    fn step(&self, _verb: &str, key: &Key) {
        self.starts
            .lock()
            .expect("lock")
            .push((key.clone(), unix_now()));
    }
    fn note(&self, _text: &str) {}
    fn finish(&self) {}
}

/// One proxied call from the log: when it was read, when its answer was ready (20 ms of added
/// latency included), how long moto took, and its action.
struct Call {
    start: f64,
    end: f64,
    moto: f64,
    action: String,
}

fn logged_calls(proxy: &Proxy) -> Vec<Call> {
    let mut calls: Vec<Call> = proxy
        .calls()
        .iter()
        .filter_map(|c| {
            Some(Call {
                start: c["start"].as_f64()?,
                end: c["end"].as_f64()?,
                moto: c["upstream_ms"].as_f64()? / 1000.0,
                action: c["action"].as_str()?.to_string(),
            })
        })
        .collect();
    calls.sort_by(|a, b| a.start.total_cmp(&b.start));
    calls
}

/// The length of the union of intervals (seconds): time during which at least one was open.
fn covered(mut spans: Vec<(f64, f64)>) -> f64 {
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut total, mut reach) = (0.0, f64::MIN);
    for (start, end) in spans {
        if end > reach {
            total += end - start.max(reach);
            reach = end;
        }
    }
    total
}

/// Points the AWS configuration chain of this process at `endpoint`, with dummy credentials.
fn aws_env(endpoint: &str) {
    // Set while no runtime (and so no other thread) is running: each run makes its own.
    std::env::set_var("AWS_ENDPOINT_URL", endpoint);
    std::env::set_var("AWS_ACCESS_KEY_ID", "test");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    std::env::set_var("AWS_REGION", "us-east-1");
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    std::env::remove_var("AWS_PROFILE");
}

/// One `apply` against `proxy`, timed (the apply only: discovery, diff and changes).
fn run_apply(proxy: &Proxy, graph: &ResourceGraph, parallelism: usize) -> (ApplyReport, Duration) {
    run_apply_with(proxy, graph, parallelism, None)
}

fn run_apply_with(
    proxy: &Proxy,
    graph: &ResourceGraph,
    parallelism: usize,
    sink: Option<Sink>,
) -> (ApplyReport, Duration) {
    let (report, took, _) = run_apply_timed(proxy, graph, parallelism, sink);
    (report, took)
}

/// [`run_apply_with`], also giving the apply's start as Unix time (the proxy log's clock).
fn run_apply_timed(
    proxy: &Proxy,
    graph: &ResourceGraph,
    parallelism: usize,
    sink: Option<Sink>,
) -> (ApplyReport, Duration, f64) {
    aws_env(&proxy.endpoint());
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(async {
        let aws = Aws::connect(Some(&graph.region)).await;
        let opts = ApplyOptions {
            parallelism,
            progress: sink.is_some(),
            sink,
            ..ApplyOptions::default()
        };
        let unix = unix_now();
        let started = Instant::now();
        let report = apply(&aws, graph, &opts)
            .await
            .unwrap_or_else(|e| panic!("apply failed: {e}"));
        (report, started.elapsed(), unix)
    })
}

/// Calls that reached moto since the proxy's last reset, by action: (total, mutating).
fn by_action(proxy: &Proxy) -> BTreeMap<String, (usize, bool)> {
    let mutating: Vec<String> = proxy.mutating_calls();
    let mut out: BTreeMap<String, (usize, bool)> = BTreeMap::new();
    for call in proxy.calls() {
        if call["injected"] == true {
            continue;
        }
        let action = call["action"].as_str().unwrap_or("?").to_string();
        let is_mutating = mutating.contains(&action);
        out.entry(action).or_insert((0, is_mutating)).0 += 1;
    }
    out
}

fn print_calls(title: &str, calls: &BTreeMap<String, (usize, bool)>) {
    let total: usize = calls.values().map(|(n, _)| n).sum();
    let mutating: usize = calls.values().filter(|(_, m)| *m).map(|(n, _)| n).sum();
    println!("{title}: {total} API calls, {mutating} mutating");
    for (action, (n, m)) in calls {
        println!("  {n:>4}  {action}{}", if *m { "  (mutating)" } else { "" });
    }
}

fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this binary without
    // it, and a test run should not start a dozen motos.
    if !std::env::args().any(|a| a == "--bench") {
        println!("apply bench: skipped (run it with `cargo bench -p kops6-aws --bench apply`)");
        return;
    }
    let graph = two_zone_graph();
    println!(
        "kops6-aws apply bench: cluster {} ({} resources), moto on loopback",
        graph.cluster,
        graph.resources.len()
    );

    // (a) API calls of the first and the no-op apply.
    {
        let (_moto, proxy) = bed(Duration::ZERO);
        let (report, _) = run_apply(&proxy, &graph, DEFAULT_PARALLELISM);
        println!(
            "\nfirst apply: {} created, {} updated, {} deleted",
            report.created, report.updated, report.deleted
        );
        print_calls("first apply", &by_action(&proxy));
        proxy.reset();
        let (report, _) = run_apply(&proxy, &graph, DEFAULT_PARALLELISM);
        assert_eq!(
            report,
            ApplyReport::default(),
            "the second apply is a no-op"
        );
        let calls = by_action(&proxy);
        print_calls("\nno-op apply", &calls);
        assert!(
            calls.values().all(|(_, m)| !m),
            "the no-op apply made a mutating call"
        );
        println!("\nreads of each kind's discovery (the no-op apply runs them all):");
        for (kind, n) in discovery_calls(&proxy, &graph) {
            println!("  {n:>4}  {kind}");
        }
    }

    // (b) Wall time of the first apply, parallelism 1 against the default.
    for (label, delay) in [
        ("no added latency", Duration::ZERO),
        ("20 ms added per request", AWS_LIKE_DELAY),
    ] {
        println!("\nfirst apply, {label}, {RUNS} runs each, fresh moto per run:");
        let mut medians = BTreeMap::new();
        for parallelism in [1, DEFAULT_PARALLELISM] {
            let mut times = Vec::new();
            let mut requests = 0;
            for _ in 0..RUNS {
                let (_moto, proxy) = bed(delay);
                let (report, took) = run_apply(&proxy, &graph, parallelism);
                assert_eq!(report.created, graph.resources.len());
                requests = proxy.calls().len();
                times.push(took);
            }
            let m = median(times.clone());
            println!(
                "  parallelism {parallelism}: median {:.3} s (runs: {}; {requests} requests a run, {:.1} ms of wall time per request)",
                m.as_secs_f64(),
                times
                    .iter()
                    .map(|t| format!("{:.3} s", t.as_secs_f64()))
                    .collect::<Vec<_>>()
                    .join(", "),
                m.as_secs_f64() * 1000.0 / requests.max(1) as f64
            );
            medians.insert(parallelism, m);
        }
        let ratio = medians[&1].as_secs_f64() / medians[&DEFAULT_PARALLELISM].as_secs_f64();
        println!("  parallelism 1 / parallelism {DEFAULT_PARALLELISM}: {ratio:.2}x");
        if delay == AWS_LIKE_DELAY {
            let path = critical_path(&graph);
            timeline(&graph, path.dependency);
            replay(&graph, &path);
        }
    }
}

/// Each discovering kind's calls, run on its own against the cluster already applied.
fn discovery_calls(proxy: &Proxy, graph: &ResourceGraph) -> Vec<(String, usize)> {
    aws_env(&proxy.endpoint());
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(async {
        let aws = Aws::connect(Some(&graph.region)).await;
        let mut out = Vec::new();
        for k in KINDS.iter().filter(|k| k.discovery() == Discovery::Own) {
            proxy.reset();
            k.discover(&aws, &graph.cluster)
                .await
                .unwrap_or_else(|e| panic!("discovering {}: {e}", k.kind()));
            out.push((k.kind().to_string(), proxy.calls().len()));
        }
        out
    })
}

/// (c): the two lower bounds of the apply's wall time on this test bed, from one run at
/// parallelism 1 (steps one at a time, so each step's calls and time are its own) with 20 ms
/// added per call, and the default parallelism's wall time against them:
/// - the dependency bound: the time before the first step (preflight and discovery, which run
///   side by side and take the same at any parallelism), plus the longest chain of steps
///   through the graph's references, each step taking what it took at parallelism 1;
/// - moto's bound: moto answers one call at a time (a Python process: its calls take the
///   interpreter's lock), so no schedule beats the time moto spent answering.
///
/// AWS answers calls side by side; there the dependency bound is the only one.
fn critical_path(graph: &ResourceGraph) -> CriticalPath {
    let (_moto, proxy) = bed(AWS_LIKE_DELAY);
    let record = Arc::new(StepStarts {
        starts: Mutex::new(Vec::new()),
    });
    let (_, took, t0) = run_apply_timed(&proxy, graph, 1, Some(Sink(record.clone())));
    let t1 = t0 + took.as_secs_f64();
    let calls = logged_calls(&proxy);
    let starts = record.starts.lock().expect("lock").clone();
    let first_step = starts.first().map_or(t1, |(_, t)| *t);
    // Each step: (calls, seconds) from its start to the next one's.
    let mut weight: HashMap<Key, (usize, f64)> = HashMap::new();
    for (i, (key, start)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(t1, |(_, t)| *t);
        let n = calls
            .iter()
            .filter(|c| c.start >= *start && c.start < end)
            .count();
        weight.insert(key.clone(), (n, end - start));
    }
    // Longest chain by time: the graph is in dependency order, so one pass.
    let mut chain: HashMap<&Key, (f64, usize, Vec<&Key>)> = HashMap::new();
    for r in &graph.resources {
        let (n, secs) = weight.get(&r.key).copied().unwrap_or((0, 0.0));
        let best = r
            .dependencies()
            .into_iter()
            .filter_map(|d| chain.get(d))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .cloned()
            .unwrap_or((0.0, 0, Vec::new()));
        let mut path = best.2;
        path.push(&r.key);
        chain.insert(&r.key, (best.0 + secs, best.1 + n, path));
    }
    let (chain_secs, chain_calls, path) = chain
        .values()
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .cloned()
        .unwrap_or((0.0, 0, Vec::new()));
    let before = first_step - t0;
    let before_calls = calls.iter().filter(|c| c.start < first_step).count();
    let dependency = before + chain_secs;
    let pure = AWS_LIKE_DELAY.as_secs_f64() * (before_calls.min(1) + chain_calls) as f64;
    println!(
        "\ncritical path, measured at parallelism 1 with 20 ms a call ({} calls, {:.3} s):",
        calls.len(),
        took.as_secs_f64()
    );
    println!(
        "  before the first step (preflight beside discovery): {before_calls} calls, {before:.3} s"
    );
    println!(
        "  longest chain of steps: {} steps, {chain_calls} calls, {chain_secs:.3} s:",
        path.len()
    );
    for k in &path {
        let (n, secs) = weight.get(*k).copied().unwrap_or((0, 0.0));
        println!("    {n:>3} calls {:>6.1} ms  {k}", secs * 1000.0);
    }
    println!("  dependency bound: {dependency:.3} s");
    println!(
        "  (one call before the steps and the chain's calls, at 20 ms each and nothing else: \
         {pure:.3} s, the bound on a service that answers at once)"
    );
    print_moto_time(&calls);
    CriticalPath {
        dependency,
        before,
        step_secs: weight.into_iter().map(|(k, (_, secs))| (k, secs)).collect(),
    }
}

/// What (c) measured at parallelism 1: the dependency bound, the time before the first step,
/// and how long each step took.
struct CriticalPath {
    dependency: f64,
    before: f64,
    step_secs: HashMap<Key, f64>,
}

/// (e): the same steps through kops6's own scheduler (`schedule::run`, at 8, 16 and 32, the
/// waits `apply` gives it), each sleeping as long as it took at parallelism 1, after the
/// time before the first step. This is the apply against a service that answers calls side by
/// side as fast as moto answers one: what is left over the dependency bound is the
/// scheduler's (and the parallelism limit's), not moto's.
fn replay(graph: &ResourceGraph, path: &CriticalPath) {
    let resources: Vec<&Resource> = graph.resources.iter().collect();
    let waits = schedule::reference_waits(&resources);
    let secs: Vec<f64> = graph
        .resources
        .iter()
        .map(|r| path.step_secs.get(&r.key).copied().unwrap_or(0.0))
        .collect();
    // What apply gives the scheduler for a first apply: every step a create.
    let costs: Vec<f64> = graph
        .resources
        .iter()
        .map(|r| registry::typical_secs(r.key.kind, Op::Create))
        .collect();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    println!("\nthe same steps through kops6's scheduler, each as long as at parallelism 1:");
    for parallelism in [8, 16, 32] {
        let took = runtime.block_on(async {
            let t = Instant::now();
            tokio::time::sleep(Duration::from_secs_f64(path.before)).await;
            let outcomes = schedule::run(&waits, parallelism, &costs, |i| {
                let d = Duration::from_secs_f64(secs[i]);
                async move {
                    tokio::time::sleep(d).await;
                    Ok(())
                }
            })
            .await;
            assert!(outcomes
                .iter()
                .all(|o| matches!(o, schedule::Outcome::Done)));
            t.elapsed().as_secs_f64()
        });
        // No schedule at this parallelism beats the steps' total time shared out evenly.
        let shared = path.before + secs.iter().sum::<f64>() / parallelism as f64;
        println!(
            "  parallelism {parallelism:>2}: {took:.3} s, {:.2}x the dependency bound {:.3} s (target 1.3x); \
             the steps' time shared by {parallelism}: {shared:.3} s",
            took / path.dependency,
            path.dependency
        );
    }
}

/// Where moto's own time goes at parallelism 1 (one call at a time, so nothing waits for the
/// interpreter): the total and the actions that cost the most.
fn print_moto_time(calls: &[Call]) {
    let mut by_action: HashMap<&str, (usize, f64)> = HashMap::new();
    for c in calls {
        let e = by_action.entry(c.action.as_str()).or_default();
        e.0 += 1;
        e.1 += c.moto;
    }
    let mut top: Vec<_> = by_action.into_iter().collect();
    top.sort_by(|a, b| b.1 .1.total_cmp(&a.1 .1));
    let total: f64 = calls.iter().map(|c| c.moto).sum();
    println!(
        "  moto's own time at parallelism 1: {total:.3} s, {:.1} ms a call; the costliest actions:",
        1000.0 * total / calls.len().max(1) as f64
    );
    for (action, (n, secs)) in top.iter().take(6) {
        println!("    {:>6.1} ms  {n:>3} x {action}", secs * 1000.0);
    }
}

/// CPU seconds a process has used (user + system, all threads), from /proc.
fn cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) in parentheses: utime and stime
    // are the 12th and 13th of them, in clock ticks (100 a second on Linux).
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// (d): one apply at the default parallelism with 20 ms a call, against the larger of the two
/// bounds: the dependency bound from (c), and moto's CPU time during this very apply (moto answers
/// one call at a time, so no schedule can take less; CPU time, unlike the time moto spent
/// answering, does not grow when other processes share the cores). Also where the time goes,
/// from the proxy's log: time with no call in flight, calls in flight on average.
fn timeline(graph: &ResourceGraph, dependency: f64) {
    let (moto, proxy) = bed(AWS_LIKE_DELAY);
    let pids = [
        moto.pid().to_string(),
        proxy.pid().to_string(),
        "self".to_string(),
    ];
    let before = pids.clone().map(|p| cpu_seconds(&p));
    let (_, took, t0) = run_apply_timed(&proxy, graph, DEFAULT_PARALLELISM, None);
    let used = |i: usize| cpu_seconds(&pids[i]) - before[i];
    let (moto_cpu, proxy_cpu, ours_cpu) = (used(0), used(1), used(2));
    let wall = took.as_secs_f64();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t1 = t0 + wall;
    let calls = logged_calls(&proxy);
    let busy = covered(calls.iter().map(|c| (c.start, c.end)).collect());
    let moto_busy = covered(calls.iter().map(|c| (c.end - c.moto, c.end)).collect());
    let in_flight: f64 = calls.iter().map(|c| c.end - c.start).sum();
    let bound = dependency.max(moto_cpu);
    println!(
        "\none apply at parallelism {DEFAULT_PARALLELISM}, 20 ms a call ({} calls): {wall:.3} s",
        calls.len()
    );
    println!(
        "  moto's CPU time {moto_cpu:.2} s, the dependency bound {dependency:.3} s: \
         {:.2}x the larger (target 1.3x)",
        wall / bound
    );
    println!(
        "  kops6's own CPU time (this process): {ours_cpu:.2} s; the proxy's: {proxy_cpu:.2} s; \
         the three together {:.2} s of the {:.2} s of CPU that {cores} cores give in that time",
        moto_cpu + proxy_cpu + ours_cpu,
        wall * cores as f64,
    );
    println!(
        "  some call in flight {busy:.3} s, none {:.3} s; {:.1} calls in flight on average while any is; \
         moto answering some call {:.0} % of the time",
        wall - busy,
        in_flight / busy.max(1e-9),
        100.0 * moto_busy / wall
    );
    let mut idle = Vec::new();
    let (mut reach, mut last) = (t0, "(start)");
    for c in &calls {
        if c.start > reach {
            idle.push((c.start - reach, last, c.action.as_str()));
        }
        if c.end > reach {
            reach = c.end;
            last = c.action.as_str();
        }
    }
    if t1 > reach {
        idle.push((t1 - reach, last, "(end)"));
    }
    idle.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("  longest stretches with no call in flight:");
    for (gap, before, after) in idle.iter().take(5) {
        println!(
            "    {:>7.1} ms  after {before}, before {after}",
            gap * 1000.0
        );
    }
}
