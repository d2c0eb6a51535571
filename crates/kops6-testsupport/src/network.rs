//! What SPEC 6 says a cluster's network is, checked on the network as read back through the
//! AWS API (`testsupport/moto/aws.py network`). The Terraform tests and the direct-apply tests
//! use the same checks, so both targets are held to one standard.

use std::collections::BTreeMap;
use std::net::Ipv6Addr;

use serde_json::Value;

/// The cluster name every scenario uses.
pub const C: &str = "ipv6.example.com";

pub fn by_name<'a>(items: &'a Value, name: &str) -> &'a Value {
    items
        .as_array()
        .expect("array")
        .iter()
        .find(|i| i["tags"]["Name"] == name)
        .unwrap_or_else(|| panic!("no resource named {name} in {items:#}"))
}

pub fn subnet<'a>(net: &'a Value, name: &str) -> &'a Value {
    by_name(&net["subnets"], &format!("{name}.{C}"))
}

/// A table's routes as destination -> target, without the VPC's local routes.
pub fn routes(net: &Value, table: &str) -> BTreeMap<String, String> {
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

pub fn associated(net: &Value, table: &str) -> Vec<String> {
    let mut ids: Vec<String> = by_name(&net["routeTables"], table)["subnets"]
        .as_array()
        .expect("subnets")
        .iter()
        .map(|s| s.as_str().expect("id").to_string())
        .collect();
    ids.sort();
    ids
}

pub fn ids(net: &Value, names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|n| id(subnet(net, n))).collect();
    v.sort();
    v
}

pub fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

pub fn count(net: &Value, field: &str) -> usize {
    net[field].as_array().map_or(0, Vec::len)
}

/// The N-th /64 of the VPC's /56, computed by hand: N is the fourth 16-bit group's low byte.
pub fn nth_64(vpc_block: &str, n: u16) -> String {
    let (addr, len) = vpc_block.split_once('/').expect("a CIDR");
    assert_eq!(len, "56", "Amazon-provided blocks are /56");
    let mut seg = addr.parse::<Ipv6Addr>().expect("VPC IPv6 block").segments();
    seg[3] |= n;
    seg[4..].fill(0);
    format!("{}/64", Ipv6Addr::from(seg))
}

pub fn vpc_block(net: &Value) -> String {
    net["vpc"]["ipv6Cidrs"][0]
        .as_str()
        .expect("the VPC has an IPv6 block")
        .to_string()
}

/// SPEC 6: an IPv6-only private subnet.
pub fn assert_ipv6_only(net: &Value, name: &str, zone: &str, n: u16) {
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
pub fn assert_dual_stack(net: &Value, name: &str, kind: &str, cidr: &str, n: u16) {
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

pub fn nat_in_zone<'a>(net: &'a Value, zone: &str) -> &'a Value {
    by_name(&net["natGateways"], &format!("{zone}.{C}"))
}

pub fn eip_allocation(net: &Value, zone: &str) -> String {
    by_name(&net["elasticIps"], &format!("{zone}.{C}"))["allocationId"]
        .as_str()
        .expect("allocation")
        .to_string()
}

