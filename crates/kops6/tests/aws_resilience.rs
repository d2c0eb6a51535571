//! `update cluster --yes` when things go wrong, against moto on loopback through the counting,
//! fault-injecting proxy (each test with its own moto):
//!
//! - killed with SIGKILL at several points of an apply (after the k-th progress line, and
//!   between two calls that belong together, such as CreateInternetGateway and
//!   AttachInternetGateway), then run again: the network is what SPEC 6 says, with no
//!   duplicate and no untagged resource, and a third run changes nothing;
//! - with a quarter of all requests answered with throttling or 5xx: apply converges, the
//!   no-op apply makes no mutating call, and delete leaves nothing owned;
//! - with nothing answering (moto stopped behind the proxy, or a closed port): update fails
//!   within a bound, with a message that names the endpoint.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{create_ipv6, Bed, LEAVE_OUT};
use kops6_testsupport::network::*;
use serde_json::Value;

const ZONES: &str = "us-east-1a,us-east-1b";
/// How long a killed-and-watched run may take to reach the point where it is killed.
const WATCH_LIMIT: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------------------------------------
// A kops6 run that the test watches and kills.
// ---------------------------------------------------------------------------------------------

/// `kops6 update cluster C --yes`, spawned, with its stderr lines arriving on a channel.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(bed: &Bed) -> Running {
        let mut child = bed
            .std_command()
            .args(["update", "cluster", C, "--yes", LEAVE_OUT])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kops6 starts");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a stderr line that satisfies `want`; panics if kops6 ends first.
    fn wait_for_line(&mut self, what: &str, want: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + WATCH_LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let hit = want(&line);
                    self.seen.push(line);
                    if hit {
                        return;
                    }
                }
                Err(e) => {
                    let status = self.child.try_wait().ok().flatten();
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    panic!(
                        "no stderr line {what} ({e}; kops6 exit status {status:?}); it printed:\n{}",
                        self.seen.join("\n")
                    );
                }
            }
        }
    }

    /// Polls the proxy's call log until `want` holds for it; panics if kops6 ends first.
    fn wait_for_calls(&mut self, bed: &Bed, what: &str, want: impl Fn(&[Value]) -> bool) {
        let deadline = Instant::now() + WATCH_LIMIT;
        loop {
            if want(&bed.proxy.calls()) {
                return;
            }
            while let Ok(line) = self.lines.try_recv() {
                self.seen.push(line);
            }
            let ended = self.child.try_wait().ok().flatten();
            if ended.is_some() || Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "the proxy never saw {what} (kops6 exit status {ended:?}); it printed:\n{}",
                    self.seen.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// SIGKILL (what `Child::kill` sends on Unix); returns what kops6 printed until then.
    fn kill(mut self) -> Vec<String> {
        let ended = self.child.try_wait().ok().flatten();
        assert!(
            ended.is_none(),
            "kops6 ended ({ended:?}) before it could be killed; it printed:\n{}",
            self.seen.join("\n")
        );
        self.child.kill().expect("SIGKILL");
        let status = self.child.wait().expect("reaped");
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(9),
            "kops6 died of SIGKILL"
        );
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(line);
        }
        self.seen
    }
}

/// The k-th progress line: `[k/N] creating Kind/name` (or updating).
fn progress_line(k: usize) -> impl Fn(&str) -> bool {
    let prefix = format!("[{k}/");
    move |line: &str| line.starts_with(&prefix)
}

fn saw(calls: &[Value], action: &str, injected: bool) -> bool {
    calls.iter().any(|c| {
        c["action"] == action
            && c["injected"] == injected
            && (injected || c["status"].as_u64().is_some_and(|s| s < 300))
    })
}

// ---------------------------------------------------------------------------------------------
// What is left in the account.
// ---------------------------------------------------------------------------------------------

