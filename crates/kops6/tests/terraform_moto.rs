//! The Terraform target, proven with real Terraform: `kops6 update cluster --target terraform`
//! output is applied to moto on loopback, the network is read back through the AWS API and
//! checked against SPEC 6, and a second `terraform plan` must report no changes.
//!
//! Skipped, with a message, where Terraform or its provider mirror is absent.

use std::collections::BTreeMap;
use std::net::Ipv6Addr;
use std::path::Path;

use assert_cmd::Command;
use ipnet::Ipv6Net;
use kops6_testsupport::{aws, skip, Moto, Terraform};
use serde_json::Value;

const C: &str = "ipv6.example.com";

/// One test's world: moto, a state store, a Terraform folder.
struct Bed {
    moto: Moto,
    terraform: Terraform,
    dir: tempfile::TempDir,
}

impl Bed {
    fn new(test: &str) -> Option<Bed> {
        let terraform = match Terraform::find() {
            Ok(t) => t,
            Err(why) => return skip(test, &why),
        };
        Some(Bed {
            moto: Moto::start(),
            terraform,
            dir: tempfile::tempdir().expect("temp dir"),
        })
    }

    fn state(&self) -> String {
        format!("file://{}/state", self.dir.path().display())
    }

    fn tf_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("tf")
    }

    fn kops6(&self, args: &[&str]) -> String {
        let out = Command::cargo_bin("kops6")
            .expect("kops6 binary")
            .arg("--state")
            .arg(self.state())
            .args(args)
            .output()
            .expect("kops6 runs");
        assert!(
            out.status.success(),
            "kops6 {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Renders, applies, checks that a second plan has no changes; returns the network.
    fn apply(&self, vars: &[&str]) -> Value {
        let tf = self.tf_dir();
        self.kops6(&[
            "update",
            "cluster",
            C,
            "--target",
            "terraform",
            "--out",
            tf.to_str().expect("utf-8 path"),
        ]);
        std::fs::write(
            tf.join("kubernetes_override.tf"),
            Terraform::moto_override(&self.moto.endpoint()),
        )
        .expect("override written");
        let t = &self.terraform;
        t.ok(&tf, &["init", "-input=false", "-no-color"]);
        t.ok(&tf, &["validate", "-no-color"]);
        let mut apply = vec!["apply", "-auto-approve", "-input=false", "-no-color"];
        apply.extend_from_slice(vars);
        t.ok(&tf, &apply);
        let mut plan = vec!["plan", "-detailed-exitcode", "-input=false", "-no-color"];
        plan.extend_from_slice(vars);
        let second = t.run(&tf, &plan);
        assert_eq!(
            second.status.code(),
            Some(0),
            "a second plan must report no changes:\n{}{}",
            String::from_utf8_lossy(&second.stdout),
            String::from_utf8_lossy(&second.stderr)
        );
        let vpc_id = t.ok(&tf, &["output", "-raw", "vpc_id"]);
        aws(
            &self.moto.endpoint(),
            &["network", "--vpc-id", vpc_id.trim()],
        )
    }
}

// ---- reading the network back ----

fn by_name<'a>(items: &'a Value, name: &str) -> &'a Value {
    items
        .as_array()
        .expect("array")
        .iter()
        .find(|i| i["tags"]["Name"] == name)
        .unwrap_or_else(|| panic!("no resource named {name} in {items:#}"))
}

fn subnet<'a>(net: &'a Value, name: &str) -> &'a Value {
    by_name(&net["subnets"], &format!("{name}.{C}"))
}

