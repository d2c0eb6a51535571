//! `update cluster --yes` and `delete cluster --yes` against moto on loopback, through a
//! counting proxy: the network read back through the AWS API is what SPEC 6 says (the same
//! checks as the Terraform tests), a second apply makes no mutating call, and delete removes
//! exactly what the cluster owns.

use std::process::Output;

use assert_cmd::Command;
use kops6_testsupport::network::*;
use kops6_testsupport::{aws, Moto, Proxy};
use serde_json::Value;

/// moto, a counting proxy in front of it, and a local state store.
pub struct Bed {
    pub moto: Moto,
    pub proxy: Proxy,
    pub dir: tempfile::TempDir,
    pub state: String,
}

impl Bed {
    pub fn new() -> Bed {
        let moto = Moto::start();
        let proxy = Proxy::start(&moto.endpoint(), 0.0, 1);
        let dir = tempfile::tempdir().expect("temp dir");
        let state = format!("file://{}/state", dir.path().display());
        Bed {
            moto,
            proxy,
            dir,
            state,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::cargo_bin("kops6")
            .expect("kops6 binary")
            .arg("--state")
            .arg(&self.state)
            .args(args)
            .env("AWS_ENDPOINT_URL", self.proxy.endpoint())
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .timeout(std::time::Duration::from_secs(600))
            .output()
            .expect("kops6 runs")
    }

    /// Runs kops6 and returns stdout; panics with stderr unless it succeeds.
    pub fn kops6(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "kops6 {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs kops6 expecting failure; returns stderr.
    pub fn kops6_fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "kops6 {args:?} should fail:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    pub fn aws(&self, args: &[&str]) -> Value {
        aws(&self.moto.endpoint(), args)
    }

    /// `update --yes`, then the network of the VPC the cluster uses.
    pub fn apply(&self, vpc: Option<&str>) -> Value {
        self.kops6(&["update", "cluster", C, "--yes"]);
        let vpc = match vpc {
            Some(v) => v.to_string(),
            None => self.aws(&["owned", "--cluster", C])["vpcs"][0]
                .as_str()
                .expect("one owned VPC")
                .to_string(),
        };
        self.aws(&["network", "--vpc-id", &vpc])
    }

    /// A second apply reports no changes and makes no mutating call.
    pub fn assert_second_apply_is_a_no_op(&self) {
        self.proxy.reset();
        let out = self.kops6(&["update", "cluster", C, "--yes"]);
        assert!(out.contains("No changes"), "{out}");
        assert_eq!(
            self.proxy.mutating_calls(),
            Vec::<String>::new(),
            "a no-op apply must not change anything"
        );
        let preview = self.kops6(&["update", "cluster", C]);
        assert!(preview.contains("No changes"), "{preview}");
    }

    /// Nothing tagged as owned by the cluster is left.
    pub fn assert_nothing_owned(&self) {
        let owned = self.aws(&["owned", "--cluster", C]);
        for (kind, ids) in owned.as_object().expect("object") {
            assert_eq!(
                ids.as_array().map(Vec::len),
                Some(0),
                "{kind} left behind: {ids}"
            );
        }
    }
}

fn create_ipv6(bed: &Bed, zones: &str, extra: &[&str]) {
    let mut args = vec![
        "create",
        "cluster",
        "--name",
        C,
        "--zones",
        zones,
        "--ipv6",
        "--networking",
        "calico",
        "--kubernetes-version",
        "v1.35.0",
    ];
    args.extend_from_slice(extra);
    bed.kops6(&args);
}

#[test]
fn two_zone_private_cluster_applies_directly_as_spec_6_says_and_deletes_cleanly() {
    let bed = Bed::new();
    create_ipv6(&bed, "us-east-1a,us-east-1b", &[]);
    let net = bed.apply(None);
    expect_two_zone_private(&net);
    bed.assert_second_apply_is_a_no_op();

    let listing = bed.kops6(&["delete", "cluster", C]);
    assert!(listing.contains(&format!("Vpc/{C}")), "{listing}");
    let done = bed.kops6(&["delete", "cluster", C, "--yes"]);
    assert!(done.contains("Deleted cluster"), "{done}");
    bed.assert_nothing_owned();
    let again = bed.kops6(&["delete", "cluster", C, "--yes"]);
    assert!(again.contains("already deleted"), "{again}");
}

#[test]
fn public_topology_cluster_applies_directly_as_spec_6_says() {
    let bed = Bed::new();
    create_ipv6(&bed, "us-east-1a,us-east-1b", &["--topology", "public"]);
    let net = bed.apply(None);
    expect_two_zone_public(&net);
    bed.assert_second_apply_is_a_no_op();
}

#[test]
fn shared_vpc_cluster_applies_directly_and_delete_keeps_the_shared_resources() {
    let bed = Bed::new();
    let shared = bed.aws(&["shared-vpc", "--cidr", "10.1.0.0/16"]);
    let vpc = shared["vpcId"].as_str().expect("vpc");
    let igw = shared["internetGatewayId"].as_str().expect("igw");
    let eigw = shared["egressOnlyInternetGatewayId"]
        .as_str()
        .expect("eigw");
    create_ipv6(
        &bed,
        "us-east-1a",
        &["--vpc", vpc, "--network-cidr", "10.1.0.0/16"],
    );
    let net = bed.apply(Some(vpc));
    expect_shared_vpc(&net, vpc, igw, eigw);
    bed.assert_second_apply_is_a_no_op();

    bed.kops6(&["delete", "cluster", C, "--yes"]);
    bed.assert_nothing_owned();
    let after = bed.aws(&["network", "--vpc-id", vpc]);
    assert_eq!(after["vpc"]["id"], vpc, "the shared VPC is still there");
    assert_eq!(id(&after["internetGateways"][0]), igw);
    assert_eq!(id(&after["egressOnlyInternetGateways"][0]), eigw);
    assert_eq!(
        count(&after, "subnets"),
        0,
        "the cluster's subnets are gone"
    );
}

#[test]
fn shared_vpc_without_egress_only_gateway_fails_before_anything_is_created() {
    let bed = Bed::new();
    let shared = bed.aws(&[
        "shared-vpc",
        "--cidr",
        "10.2.0.0/16",
        "--no-egress-only-gateway",
    ]);
    let vpc = shared["vpcId"].as_str().expect("vpc");
    create_ipv6(
        &bed,
        "us-east-1a",
        &["--vpc", vpc, "--network-cidr", "10.2.0.0/16"],
    );
    bed.proxy.reset();
    let err = bed.kops6_fails(&["update", "cluster", C, "--yes"]);
    assert!(
        err.contains(&format!("the shared VPC {vpc} is not ready")),
        "{err}"
    );
    assert!(err.contains("no egress-only internet gateway"), "{err}");
    assert!(
        err.contains(&format!(
            "create-egress-only-internet-gateway --vpc-id {vpc}"
        )),
        "{err}"
    );
    assert_eq!(
        bed.proxy.mutating_calls(),
        Vec::<String>::new(),
        "nothing may be created"
    );
    bed.assert_nothing_owned();
}

#[test]
fn shared_vpc_without_ipv6_block_fails_and_says_how_to_add_one() {
    let bed = Bed::new();
    let shared = bed.aws(&[
        "shared-vpc",
        "--cidr",
        "10.3.0.0/16",
        "--no-ipv6",
        "--no-egress-only-gateway",
    ]);
    let vpc = shared["vpcId"].as_str().expect("vpc");
    create_ipv6(
        &bed,
        "us-east-1a",
        &["--vpc", vpc, "--network-cidr", "10.3.0.0/16"],
    );
    bed.proxy.reset();
    let err = bed.kops6_fails(&["update", "cluster", C, "--yes"]);
    assert!(err.contains("no IPv6 CIDR block"), "{err}");
    assert!(err.contains("--amazon-provided-ipv6-cidr-block"), "{err}");
    assert_eq!(bed.proxy.mutating_calls(), Vec::<String>::new());
}

#[test]
fn transit_gateway_egress_and_external_subnet_apply_directly_as_spec_6_says() {
    let bed = Bed::new();
    let tgw = bed.aws(&["transit-gateway"]);
    let tgw = tgw["transitGatewayId"].as_str().expect("tgw");
    let path = bed.dir.path().join("spec.yaml");
    std::fs::write(&path, tgw_and_external_spec(tgw)).expect("spec");
    bed.kops6(&["create", "-f", path.to_str().expect("utf-8")]);
    let net = bed.apply(None);
    expect_tgw_and_external(&net, tgw);
    bed.assert_second_apply_is_a_no_op();
}

#[test]
fn delete_keeps_a_reused_nat_gateway_and_elastic_ip() {
    let bed = Bed::new();
    let shared = bed.aws(&["shared-vpc", "--cidr", "10.4.0.0/16"]);
    let vpc = shared["vpcId"].as_str().expect("vpc");
    let existing = bed.aws(&[
        "nat-gateway",
        "--vpc-id",
        vpc,
        "--cidr",
        "10.4.250.0/24",
        "--zone",
        "us-east-1a",
    ]);
    let nat = existing["natGatewayId"].as_str().expect("nat");
    let eip = bed.aws(&["elastic-ip"]);
    let eip = eip["allocationId"].as_str().expect("eip");
    create_ipv6(
        &bed,
        "us-east-1a,us-east-1b",
        &[
            "--vpc",
            vpc,
            "--network-cidr",
            "10.4.0.0/16",
            "--dry-run",
            "-o",
            "yaml",
        ],
    );
    // The same cluster, with zone a reusing the NAT gateway and zone b a NAT gateway on the EIP.
    let yaml = bed.kops6(&[
        "create",
        "cluster",
        "--name",
        C,
        "--zones",
        "us-east-1a,us-east-1b",
        "--ipv6",
        "--networking",
        "calico",
        "--kubernetes-version",
        "v1.35.0",
        "--vpc",
        vpc,
        "--network-cidr",
        "10.4.0.0/16",
        "--dry-run",
        "-o",
        "yaml",
    ]);
    let yaml = yaml
        .replace(
            "    name: us-east-1a\n",
            &format!("    name: us-east-1a\n    egress: {nat}\n"),
        )
        .replace(
            "    name: dualstack-us-east-1a\n",
            &format!("    name: dualstack-us-east-1a\n    egress: {nat}\n"),
        )
        .replace(
            "    name: us-east-1b\n",
            &format!("    name: us-east-1b\n    egress: {eip}\n"),
        )
        .replace(
            "    name: dualstack-us-east-1b\n",
            &format!("    name: dualstack-us-east-1b\n    egress: {eip}\n"),
        );
    let path = bed.dir.path().join("spec.yaml");
    std::fs::write(&path, yaml).expect("spec");
    bed.kops6(&["create", "-f", path.to_str().expect("utf-8")]);
    let net = bed.apply(Some(vpc));
    let zone_a = routes(&net, &format!("private-us-east-1a.{C}"));
    assert_eq!(zone_a.get("0.0.0.0/0").map(String::as_str), Some(nat));
    assert_eq!(zone_a.get("64:ff9b::/96").map(String::as_str), Some(nat));
    let ours = nat_in_zone(&net, "us-east-1b");
    assert_eq!(
        ours["allocations"][0], eip,
        "zone b's NAT gateway uses the given Elastic IP"
    );
    assert_eq!(count(&net, "elasticIps"), 2, "no Elastic IP was allocated");
    bed.assert_second_apply_is_a_no_op();

    bed.kops6(&["delete", "cluster", C, "--yes"]);
    bed.assert_nothing_owned();
    let all = bed.aws(&["everything"]);
    let nats: Vec<&str> = all["natGateways"]
        .as_array()
        .expect("nats")
        .iter()
        .filter_map(|n| n["NatGatewayId"].as_str())
        .collect();
    assert_eq!(
        nats,
        vec![nat],
        "the reused NAT gateway is still there, ours is gone"
    );
    let eips: Vec<&str> = all["elasticIps"]
        .as_array()
        .expect("eips")
        .iter()
        .filter_map(|a| a["AllocationId"].as_str())
        .collect();
    assert!(
        eips.contains(&eip),
        "the given Elastic IP is kept: {eips:?}"
    );
}

#[test]
fn s3_state_store_keeps_cluster_specs() {
    let mut bed = Bed::new();
    bed.aws(&["bucket", "--name", "kops6-state"]);
    let state = "s3://kops6-state/clusters";
    bed.state = state.to_string();
    let run = |args: &[&str]| bed.kops6(args);
    run(&[
        "create",
        "cluster",
        "--name",
        C,
        "--zones",
        "us-east-1a",
        "--ipv6",
        "--networking",
        "calico",
    ]);
    assert!(run(&["get", "clusters"]).contains(C));
    let yaml = run(&["get", "cluster", C, "-o", "yaml"]);
    assert!(yaml.contains("nonMasqueradeCIDR: \"::/0\""), "{yaml}");
    assert!(yaml.contains(&format!("configBase: {state}/{C}")), "{yaml}");
    let groups = run(&["get", "instancegroups", "--name", C]);
    assert!(
        groups.contains("control-plane-us-east-1a") && groups.contains("nodes-us-east-1a"),
        "{groups}"
    );
    run(&["delete", "cluster", C, "--yes", "--offline"]);
    assert!(run(&["get", "clusters"]).contains("No clusters"));
}
