//! Applying what direct apply handles of the 2-zone private IPv6 cluster (`create cluster
//! --ipv6 --zones us-east-1a,us-east-1b --dns-zone example.com`, with its SSH key: network,
//! security groups, IAM, key pair, etcd volume, API load balancer, DNS records) to moto on
//! loopback, through the counting proxy, a fresh moto for every run:
//!
//! (a) the API calls of the first apply and of the no-op second apply, total and mutating,
//!     by action, and the reads of each kind's discovery on its own;
//! (b) the wall time of the first apply with parallelism 1 and 8 (3 runs each, median), once
//!     with moto's own latency (a few milliseconds a call) and once with 20 ms added to every
//!     request by the proxy, like a round trip to a real AWS region;
//! (c) the critical path: the calls of each step (measured at parallelism 1, where steps run
//!     one at a time), the longest chain of steps through the graph's references, plus
//!     preflight and the first discovery (one read per kind, six kinds at a time); the
//!     20 ms wall time at parallelism 8 against that chain x 20 ms.
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
use kops6_aws::discover::DISCOVERY_CONCURRENCY;
use kops6_aws::kind::Discovery;
use kops6_aws::progress::{ProgressSink, Sink};
use kops6_aws::registry::{direct_part, KINDS};
use kops6_aws::{apply, ApplyOptions, ApplyReport, Aws};
use kops6_model::{build_cluster, ClusterInputs, Key, ResourceGraph, SshPublicKey};
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

/// A fresh moto with the hosted zone the cluster's records go in, behind a proxy.
fn bed(delay: Duration) -> (Moto, Proxy) {
    let moto = Moto::start();
    aws(&moto.endpoint(), &["hosted-zone", "--name", ZONE]);
    let proxy = Proxy::start_with_delay(&moto.endpoint(), 0.0, 1, delay);
    (moto, proxy)
}

/// Records, at each step's start, how many calls the proxy has seen: at parallelism 1 the
/// calls between two starts are the first step's.
struct StepCalls {
    proxy_log: Arc<Proxy>,
    starts: Mutex<Vec<(Key, usize)>>,
}

impl ProgressSink for StepCalls {
    fn start(&self, _total: usize) {}
    fn step(&self, _verb: &str, key: &Key) {
        let n = self.proxy_log.calls().len();
        self.starts.lock().expect("lock").push((key.clone(), n));
    }
    fn note(&self, _text: &str) {}
    fn finish(&self) {}
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
        let started = Instant::now();
        let report = apply(&aws, graph, &opts)
            .await
            .unwrap_or_else(|e| panic!("apply failed: {e}"));
        (report, started.elapsed())
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
        let (report, _) = run_apply(&proxy, &graph, 8);
        println!(
            "\nfirst apply: {} created, {} updated, {} deleted",
            report.created, report.updated, report.deleted
        );
        print_calls("first apply", &by_action(&proxy));
        proxy.reset();
        let (report, _) = run_apply(&proxy, &graph, 8);
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

    // (b) Wall time of the first apply, parallelism 1 against 8.
    for (label, delay) in [
        ("no added latency", Duration::ZERO),
        ("20 ms added per request", AWS_LIKE_DELAY),
    ] {
        println!("\nfirst apply, {label}, {RUNS} runs each, fresh moto per run:");
        let mut medians = BTreeMap::new();
        for parallelism in [1usize, 8] {
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
        let ratio = medians[&1].as_secs_f64() / medians[&8].as_secs_f64();
        println!("  parallelism 1 / parallelism 8: {ratio:.2}x");
        if delay == AWS_LIKE_DELAY {
            critical_path(&graph, medians[&8]);
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

/// (c): the longest chain of dependent calls, against the measured wall time.
fn critical_path(graph: &ResourceGraph, wall: Duration) {
    let (_moto, proxy) = bed(AWS_LIKE_DELAY);
    let proxy = Arc::new(proxy);
    let record = Arc::new(StepCalls {
        proxy_log: proxy.clone(),
        starts: Mutex::new(Vec::new()),
    });
    run_apply_with(&proxy, graph, 1, Some(Sink(record.clone())));
    let total = proxy.calls().len();
    let starts = record.starts.lock().expect("lock").clone();
    let before_steps = starts.first().map_or(total, |(_, n)| *n);
    let mut weight: HashMap<Key, usize> = HashMap::new();
    for (i, (key, n)) in starts.iter().enumerate() {
        let next = starts.get(i + 1).map_or(total, |(_, m)| *m);
        weight.insert(key.clone(), next - n);
    }
    // Longest chain: the graph is in dependency order, so one pass.
    let mut chain: HashMap<&Key, (usize, Vec<&Key>)> = HashMap::new();
    for r in &graph.resources {
        let w = weight.get(&r.key).copied().unwrap_or(0);
        let best = r
            .dependencies()
            .into_iter()
            .filter_map(|d| chain.get(d))
            .max_by_key(|(n, _)| *n)
            .cloned()
            .unwrap_or((0, Vec::new()));
        let mut path = best.1;
        path.push(&r.key);
        chain.insert(&r.key, (best.0 + w, path));
    }
    let (steps_calls, path) = chain
        .values()
        .max_by_key(|(n, _)| *n)
        .cloned()
        .unwrap_or((0, Vec::new()));
    // Before the steps: the preflight lookups (one call each, one after another), then the
    // discovery of a cluster that has nothing yet (one read per kind, six kinds at a time).
    let preflight = graph.lookups().len();
    let discovery_total = before_steps.saturating_sub(preflight);
    let discovery = discovery_total.div_ceil(DISCOVERY_CONCURRENCY);
    let critical = preflight + discovery + steps_calls;
    let bound = AWS_LIKE_DELAY * critical as u32;
    println!(
        "\ncritical path at 20 ms a call: {critical} calls = {preflight} preflight + {discovery} discovery \
         ({discovery_total} reads / {DISCOVERY_CONCURRENCY}) + {steps_calls} in the longest chain of {} steps:",
        path.len()
    );
    for k in &path {
        println!("  {:>3}  {k}", weight.get(*k).copied().unwrap_or(0));
    }
    println!(
        "  {:.3} s; measured at parallelism 8: {:.3} s = {:.2}x the critical path (target 1.3x)",
        bound.as_secs_f64(),
        wall.as_secs_f64(),
        wall.as_secs_f64() / bound.as_secs_f64()
    );
}