/// A table's routes as destination -> target, without the VPC's local routes.
fn routes(net: &Value, table: &str) -> BTreeMap<String, String> {
    by_name(&net["routeTables"], table)["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .filter(|r| r["target"] != "local")
        .map(|r| {
            (
                r["destination"].as_str().expect("destination").to_string(),
                r["target"].as_str().expect("target").to_string(),
            )
        })
        .collect()
}

fn associated(net: &Value, table: &str) -> Vec<String> {
    let mut ids: Vec<String> = by_name(&net["routeTables"], table)["subnets"]
        .as_array()
        .expect("subnets")
        .iter()
        .map(|s| s.as_str().expect("id").to_string())
        .collect();
    ids.sort();
    ids
}

fn ids(net: &Value, names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|n| id(subnet(net, n))).collect();
    v.sort();
    v
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

fn count(net: &Value, field: &str) -> usize {
    net[field].as_array().map_or(0, Vec::len)
}

/// The N-th /64 of the VPC's /56, computed by hand: N is the fourth 16-bit group's low byte.
fn nth_64(vpc_block: &str, n: u16) -> String {
    let vpc: Ipv6Net = vpc_block.parse().expect("VPC IPv6 block");
    assert_eq!(vpc.prefix_len(), 56, "Amazon-provided blocks are /56");
    let mut seg = vpc.network().segments();
    seg[3] |= n;
    Ipv6Net::new(Ipv6Addr::from(seg), 64)
        .expect("/64")
        .to_string()
}

fn vpc_block(net: &Value) -> String {
    net["vpc"]["ipv6Cidrs"][0]
        .as_str()
        .expect("the VPC has an IPv6 block")
        .to_string()
}

/// SPEC 6: an IPv6-only private subnet.
fn assert_ipv6_only(net: &Value, name: &str, zone: &str, n: u16) {
    let s = subnet(net, name);
    assert_eq!(s["zone"], zone, "{name}");
    assert_eq!(s["cidr"], Value::Null, "{name} has no IPv4 range");
    assert_eq!(
        s["ipv6Cidrs"][0],
        nth_64(&vpc_block(net), n).as_str(),
        "{name}"
    );
    assert_eq!(s["ipv6Native"], true, "{name} is IPv6-native");
    assert_eq!(s["enableDns64"], true, "{name} has DNS64");
    assert_eq!(s["assignIpv6AddressOnCreation"], true, "{name}");
    assert_eq!(s["hostnameType"], "resource-name", "{name}");
    assert_eq!(s["aaaaRecord"], true, "{name}");
    assert_eq!(s["aRecord"], false, "{name}");
    assert_eq!(s["tags"]["SubnetType"], "Private", "{name}");
    assert_eq!(s["tags"][format!("kubernetes.io/cluster/{C}")], "owned");
}

/// SPEC 6: a dual-stack subnet of the given type.
fn assert_dual_stack(net: &Value, name: &str, kind: &str, cidr: &str, n: u16) {
    let s = subnet(net, name);
    assert_eq!(s["cidr"], cidr, "{name}");
    assert_eq!(
        s["ipv6Cidrs"][0],
        nth_64(&vpc_block(net), n).as_str(),
        "{name}"
    );
    assert_eq!(s["ipv6Native"], false, "{name}");
    assert_eq!(
        s["enableDns64"], false,
        "{name}: DNS64 is for IPv6-only subnets"
    );
    assert_eq!(s["assignIpv6AddressOnCreation"], true, "{name}");
    assert_eq!(s["hostnameType"], "resource-name", "{name}");
    assert_eq!(s["aRecord"], true, "{name}");
    assert_eq!(s["aaaaRecord"], true, "{name}");
    assert_eq!(s["tags"]["SubnetType"], kind, "{name}");
    let role = if kind == "DualStack" {
        "kubernetes.io/role/internal-elb"
    } else {
        "kubernetes.io/role/elb"
    };
    assert_eq!(s["tags"][role], "1", "{name}");
}

fn nat_in_zone<'a>(net: &'a Value, zone: &str) -> &'a Value {
    by_name(&net["natGateways"], &format!("{zone}.{C}"))
}

fn eip_allocation(net: &Value, zone: &str) -> String {
    by_name(&net["elasticIps"], &format!("{zone}.{C}"))["allocationId"]
        .as_str()
        .expect("allocation")
        .to_string()
}

