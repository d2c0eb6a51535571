//! Applying the 2-zone private IPv6 cluster (`create cluster --ipv6 --zones
//! us-east-1a,us-east-1b`, 32 resources) to moto on loopback, through the counting proxy,
//! a fresh moto for every run:
//!
//! (a) the API calls of the first apply and of the no-op second apply, total and mutating,
//!     by action;
//! (b) the wall time of the first apply with parallelism 1 and 8 (3 runs each, median), once
//!     with moto's own latency (a few milliseconds a call) and once with 20 ms added to every
//!     request by the proxy, like a round trip to a real AWS region.
//!
//! A plain `main` (harness = false): each sample needs a fresh moto, which takes seconds to
//! start, so criterion's sampling would measure nothing but patience. Run with
//! `cargo bench -p kops6-aws --bench apply`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_aws::{apply, ApplyOptions, ApplyReport, Aws};
use kops6_model::{build_network, ResourceGraph};
use kops6_testsupport::{Moto, Proxy};

const RUNS: usize = 3;
const AWS_LIKE_DELAY: Duration = Duration::from_millis(20);

fn two_zone_graph() -> ResourceGraph {
    let new = new_cluster(&NewClusterOptions {
        name: "ipv6.example.com".into(),
        zones: vec!["us-east-1a".into(), "us-east-1b".into()],
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        ..Default::default()
    })
    .expect("valid options");
    let set = ClusterSpecSet::new(new.cluster, new.instance_groups).expect("valid set");
    let completed = set
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("the benchmark's spec is invalid:\n{e}"));
    build_network(&completed.cluster).expect("the network builds")
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
    aws_env(&proxy.endpoint());
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(async {
        let aws = Aws::connect(Some(&graph.region)).await;
        let opts = ApplyOptions {
            parallelism,
            progress: false,
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
        let moto = Moto::start();
        let proxy = Proxy::start(&moto.endpoint(), 0.0, 1);
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
                let moto = Moto::start();
                let proxy = Proxy::start_with_delay(&moto.endpoint(), 0.0, 1, delay);
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
    }
}