/// `(field of aws.py everything, ID field)` per kind.
const KINDS: [(&str, &str); 8] = [
    ("vpcs", "VpcId"),
    ("subnets", "SubnetId"),
    ("routeTables", "RouteTableId"),
    ("internetGateways", "InternetGatewayId"),
    ("egressOnlyInternetGateways", "EgressOnlyInternetGatewayId"),
    ("natGateways", "NatGatewayId"),
    ("elasticIps", "AllocationId"),
    ("dhcpOptions", "DhcpOptionsId"),
];

fn tags_of(item: &Value) -> BTreeMap<String, String> {
    item["Tags"]
        .as_array()
        .map(|tags| {
            tags.iter()
                .map(|t| {
                    (
                        t["Key"].as_str().unwrap_or_default().to_string(),
                        t["Value"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn ids_of(all: &Value, kind: &str, id_field: &str) -> BTreeSet<String> {
    all[kind]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|i| i[id_field].as_str().map(str::to_string))
        .collect()
}

/// The resources of `kind` that were not there at `baseline` (moto's default VPC and its
/// subnets and main route table are).
fn new_items<'a>(all: &'a Value, baseline: &Value, kind: &str, id_field: &str) -> Vec<&'a Value> {
    let before = ids_of(baseline, kind, id_field);
    all[kind]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|i| i[id_field].as_str().is_some_and(|id| !before.contains(id)))
        .collect()
}

fn names(items: &[&Value]) -> Vec<String> {
    let mut n: Vec<String> = items
        .iter()
        .map(|i| {
            tags_of(i)
                .get("Name")
                .cloned()
                .unwrap_or_else(|| "(no Name)".into())
        })
        .collect();
    n.sort();
    n
}

fn c(name: &str) -> String {
    format!("{name}.{C}")
}

/// The account holds the 2-zone private cluster exactly once: one VPC, one resource per
/// logical name, one NAT gateway per zone, and everything made since `baseline` carries the
/// cluster's `owned` tag but for the VPC's main route table, which AWS makes and kops6 never
/// touches.
fn assert_no_duplicate_or_untagged(bed: &Bed, baseline: &Value) {
    let all = bed.aws(&["everything"]);
    let owned_key = format!("kubernetes.io/cluster/{C}");
    let vpcs: Vec<&Value> = all["vpcs"]
        .as_array()
        .expect("vpcs")
        .iter()
        .filter(|v| tags_of(v).get("Name").map(String::as_str) == Some(C))
        .collect();
    assert_eq!(vpcs.len(), 1, "exactly one VPC named {C}: {vpcs:#?}");
    let vpc = vpcs[0]["VpcId"].as_str().expect("VPC ID");

    for (kind, id_field) in KINDS {
        for item in new_items(&all, baseline, kind, id_field) {
            let main_table = kind == "routeTables"
                && item["VpcId"] == vpc
                && item["Associations"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|a| a["Main"] == true));
            if main_table {
                continue;
            }
            assert_eq!(
                tags_of(item).get(&owned_key).map(String::as_str),
                Some("owned"),
                "an untagged {kind} was left behind: {item:#}"
            );
        }
    }

    let in_vpc = |kind: &str, id_field: &str| -> Vec<&Value> {
        new_items(&all, baseline, kind, id_field)
            .into_iter()
            .filter(|i| i["VpcId"] == vpc)
            .collect()
    };
    let mut want_subnets: Vec<String> = [
        "us-east-1a",
        "us-east-1b",
        "dualstack-us-east-1a",
        "dualstack-us-east-1b",
        "utility-us-east-1a",
        "utility-us-east-1b",
    ]
    .iter()
    .map(|n| c(n))
    .collect();
    want_subnets.sort();
    assert_eq!(names(&in_vpc("subnets", "SubnetId")), want_subnets);

    let tables: Vec<&Value> = in_vpc("routeTables", "RouteTableId")
        .into_iter()
        .filter(|t| tags_of(t).contains_key("Name"))
        .collect();
    assert_eq!(
        names(&tables),
        vec![
            C.to_string(),
            c("private-us-east-1a"),
            c("private-us-east-1b")
        ]
    );
    assert_eq!(
        in_vpc("routeTables", "RouteTableId").len(),
        4,
        "three route tables and the VPC's main one"
    );

    let nats = in_vpc("natGateways", "NatGatewayId");
    assert_eq!(
        names(&nats),
        vec![c("us-east-1a"), c("us-east-1b")],
        "one NAT gateway per zone"
    );
    let eips = new_items(&all, baseline, "elasticIps", "AllocationId");
    assert_eq!(names(&eips), vec![c("us-east-1a"), c("us-east-1b")]);

    let igws = new_items(&all, baseline, "internetGateways", "InternetGatewayId");
    assert_eq!(names(&igws), vec![C.to_string()], "one internet gateway");
    assert!(
        igws[0]["Attachments"]
            .as_array()
            .is_some_and(|a| a.iter().any(|a| a["VpcId"] == vpc)),
        "the internet gateway is attached to the VPC: {:#}",
        igws[0]
    );
    let eigws = new_items(
        &all,
        baseline,
        "egressOnlyInternetGateways",
        "EgressOnlyInternetGatewayId",
    );
    assert_eq!(
        names(&eigws),
        vec![C.to_string()],
        "one egress-only internet gateway"
    );
    let dhcp = new_items(&all, baseline, "dhcpOptions", "DhcpOptionsId");
    assert_eq!(names(&dhcp), vec![C.to_string()], "one set of DHCP options");
    assert_eq!(vpcs[0]["DhcpOptionsId"], dhcp[0]["DhcpOptionsId"]);
}

/// What the next `update` would do, as `update cluster C -o json` prints it.
fn plan(bed: &Bed) -> Vec<Value> {
    let out = bed.kops6(&["update", "cluster", C, "-o", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let changes = v["changes"].as_array().expect("changes").clone();
    let summary: Vec<String> = changes
        .iter()
        .map(|c| {
            let fields: Vec<&String> = c["attributes"]
                .as_object()
                .map(|a| a.keys().collect())
                .unwrap_or_default();
            match c["action"].as_str() {
                Some("update") => format!("update {}/{} {fields:?}", c["kind"], c["name"]),
                a => format!("{} {}/{}", a.unwrap_or("?"), c["kind"], c["name"]),
            }
        })
        .collect();
    eprintln!(
        "left to do ({}):\n  {}",
        changes.len(),
        summary.join("\n  ")
    );
    changes
}

fn planned<'a>(plan: &'a [Value], action: &str, kind: &str) -> Vec<&'a Value> {
    plan.iter()
        .filter(|c| c["action"] == action && c["kind"] == kind)
        .collect()
}

/// An interrupted run leaves nothing that needs replacing or removing (a duplicate would be
/// planned as a delete): only creates and in-place updates are left to do.
fn assert_only_creates_and_updates(plan: &[Value]) {
    for c in plan {
        assert!(
            c["action"] == "create" || c["action"] == "update",
            "unexpected change after an interrupted run: {c:#}\nplan: {plan:#?}"
        );
    }
}

/// After an interrupted run: the next `update --yes` completes, the network is what SPEC 6
/// says without duplicates or untagged resources, and a third run changes nothing.
fn assert_recovers(bed: &Bed, baseline: &Value, printed: &[String]) {
    let net = bed.apply(None);
    let context = printed.join("\n");
    let checks = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        expect_two_zone_private(&net);
        assert_no_duplicate_or_untagged(bed, baseline);
    }));
    if let Err(e) = checks {
        eprintln!("the interrupted run had printed:\n{context}");
        std::panic::resume_unwind(e);
    }
    bed.assert_second_apply_is_a_no_op();
}