fn tree(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn write_spec(dir: &Path, yaml: &str) -> String {
    let path = dir.join("spec.yaml");
    std::fs::write(&path, yaml).expect("spec written");
    path.to_str().expect("utf-8").to_string()
}

// ---- the scenarios ----

#[test]
fn two_zone_private_ipv6_cluster_applies_as_spec_6_says() {
    let Some(bed) = Bed::new("two_zone_private_ipv6_cluster_applies_as_spec_6_says") else {
        return;
    };
    bed.kops6(&[
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
    ]);
    let net = bed.apply(&[]);

    assert_eq!(net["vpc"]["cidr"], "172.20.0.0/16");
    assert_eq!(net["vpc"]["ipv6Cidrs"].as_array().map(Vec::len), Some(1));
    assert_eq!(net["vpc"]["dnsHostnames"], true);
    assert_eq!(net["vpc"]["dnsSupport"], true);
    assert_eq!(
        net["dhcpOptions"]["config"]["domain-name"][0],
        "ec2.internal"
    );
    assert_eq!(net["dhcpOptions"]["tags"]["Name"], C);

    assert_ipv6_only(&net, "us-east-1a", "us-east-1a", 0);
    assert_ipv6_only(&net, "us-east-1b", "us-east-1b", 1);
    assert_dual_stack(
        &net,
        "dualstack-us-east-1a",
        "DualStack",
        "172.20.32.0/19",
        2,
    );
    assert_dual_stack(
        &net,
        "dualstack-us-east-1b",
        "DualStack",
        "172.20.64.0/19",
        3,
    );
    assert_dual_stack(&net, "utility-us-east-1a", "Utility", "172.20.0.0/22", 4);
    assert_dual_stack(&net, "utility-us-east-1b", "Utility", "172.20.4.0/22", 5);
    // A Private subnet in a zone with a DualStack one is not for internal load balancers.
    assert_eq!(
        subnet(&net, "us-east-1a")["tags"]["kubernetes.io/role/internal-elb"],
        Value::Null
    );

    assert_eq!(count(&net, "internetGateways"), 1);
    assert_eq!(count(&net, "egressOnlyInternetGateways"), 1);
    assert_eq!(count(&net, "natGateways"), 2);
    assert_eq!(count(&net, "elasticIps"), 2);
    let igw = id(&net["internetGateways"][0]);
    let eigw = id(&net["egressOnlyInternetGateways"][0]);

    for zone in ["us-east-1a", "us-east-1b"] {
        let nat = nat_in_zone(&net, zone);
        assert_eq!(
            nat["subnet"],
            id(subnet(&net, &format!("utility-{zone}"))).as_str()
        );
        assert_eq!(nat["allocations"][0], eip_allocation(&net, zone).as_str());
        let table = format!("private-{zone}.{C}");
        let nat_id = id(nat);
        assert_eq!(
            routes(&net, &table),
            tree(&[
                ("0.0.0.0/0", &nat_id),
                ("64:ff9b::/96", &nat_id),
                ("::/0", &eigw)
            ])
        );
        assert_eq!(
            associated(&net, &table),
            ids(&net, &[zone, &format!("dualstack-{zone}")])
        );
    }
    assert_eq!(
        routes(&net, C),
        tree(&[("0.0.0.0/0", &igw), ("::/0", &igw)])
    );
    assert_eq!(
        associated(&net, C),
        ids(&net, &["utility-us-east-1a", "utility-us-east-1b"])
    );
}

#[test]
fn public_topology_ipv6_cluster_routes_nat64_through_a_nat_gateway_in_its_public_subnet() {
    let test =
        "public_topology_ipv6_cluster_routes_nat64_through_a_nat_gateway_in_its_public_subnet";
    let Some(bed) = Bed::new(test) else {
        return;
    };
    bed.kops6(&[
        "create",
        "cluster",
        "--name",
        C,
        "--zones",
        "us-east-1a,us-east-1b",
        "--ipv6",
        "--topology",
        "public",
        "--networking",
        "cilium",
        "--kubernetes-version",
        "v1.35.0",
    ]);
    let net = bed.apply(&[]);

    assert_dual_stack(&net, "us-east-1a", "Public", "172.20.0.0/17", 0);
    assert_dual_stack(&net, "us-east-1b", "Public", "172.20.128.0/17", 1);
    assert_eq!(count(&net, "internetGateways"), 1);
    assert_eq!(
        count(&net, "egressOnlyInternetGateways"),
        0,
        "no private subnets"
    );
    assert_eq!(count(&net, "natGateways"), 2);
    let igw = id(&net["internetGateways"][0]);
    for zone in ["us-east-1a", "us-east-1b"] {
        let nat = nat_in_zone(&net, zone);
        // No Utility subnet in the zone: the NAT gateway goes in its first Public subnet.
        assert_eq!(nat["subnet"], id(subnet(&net, zone)).as_str());
        let table = format!("public-{zone}.{C}");
        assert_eq!(
            routes(&net, &table),
            tree(&[
                ("0.0.0.0/0", &igw),
                ("64:ff9b::/96", &id(nat)),
                ("::/0", &igw)
            ])
        );
        assert_eq!(associated(&net, &table), ids(&net, &[zone]));
    }
}

#[test]
fn cluster_in_a_shared_vpc_uses_its_gateways_and_creates_no_vpc() {
    let Some(bed) = Bed::new("cluster_in_a_shared_vpc_uses_its_gateways_and_creates_no_vpc") else {
        return;
    };
    let shared = aws(
        &bed.moto.endpoint(),
        &["shared-vpc", "--cidr", "10.1.0.0/16"],
    );
    let vpc_id = shared["vpcId"].as_str().expect("vpc id");
    let eigw = shared["egressOnlyInternetGatewayId"]
        .as_str()
        .expect("eigw id");
    let igw = shared["internetGatewayId"].as_str().expect("igw id");
    bed.kops6(&[
        "create",
        "cluster",
        "--name",
        C,
        "--zones",
        "us-east-1a",
        "--ipv6",
        "--vpc",
        vpc_id,
        "--network-cidr",
        "10.1.0.0/16",
        "--networking",
        "calico",
        "--kubernetes-version",
        "v1.35.0",
    ]);
    let var = format!("egress_only_internet_gateway_id={eigw}");
    let net = bed.apply(&["-var", &var]);

    assert_eq!(net["vpc"]["id"], vpc_id);
    assert_eq!(net["vpc"]["tags"]["Name"], "shared");
    assert_eq!(
        net["vpc"]["tags"][format!("kubernetes.io/cluster/{C}")],
        Value::Null,
        "a shared VPC is never tagged"
    );
    assert_eq!(
        net["dhcpOptions"],
        Value::Null,
        "no DHCP options for a shared VPC"
    );
    assert_eq!(count(&net, "internetGateways"), 1);
    assert_eq!(count(&net, "egressOnlyInternetGateways"), 1);
    assert_ipv6_only(&net, "us-east-1a", "us-east-1a", 0);
    assert_dual_stack(&net, "dualstack-us-east-1a", "DualStack", "10.1.64.0/18", 1);
    assert_dual_stack(&net, "utility-us-east-1a", "Utility", "10.1.0.0/21", 2);
    let nat = id(nat_in_zone(&net, "us-east-1a"));
    assert_eq!(
        routes(&net, &format!("private-us-east-1a.{C}")),
        tree(&[("0.0.0.0/0", &nat), ("64:ff9b::/96", &nat), ("::/0", eigw)])
    );
    assert_eq!(routes(&net, C), tree(&[("0.0.0.0/0", igw), ("::/0", igw)]));
}

#[test]
fn shared_vpc_without_ipv6_block_fails_before_anything_is_created() {
    let Some(bed) = Bed::new("shared_vpc_without_ipv6_block_fails_before_anything_is_created")
    else {
        return;
    };
    let shared = aws(
        &bed.moto.endpoint(),
        &[
            "shared-vpc",
            "--cidr",
            "10.2.0.0/16",
            "--no-ipv6",
            "--no-egress-only-gateway",
        ],
    );
    let vpc_id = shared["vpcId"].as_str().expect("vpc id");
    bed.kops6(&[
        "create",
        "cluster",
        "--name",
        C,
        "--zones",
        "us-east-1a",
        "--ipv6",
        "--vpc",
        vpc_id,
        "--network-cidr",
        "10.2.0.0/16",
        "--networking",
        "calico",
    ]);
    let tf = bed.tf_dir();
    bed.kops6(&[
        "update",
        "cluster",
        C,
        "--target",
        "terraform",
        "--out",
        tf.to_str().expect("utf-8"),
    ]);
    std::fs::write(
        tf.join("kubernetes_override.tf"),
        Terraform::moto_override(&bed.moto.endpoint()),
    )
    .expect("override");
    bed.terraform
        .ok(&tf, &["init", "-input=false", "-no-color"]);
    let plan = bed.terraform.run(
        &tf,
        &[
            "plan",
            "-input=false",
            "-no-color",
            "-var",
            "egress_only_internet_gateway_id=eigw-0123456789",
        ],
    );
    let text =
        String::from_utf8_lossy(&plan.stderr).to_string() + &String::from_utf8_lossy(&plan.stdout);
    assert!(!plan.status.success(), "plan must fail:\n{text}");
    assert!(
        text.contains(&format!("The shared VPC {vpc_id} has no IPv6 CIDR block")),
        "{text}"
    );
    let net = aws(&bed.moto.endpoint(), &["network", "--vpc-id", vpc_id]);
    assert_eq!(count(&net, "subnets"), 0, "nothing was created");
}

#[test]
fn transit_gateway_egress_and_external_subnet_route_as_spec_6_says() {
    let Some(bed) = Bed::new("transit_gateway_egress_and_external_subnet_route_as_spec_6_says")
    else {
        return;
    };
    let tgw = aws(&bed.moto.endpoint(), &["transit-gateway"]);
    let tgw = tgw["transitGatewayId"].as_str().expect("tgw id");
    let spec = format!(
        r#"apiVersion: kops.k8s.io/v1alpha2
kind: Cluster
metadata:
  name: {C}
spec:
  api:
    loadBalancer:
      class: Network
      type: Public
  cloudControllerManager: {{}}
  cloudProvider: aws
  etcdClusters:
  - etcdMembers:
    - instanceGroup: control-plane-us-east-1a
      name: a
    name: main
  kubernetesVersion: v1.35.0
  networkCIDR: 172.20.0.0/16
  networking:
    calico: {{}}
  nonMasqueradeCIDR: "::/0"
  subnets:
  - egress: {tgw}
    ipv6CIDR: /64#0
    name: us-east-1a
    type: Private
    zone: us-east-1a
  - cidr: 172.20.32.0/19
    egress: {tgw}
    ipv6CIDR: /64#1
    name: dualstack-us-east-1a
    type: DualStack
    zone: us-east-1a
  - cidr: 172.20.0.0/22
    ipv6CIDR: /64#2
    name: utility-us-east-1a
    type: Utility
    zone: us-east-1a
  - egress: External
    ipv6CIDR: /64#3
    name: us-east-1b
    type: Private
    zone: us-east-1b
  - cidr: 172.20.4.0/22
    ipv6CIDR: /64#4
    name: utility-us-east-1b
    type: Utility
    zone: us-east-1b
---
apiVersion: kops.k8s.io/v1alpha2
kind: InstanceGroup
metadata:
  labels:
    kops.k8s.io/cluster: {C}
  name: control-plane-us-east-1a
spec:
  role: Master
  subnets:
  - dualstack-us-east-1a
---
apiVersion: kops.k8s.io/v1alpha2
kind: InstanceGroup
metadata:
  labels:
    kops.k8s.io/cluster: {C}
  name: nodes
spec:
  role: Node
  subnets:
  - us-east-1a
  - us-east-1b
"#
    );
    let file = write_spec(bed.dir.path(), &spec);
    bed.kops6(&["create", "-f", &file]);
    let net = bed.apply(&[]);

    assert_eq!(
        count(&net, "natGateways"),
        0,
        "tgw egress and External need no NAT gateway"
    );
    assert_eq!(count(&net, "elasticIps"), 0);
    assert_eq!(count(&net, "egressOnlyInternetGateways"), 1);
    let eigw = id(&net["egressOnlyInternetGateways"][0]);
    let igw = id(&net["internetGateways"][0]);
    let table = format!("private-us-east-1a.{C}");
    assert_eq!(
        routes(&net, &table),
        tree(&[("0.0.0.0/0", tgw), ("64:ff9b::/96", tgw), ("::/0", &eigw)])
    );
    assert_eq!(
        associated(&net, &table),
        ids(&net, &["us-east-1a", "dualstack-us-east-1a"])
    );
    // The External subnet exists but kops6 gives it no route table or association.
    assert_ipv6_only(&net, "us-east-1b", "us-east-1b", 3);
    let external = id(subnet(&net, "us-east-1b"));
    let tables = net["routeTables"].as_array().expect("tables");
    assert!(tables.iter().all(|t| !t["subnets"]
        .as_array()
        .expect("subnets")
        .iter()
        .any(|s| s == external.as_str())));
    assert!(tables
        .iter()
        .all(|t| t["tags"]["Name"] != format!("private-us-east-1b.{C}")));
    assert_eq!(
        routes(&net, C),
        tree(&[("0.0.0.0/0", &igw), ("::/0", &igw)])
    );
    assert_eq!(
        associated(&net, C),
        ids(&net, &["utility-us-east-1a", "utility-us-east-1b"])
    );
}