pub fn tree(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// The 2-zone private IPv6 cluster of `create cluster --ipv6 --zones us-east-1a,us-east-1b`.
pub fn expect_two_zone_private(net: &Value) {
    assert_eq!(net["vpc"]["cidr"], "172.20.0.0/16");
    assert_eq!(net["vpc"]["ipv6Cidrs"].as_array().map(Vec::len), Some(1));
    assert_eq!(net["vpc"]["dnsHostnames"], true);
    assert_eq!(net["vpc"]["dnsSupport"], true);
    assert_eq!(
        net["dhcpOptions"]["config"]["domain-name"][0],
        "ec2.internal"
    );
    assert_eq!(net["dhcpOptions"]["tags"]["Name"], C);

    assert_ipv6_only(net, "us-east-1a", "us-east-1a", 0);
    assert_ipv6_only(net, "us-east-1b", "us-east-1b", 1);
    assert_dual_stack(
        net,
        "dualstack-us-east-1a",
        "DualStack",
        "172.20.32.0/19",
        2,
    );
    assert_dual_stack(
        net,
        "dualstack-us-east-1b",
        "DualStack",
        "172.20.64.0/19",
        3,
    );
    assert_dual_stack(net, "utility-us-east-1a", "Utility", "172.20.0.0/22", 4);
    assert_dual_stack(net, "utility-us-east-1b", "Utility", "172.20.4.0/22", 5);
    // A Private subnet in a zone with a DualStack one is not for internal load balancers.
    assert_eq!(
        subnet(net, "us-east-1a")["tags"]["kubernetes.io/role/internal-elb"],
        Value::Null
    );

    assert_eq!(count(net, "internetGateways"), 1);
    assert_eq!(count(net, "egressOnlyInternetGateways"), 1);
    assert_eq!(count(net, "natGateways"), 2);
    assert_eq!(count(net, "elasticIps"), 2);
    let igw = id(&net["internetGateways"][0]);
    let eigw = id(&net["egressOnlyInternetGateways"][0]);

    for zone in ["us-east-1a", "us-east-1b"] {
        let nat = nat_in_zone(net, zone);
        assert_eq!(
            nat["subnet"],
            id(subnet(net, &format!("utility-{zone}"))).as_str()
        );
        assert_eq!(nat["allocations"][0], eip_allocation(net, zone).as_str());
        let table = format!("private-{zone}.{C}");
        let nat_id = id(nat);
        assert_eq!(
            routes(net, &table),
            tree(&[
                ("0.0.0.0/0", &nat_id),
                ("64:ff9b::/96", &nat_id),
                ("::/0", &eigw)
            ])
        );
        assert_eq!(
            associated(net, &table),
            ids(net, &[zone, &format!("dualstack-{zone}")])
        );
    }
    assert_eq!(routes(net, C), tree(&[("0.0.0.0/0", &igw), ("::/0", &igw)]));
    assert_eq!(
        associated(net, C),
        ids(net, &["utility-us-east-1a", "utility-us-east-1b"])
    );
}

/// The 2-zone `--topology public` IPv6 cluster: NAT64 through a NAT gateway in each Public subnet.
pub fn expect_two_zone_public(net: &Value) {
    assert_dual_stack(net, "us-east-1a", "Public", "172.20.0.0/17", 0);
    assert_dual_stack(net, "us-east-1b", "Public", "172.20.128.0/17", 1);
    assert_eq!(count(net, "internetGateways"), 1);
    assert_eq!(
        count(net, "egressOnlyInternetGateways"),
        0,
        "no private subnets"
    );
    assert_eq!(count(net, "natGateways"), 2);
    let igw = id(&net["internetGateways"][0]);
    for zone in ["us-east-1a", "us-east-1b"] {
        let nat = nat_in_zone(net, zone);
        // No Utility subnet in the zone: the NAT gateway goes in its first Public subnet.
        assert_eq!(nat["subnet"], id(subnet(net, zone)).as_str());
        let table = format!("public-{zone}.{C}");
        assert_eq!(
            routes(net, &table),
            tree(&[
                ("0.0.0.0/0", &igw),
                ("64:ff9b::/96", &id(nat)),
                ("::/0", &igw)
            ])
        );
        assert_eq!(associated(net, &table), ids(net, &[zone]));
    }
}

/// A 1-zone private IPv6 cluster in a shared VPC (10.1.0.0/16) made beforehand with its gateways.
pub fn expect_shared_vpc(net: &Value, vpc_id: &str, igw: &str, eigw: &str) {
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
    assert_eq!(count(net, "internetGateways"), 1);
    assert_eq!(count(net, "egressOnlyInternetGateways"), 1);
    assert_ipv6_only(net, "us-east-1a", "us-east-1a", 0);
    assert_dual_stack(net, "dualstack-us-east-1a", "DualStack", "10.1.64.0/18", 1);
    assert_dual_stack(net, "utility-us-east-1a", "Utility", "10.1.0.0/21", 2);
    let nat = id(nat_in_zone(net, "us-east-1a"));
    assert_eq!(
        routes(net, &format!("private-us-east-1a.{C}")),
        tree(&[("0.0.0.0/0", &nat), ("64:ff9b::/96", &nat), ("::/0", eigw)])
    );
    assert_eq!(routes(net, C), tree(&[("0.0.0.0/0", igw), ("::/0", igw)]));
}

/// The spec with a `tgw-` egress in us-east-1a and an `External` subnet in us-east-1b.
pub fn expect_tgw_and_external(net: &Value, tgw: &str) {
    assert_eq!(
        count(net, "natGateways"),
        0,
        "tgw egress and External need no NAT gateway"
    );
    assert_eq!(count(net, "elasticIps"), 0);
    assert_eq!(count(net, "egressOnlyInternetGateways"), 1);
    let eigw = id(&net["egressOnlyInternetGateways"][0]);
    let igw = id(&net["internetGateways"][0]);
    let table = format!("private-us-east-1a.{C}");
    assert_eq!(
        routes(net, &table),
        tree(&[("0.0.0.0/0", tgw), ("64:ff9b::/96", tgw), ("::/0", &eigw)])
    );
    assert_eq!(
        associated(net, &table),
        ids(net, &["us-east-1a", "dualstack-us-east-1a"])
    );
    // The External subnet exists but kops6 gives it no route table or association.
    assert_ipv6_only(net, "us-east-1b", "us-east-1b", 3);
    let external = id(subnet(net, "us-east-1b"));
    let tables = net["routeTables"].as_array().expect("tables");
    assert!(tables.iter().all(|t| !t["subnets"]
        .as_array()
        .expect("subnets")
        .iter()
        .any(|s| s == external.as_str())));
    assert!(tables
        .iter()
        .all(|t| t["tags"]["Name"] != format!("private-us-east-1b.{C}")));
    assert_eq!(routes(net, C), tree(&[("0.0.0.0/0", &igw), ("::/0", &igw)]));
    assert_eq!(
        associated(net, C),
        ids(net, &["utility-us-east-1a", "utility-us-east-1b"])
    );
}

/// A cluster spec whose us-east-1a private subnets leave through transit gateway `tgw` and whose
/// us-east-1b private subnet is `External`.
pub fn tgw_and_external_spec(tgw: &str) -> String {
    format!(
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
    )
}