// ---------------------------------------------------------------------------------------------
// 1. SIGKILL at several points.
// ---------------------------------------------------------------------------------------------

/// How many creates the first part of a first apply makes: the whole cluster, less the launch
/// templates and autoscaling groups (they wait for the API load balancer's DNS name) and
/// whatever direct apply leaves out.
fn first_part_creates(bed: &Bed) -> usize {
    let out = bed.kops6(&["update", "cluster", C, "--offline", "-o", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let applied = |kind: &str| {
        kops6_aws::registry::KINDS
            .iter()
            .any(|k| k.kind().to_string() == kind)
    };
    v["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| {
            let kind = c["kind"].as_str().unwrap_or_default();
            !["LaunchTemplate", "AutoscalingGroup"].contains(&kind) && applied(kind)
        })
        .count()
}

/// Kills the first apply right after its k-th progress line, then recovers. The
/// proxy adds 20 ms to every request, as a round trip to AWS would, so the run is still
/// going when the kill lands even for a late line.
fn killed_after_progress_line(k: usize) {
    let bed = Bed::with_latency(Duration::from_millis(20));
    let baseline = bed.aws(&["everything"]);
    create_ipv6(&bed, ZONES, &[]);
    let creates = first_part_creates(&bed);
    let mut run = Running::start(&bed);
    run.wait_for_line(&format!("[{k}/...]"), progress_line(k));
    let printed = run.kill();
    assert!(
        printed
            .iter()
            .any(|l| l.ends_with(&format!("/{creates}] creating Vpc/{C}"))),
        "the first run plans {creates} creates: {printed:#?}"
    );
    let left = plan(&bed);
    assert_only_creates_and_updates(&left);
    if k >= 5 {
        // Line 5 comes after the VPC is made (only the DHCP options and Elastic IPs do not
        // wait for it), so the first run changed something that the second must adopt.
        // `creates` counts the first part only; the plan also holds the instance kinds.
        let first_part_left = left
            .iter()
            .filter(|c| c["action"] == "create")
            .filter(|c| {
                !["LaunchTemplate", "AutoscalingGroup"]
                    .contains(&c["kind"].as_str().unwrap_or_default())
            })
            .count();
        assert!(first_part_left < creates, "{left:#?}");
        assert!(planned(&left, "create", "Vpc").is_empty(), "{left:#?}");
    }
    assert_recovers(&bed, &baseline, &printed);
}

#[test]
fn killed_after_progress_line_1_then_rerun_converges() {
    killed_after_progress_line(1);
}

#[test]
fn killed_after_progress_line_5_then_rerun_converges() {
    killed_after_progress_line(5);
}

#[test]
fn killed_after_progress_line_12_then_rerun_converges() {
    killed_after_progress_line(12);
}

#[test]
fn killed_after_progress_line_20_then_rerun_converges() {
    killed_after_progress_line(20);
}

#[test]
fn killed_after_progress_line_28_then_rerun_converges() {
    killed_after_progress_line(28);
}

#[test]
fn killed_while_waiting_for_a_nat_gateway_then_rerun_converges() {
    let bed = Bed::new();
    let baseline = bed.aws(&["everything"]);
    create_ipv6(&bed, ZONES, &[]);
    let mut run = Running::start(&bed);
    run.wait_for_line("waiting for a NAT gateway", |l| {
        l.contains("waiting for NatGateway/")
    });
    let printed = run.kill();
    let left = plan(&bed);
    assert_only_creates_and_updates(&left);
    assert!(
        planned(&left, "create", "NatGateway").len() < 2,
        "a NAT gateway was made before the kill: {left:#?}"
    );
    assert_recovers(&bed, &baseline, &printed);
}

/// Kills the first apply when `first` has succeeded and `second`, which belongs with it, is
/// being refused (the proxy fails every `second` until the kill, so the kill lands between
/// the two for certain), then recovers: the next run must finish the job as an update of
/// `field` of a `kind`.
fn killed_between(first: &str, second: &str, kind: &str, field: &str) {
    let bed = Bed::new();
    let baseline = bed.aws(&["everything"]);
    create_ipv6(&bed, ZONES, &[]);
    bed.proxy.set_faults(1.0, &[second]);
    let mut run = Running::start(&bed);
    run.wait_for_calls(&bed, &format!("{first}, then {second}"), |calls| {
        saw(calls, first, false) && saw(calls, second, true)
    });
    let printed = run.kill();
    bed.proxy.set_faults(0.0, &[]);
    assert!(
        !saw(&bed.proxy.calls(), second, false),
        "{second} never reached moto before the kill"
    );
    // The next run sees what the first left half done and plans to finish it in place.
    let left = plan(&bed);
    assert_only_creates_and_updates(&left);
    let updates = planned(&left, "update", kind);
    assert!(
        updates.iter().any(|u| u["attributes"].get(field).is_some()),
        "an update of {field} of a {kind} is planned: {left:#?}"
    );
    assert_recovers(&bed, &baseline, &printed);
}

#[test]
fn killed_between_create_vpc_and_its_dns_settings_then_rerun_converges() {
    killed_between(
        "CreateVpc",
        "ModifyVpcAttribute",
        "Vpc",
        "enableDnsHostnames",
    );
}

#[test]
fn killed_between_create_dhcp_options_and_association_then_rerun_converges() {
    killed_between(
        "CreateDhcpOptions",
        "AssociateDhcpOptions",
        "VpcDhcpOptionsAssociation",
        "dhcpOptions",
    );
}

#[test]
fn killed_between_create_and_attach_internet_gateway_then_rerun_converges() {
    killed_between(
        "CreateInternetGateway",
        "AttachInternetGateway",
        "InternetGateway",
        "attachment",
    );
}

#[test]
fn killed_between_create_subnet_and_its_attributes_then_rerun_converges() {
    killed_between(
        "CreateSubnet",
        "ModifySubnetAttribute",
        "Subnet",
        // Every subnet of the cluster has AAAA records on, and a new subnet has them off.
        "enableResourceNameDnsAAAARecord",
    );
}

#[test]
fn killed_between_create_route_table_and_its_routes_then_rerun_converges() {
    let bed = Bed::new();
    let baseline = bed.aws(&["everything"]);
    create_ipv6(&bed, ZONES, &[]);
    bed.proxy.set_faults(1.0, &["CreateRoute"]);
    let mut run = Running::start(&bed);
    run.wait_for_calls(&bed, "CreateRouteTable, then CreateRoute", |calls| {
        saw(calls, "CreateRouteTable", false) && saw(calls, "CreateRoute", true)
    });
    let printed = run.kill();
    bed.proxy.set_faults(0.0, &[]);
    let left = plan(&bed);
    assert_only_creates_and_updates(&left);
    assert!(
        planned(&left, "create", "RouteTable").len() < 3,
        "a route table was made before the kill: {left:#?}"
    );
    assert!(!planned(&left, "create", "Route").is_empty(), "{left:#?}");
    assert_recovers(&bed, &baseline, &printed);
}

// ---------------------------------------------------------------------------------------------
// 2. Throttling and 5xx.
// ---------------------------------------------------------------------------------------------

#[test]
fn apply_and_delete_converge_when_a_quarter_of_requests_fail() {
    let bed = Bed::with_faults(0.25, 7);
    create_ipv6(&bed, ZONES, &[]);
    let net = bed.apply(None);
    expect_two_zone_private(&net);
    let stats = bed.proxy.stats();
    assert!(
        stats["injected"].as_u64() > Some(0),
        "the proxy failed no request, so nothing was tested: {stats}"
    );
    eprintln!("first apply under faults: {stats}");

    // The no-op apply under the same faults: no change reached moto, "No changes" printed.
    bed.assert_second_apply_is_a_no_op();
    let stats = bed.proxy.stats();
    assert!(stats["injected"].as_u64() > Some(0), "{stats}");

    bed.proxy.reset();
    let done = bed.kops6(&["delete", "cluster", C, "--yes"]);
    assert!(done.contains("Deleted cluster"), "{done}");
    let stats = bed.proxy.stats();
    assert!(stats["injected"].as_u64() > Some(0), "{stats}");
    eprintln!("delete under faults: {stats}");
    bed.assert_nothing_owned();
}

#[test]
fn apply_converges_under_faults_with_other_seeds() {
    for seed in [1, 2, 3] {
        let bed = Bed::with_faults(0.25, seed);
        create_ipv6(&bed, ZONES, &[]);
        let net = bed.apply(None);
        expect_two_zone_private(&net);
        assert!(bed.proxy.stats()["injected"].as_u64() > Some(0));
        let out = bed.kops6(&["update", "cluster", C, "--yes", LEAVE_OUT]);
        assert!(out.contains("No changes"), "seed {seed}: {out}");
        bed.kops6(&["delete", "cluster", C, "--yes"]);
        bed.assert_nothing_owned();
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Nothing answering.
// ---------------------------------------------------------------------------------------------

/// A run bound: not a performance assert, a guard against hanging.
const FAIL_BOUND: Duration = Duration::from_secs(150);

/// Runs kops6 with `args` against `endpoint`; it must fail within [`FAIL_BOUND`], saying it
/// cannot reach the endpoint, without a panic or the SDK's debug output. Returns stderr.
fn fails_to_reach(bed: &Bed, endpoint: &str, args: &[&str]) -> String {
    let started = Instant::now();
    let mut child = bed
        .std_command_with_endpoint(endpoint)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kops6 starts");
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > FAIL_BOUND {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kops6 {args:?} against {endpoint} still runs after {FAIL_BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let elapsed = started.elapsed();
    let out = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!("kops6 {args:?} against {endpoint}: {elapsed:?}\n{stderr}");
    assert!(!status.success(), "kops6 {args:?} must fail:\n{stdout}");
    assert_eq!(
        status.code(),
        Some(1),
        "an error exit, not a crash: {stderr}"
    );
    assert!(
        stderr.contains(&format!("cannot reach {endpoint}")),
        "the message names the endpoint:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    for noise in [
        "DispatchFailure",
        "ConnectorError",
        "SdkError",
        "Unhandled",
        "{ ",
    ] {
        assert!(
            !stderr.contains(noise),
            "no SDK debug output ({noise}):\n{stderr}"
        );
    }
    assert!(
        stderr.lines().count() <= 3,
        "a short message, not a stack of errors:\n{stderr}"
    );
    stderr
}

#[test]
fn update_fails_clearly_when_moto_is_stopped_behind_the_proxy() {
    let mut bed = Bed::new();
    create_ipv6(&bed, ZONES, &[]);
    bed.moto.stop();
    // Only the calls of the failing runs count (creating the cluster wrote its spec to S3).
    bed.proxy.reset();
    let endpoint = bed.proxy.endpoint();
    fails_to_reach(
        &bed,
        &endpoint,
        &["update", "cluster", C, "--yes", LEAVE_OUT],
    );
    let err = fails_to_reach(&bed, &endpoint, &["update", "cluster", C]);
    assert!(
        err.contains("502"),
        "says what the endpoint answered: {err}"
    );
    let calls = bed.proxy.calls();
    assert!(
        calls.iter().all(|c| c["status"] == 502),
        "every request got the proxy's 502: {calls:?}"
    );
    assert!(!calls.is_empty());
}

#[test]
fn update_fails_clearly_when_the_endpoint_port_is_closed() {
    let bed = Bed::new();
    create_ipv6(&bed, ZONES, &[]);
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("address").port()
    };
    let endpoint = format!("http://127.0.0.1:{closed}");
    fails_to_reach(
        &bed,
        &endpoint,
        &["update", "cluster", C, "--yes", LEAVE_OUT],
    );
    fails_to_reach(&bed, &endpoint, &["update", "cluster", C]);
    fails_to_reach(&bed, &endpoint, &["delete", "cluster", C, "--yes"]);
    // Nothing was changed, and the spec is still there.
    bed.assert_nothing_owned();
    assert!(bed.kops6(&["get", "clusters"]).contains(C));
}
