//! What SPEC 7 says a cluster's infrastructure is, checked on what is read back through the AWS
//! API (`testsupport/moto/aws.py cluster`, plus `network` for subnet IDs). The Terraform tests
//! and the direct-apply tests share these checks, so both targets meet one standard.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::network::{id, subnet, C};

/// An instance group as the scenario made it.
pub struct Group<'a> {
    pub name: &'a str,
    pub control_plane: bool,
    pub subnets: &'a [&'a str],
    pub min: u64,
    pub max: u64,
    /// Whether its subnets are Public/Utility (public IPv4 on its instances).
    pub public: bool,
    /// A bastion group: SSH reaches it through its own load balancer (SPEC 7).
    pub bastion: bool,
}

/// The image testsupport/moto adds to moto's catalogue for `create cluster`'s default
/// `spec.image`, so launch templates resolve to it.
pub const DEFAULT_AMI: &str = "ami-0a404b0b1e24a0000";

impl<'a> Group<'a> {
    /// A control-plane or node group of one instance (`public`: on Public/Utility subnets).
    pub fn new(name: &'a str, control_plane: bool, subnets: &'a [&'a str], public: bool) -> Self {
        Group {
            name,
            control_plane,
            subnets,
            min: 1,
            max: 1,
            public,
            bastion: false,
        }
    }
}

impl Shape<'_> {
    fn has_bastion(&self) -> bool {
        self.groups.iter().any(|g| g.bastion)
    }
}

/// The shape of one scenario's cluster.
pub struct Shape<'a> {
    pub groups: &'a [Group<'a>],
    pub load_balancer_subnets: &'a [&'a str],
    pub etcd_zones: &'a [&'a str],
    pub calico: bool,
    /// The hosted zone name holding `api.<C>` (with `--dns-zone`).
    pub dns_zone: Option<&'a str>,
    pub image_id: &'a str,
    pub key_pair: &'a str,
}

fn rules(got: &Value) -> Vec<&Value> {
    got["rules"].as_array().expect("rules").iter().collect()
}

/// Whether a rule of this shape was read back; `source` is `cidr:...`, `ipv6:...` or `sg:...`.
fn has_rule(
    got: &Value,
    group: &str,
    direction: &str,
    protocol: &[&str],
    ports: (i64, i64),
    source: &str,
) -> bool {
    let group = format!("{group}.{C}");
    rules(got).into_iter().any(|r| {
        let port = |k: &str| r[k].as_i64().unwrap_or(-1);
        let ports_match = match r["protocol"].as_str() {
            // AWS reports no ports for "all protocols"; kOps asks 0-0.
            Some("-1") => ports == (0, 0) || ports == (-1, -1),
            _ => (port("from"), port("to")) == ports,
        };
        let source_match = match source.split_once(':') {
            Some(("cidr", c)) => r["cidr"] == c,
            Some(("ipv6", c)) => r["ipv6Cidr"] == c,
            Some(("sg", g)) => r["sourceGroup"] == format!("{g}.{C}"),
            _ => false,
        };
        r["group"] == group.as_str()
            && r["direction"] == direction
            && protocol.iter().any(|p| r["protocol"] == *p)
            && ports_match
            && source_match
    })
}

#[track_caller]
fn expect_rule(
    got: &Value,
    group: &str,
    direction: &str,
    protocol: &[&str],
    ports: (i64, i64),
    source: &str,
) {
    assert!(
        has_rule(got, group, direction, protocol, ports, source),
        "no {direction} rule {protocol:?} {ports:?} from {source} on {group}; read back:\n{:#}",
        got["rules"]
    );
}

/// SPEC 7 security groups: names, egress everywhere in both families, SSH and API access with
/// IPv6 CIDRs in the IPv6 fields, path MTU, and kOps' group-to-group rules.
pub fn expect_security_groups(got: &Value, shape: &Shape) {
    let names: BTreeSet<&str> = got["securityGroups"]
        .as_object()
        .expect("groups")
        .keys()
        .map(String::as_str)
        .collect();
    let mut groups = vec!["api-elb", "masters", "nodes"];
    if shape.has_bastion() {
        groups.extend(["bastion", "bastion-elb"]);
    }
    let want: BTreeSet<String> = groups.iter().map(|g| format!("{g}.{C}")).collect();
    assert_eq!(
        names,
        want.iter().map(String::as_str).collect(),
        "security groups"
    );
    for g in &groups {
        expect_rule(got, g, "egress", &["-1"], (0, 0), "cidr:0.0.0.0/0");
        expect_rule(got, g, "egress", &["-1"], (0, 0), "ipv6:::/0");
    }
    if shape.has_bastion() {
        expect_bastion_rules(got);
    } else {
        for g in ["masters", "nodes"] {
            expect_rule(got, g, "ingress", &["tcp"], (22, 22), "cidr:0.0.0.0/0");
            expect_rule(got, g, "ingress", &["tcp"], (22, 22), "ipv6:::/0");
        }
    }
    expect_rule(
        got,
        "api-elb",
        "ingress",
        &["tcp"],
        (443, 443),
        "cidr:0.0.0.0/0",
    );
    expect_rule(got, "api-elb", "ingress", &["tcp"], (443, 443), "ipv6:::/0");
    expect_rule(
        got,
        "api-elb",
        "ingress",
        &["icmp", "1"],
        (3, 4),
        "cidr:0.0.0.0/0",
    );
    expect_rule(
        got,
        "api-elb",
        "ingress",
        &["icmpv6", "58"],
        (-1, -1),
        "ipv6:::/0",
    );
    // No IPv6 CIDR ever lands in an IPv4 field, nor the other way round.
    for r in rules(got) {
        if let Some(c) = r["cidr"].as_str() {
            assert!(!c.contains(':'), "IPv6 {c} in an IPv4 field: {r}");
        }
        if let Some(c) = r["ipv6Cidr"].as_str() {
            assert!(c.contains(':'), "IPv4 {c} in the IPv6 field: {r}");
        }
    }
    expect_rule(got, "masters", "ingress", &["-1"], (0, 0), "sg:masters");
    expect_rule(got, "nodes", "ingress", &["-1"], (0, 0), "sg:masters");
    expect_rule(got, "nodes", "ingress", &["-1"], (0, 0), "sg:nodes");
    for ports in [(1, 2379), (2382, 4000), (4003, 65535)] {
        expect_rule(got, "masters", "ingress", &["tcp"], ports, "sg:nodes");
    }
    expect_rule(got, "masters", "ingress", &["udp"], (1, 65535), "sg:nodes");
    expect_rule(
        got,
        "masters",
        "ingress",
        &["tcp"],
        (443, 443),
        "sg:api-elb",
    );
    expect_rule(
        got,
        "masters",
        "ingress",
        &["icmp", "1"],
        (3, 4),
        "sg:api-elb",
    );
    expect_rule(
        got,
        "api-elb",
        "ingress",
        &["icmp", "1"],
        (3, 4),
        "sg:masters",
    );
    assert_eq!(
        has_rule(got, "masters", "ingress", &["4"], (0, 65535), "sg:nodes"),
        shape.calico,
        "IP-in-IP from nodes exactly for Calico, as kOps"
    );
}

/// With a bastion, `sshAccess` reaches only the bastion's load balancer (both families, each
/// in its own field, with path MTU), the load balancer the bastion, and the bastion the cluster.
fn expect_bastion_rules(got: &Value) {
    let elb = "bastion-elb";
    expect_rule(got, elb, "ingress", &["tcp"], (22, 22), "cidr:0.0.0.0/0");
    expect_rule(got, elb, "ingress", &["tcp"], (22, 22), "ipv6:::/0");
    expect_rule(
        got,
        elb,
        "ingress",
        &["icmp", "1"],
        (3, 4),
        "cidr:0.0.0.0/0",
    );
    expect_rule(
        got,
        elb,
        "ingress",
        &["icmpv6", "58"],
        (-1, -1),
        "ipv6:::/0",
    );
    expect_rule(got, elb, "ingress", &["icmp", "1"], (3, 4), "sg:bastion");
    expect_rule(
        got,
        "bastion",
        "ingress",
        &["tcp"],
        (22, 22),
        "sg:bastion-elb",
    );
    expect_rule(
        got,
        "bastion",
        "ingress",
        &["icmp", "1"],
        (3, 4),
        "sg:bastion-elb",
    );
    for g in ["masters", "nodes"] {
        expect_rule(got, g, "ingress", &["tcp"], (22, 22), "sg:bastion");
    }
    // No CIDR reaches SSH anywhere but on the load balancer.
    for r in rules(got) {
        let cidr = r["cidr"].is_string() || r["ipv6Cidr"].is_string();
        let ssh = r["protocol"] == "tcp"
            && r["from"].as_i64().is_some_and(|p| p <= 22)
            && r["to"].as_i64().is_some_and(|p| p >= 22);
        if cidr && ssh && r["direction"] == "ingress" {
            assert_eq!(r["group"], format!("bastion-elb.{C}"), "direct SSH: {r}");
        }
    }
}

/// The bastion's Network load balancer (found by its `Name` tag, `bastion.<C>`: the AWS name
/// carries kOps' hash), its TCP 22 listener and target group, and the bastions in it.
pub fn expect_bastion_load_balancer(got: &Value, net: &Value, shape: &Shape) {
    let name_tag = format!("bastion.{C}");
    let lbs = got["loadBalancers"].as_object().expect("load balancers");
    let Some((aws_name, lb)) = lbs
        .iter()
        .find(|(_, lb)| lb["tags"]["Name"] == name_tag.as_str())
    else {
        panic!("no load balancer tagged Name={name_tag}: {lbs:#?}");
    };
    assert!(aws_name.len() <= 32, "{aws_name}");
    assert_eq!(lb["type"], "network");
    assert_eq!(lb["scheme"], "internet-facing");
    assert_eq!(
        lb["ipAddressType"], "dualstack",
        "every subnet has ipv6CIDR"
    );
    let mut want: Vec<String> = shape
        .load_balancer_subnets
        .iter()
        .map(|s| id(subnet(net, s)))
        .collect();
    want.sort();
    assert_eq!(lb["subnets"], serde_json::json!(want), "Utility subnets");
    assert_eq!(
        lb["securityGroups"],
        serde_json::json!([format!("bastion-elb.{C}")])
    );
    let listeners = lb["listeners"].as_array().expect("listeners");
    assert_eq!(listeners.len(), 1, "{listeners:#?}");
    assert_eq!(
        (
            listeners[0]["port"].as_u64(),
            listeners[0]["protocol"].as_str()
        ),
        (Some(22), Some("TCP"))
    );
    let tg_arn = &listeners[0]["targetGroupArn"];
    let (tg_name, tg) = got["targetGroups"]
        .as_object()
        .expect("target groups")
        .iter()
        .find(|(_, tg)| tg["arn"] == *tg_arn)
        .expect("the listener's target group");
    assert_eq!(tg_name, aws_name, "kOps names both after GetResourceName32");
    assert_eq!(
        (tg["port"].as_u64(), tg["protocol"].as_str()),
        (Some(22), Some("TCP"))
    );
    assert_eq!(tg["healthCheckProtocol"], "TCP");
    for g in shape.groups.iter().filter(|g| g.bastion) {
        let asg = &got["autoscalingGroups"][format!("{}.{C}", g.name)];
        assert_eq!(
            asg["targetGroupArns"],
            serde_json::json!([tg_arn]),
            "{}: in the bastion target group",
            g.name
        );
    }
}

/// Launch templates and autoscaling groups, per instance group.
pub fn expect_instance_groups(got: &Value, net: &Value, shape: &Shape) {
    let tg_arn = got["targetGroups"][format!("tcp-{}", C.replace('.', "-"))]["arn"].clone();
    for g in shape.groups {
        let name = if g.control_plane {
            format!("{}.masters.{C}", g.name)
        } else {
            format!("{}.{C}", g.name)
        };
        let lt = &got["launchTemplates"][&name];
        assert!(
            lt.is_object(),
            "no launch template {name}: {:#}",
            got["launchTemplates"]
        );
        let data = &lt["data"];
        assert_eq!(data["ImageId"], shape.image_id, "{name}");
        // No `--ssh-public-key`: no key pair, so no KeyName at all.
        let key_name = match shape.key_pair {
            "" => Value::Null,
            k => Value::from(k),
        };
        assert_eq!(data["KeyName"], key_name, "{name}");
        let md = &data["MetadataOptions"];
        assert_eq!(md["HttpTokens"], "required", "{name}: IMDSv2 only");
        assert_eq!(md["HttpPutResponseHopLimit"], 1, "{name}");
        assert_eq!(
            md["HttpProtocolIpv6"], "enabled",
            "{name}: IPv6 metadata endpoint"
        );
        let nic = &data["NetworkInterfaces"][0];
        assert_eq!(nic["Ipv6AddressCount"], 1, "{name}: one IPv6 address");
        assert_eq!(
            nic["AssociatePublicIpAddress"], g.public,
            "{name}: public IPv4"
        );
        let role = match (g.control_plane, g.bastion) {
            (true, _) => "masters",
            (false, true) => "bastions",
            (false, false) => "nodes",
        };
        assert_eq!(
            data["IamInstanceProfile"]["Name"],
            format!("{role}.{C}"),
            "{name}"
        );
        let root = &data["BlockDeviceMappings"][0]["Ebs"];
        assert_eq!(root["VolumeType"], "gp3", "{name}");
        assert_eq!(root["Encrypted"], true, "{name}");
        let asg = &got["autoscalingGroups"][&name];
        assert!(
            asg.is_object(),
            "no autoscaling group {name}: {:#}",
            got["autoscalingGroups"]
        );
        assert_eq!(
            (asg["min"].as_u64(), asg["max"].as_u64()),
            (Some(g.min), Some(g.max)),
            "{name}"
        );
        let mut want: Vec<String> = g.subnets.iter().map(|s| id(subnet(net, s))).collect();
        want.sort();
        assert_eq!(asg["subnets"], serde_json::json!(want), "{name}: subnets");
        assert_eq!(
            asg["launchTemplate"]["LaunchTemplateId"], lt["id"],
            "{name}"
        );
        assert_eq!(asg["tags"]["kops.k8s.io/instancegroup"], g.name, "{name}");
        assert_eq!(asg["tags"]["KubernetesCluster"], C, "{name}");
        let role_tag = match (g.control_plane, g.bastion) {
            (true, _) => "k8s.io/role/control-plane",
            (false, true) => "k8s.io/role/bastion",
            (false, false) => "k8s.io/role/node",
        };
        assert_eq!(asg["tags"][role_tag], "1", "{name}");
        let tgs = asg["targetGroupArns"].as_array().expect("target groups");
        if g.control_plane {
            assert_eq!(
                tgs,
                &vec![tg_arn.clone()],
                "{name}: in the API target group"
            );
        } else if !g.bastion {
            assert!(tgs.is_empty(), "{name}: nodes are not API targets");
        }
    }
    assert_eq!(
        got["launchTemplates"].as_object().map(|o| o.len()),
        Some(shape.groups.len()),
        "one launch template per instance group"
    );
}

/// The instances each autoscaling group launched, with SPEC 7's settings from its launch
/// template: IMDSv2 only with the IPv6 metadata endpoint, one IPv6 address on the primary
/// interface, the role's security group, a public IPv4 address only on public subnets, in one
/// of the group's subnets; as many as the group's minimum size.
pub fn expect_instances(got: &Value, net: &Value, shape: &Shape) {
    for g in shape.groups {
        let name = if g.control_plane {
            format!("{}.masters.{C}", g.name)
        } else {
            format!("{}.{C}", g.name)
        };
        let instances = got["autoscalingGroups"][&name]["instances"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: no instances read back"));
        assert_eq!(instances.len() as u64, g.min, "{name}: instances");
        let subnets: Vec<String> = g.subnets.iter().map(|s| id(subnet(net, s))).collect();
        let role = if g.control_plane { "masters" } else { "nodes" };
        for i in instances {
            let md = &i["metadata"];
            assert_eq!(md["HttpTokens"], "required", "{name}: IMDSv2 only: {i}");
            assert_eq!(md["HttpProtocolIpv6"], "enabled", "{name}: {i}");
            assert_eq!(
                i["ipv6Addresses"].as_array().map(Vec::len),
                Some(1),
                "{name}: one IPv6 address: {i}"
            );
            assert_eq!(
                i["groups"],
                serde_json::json!([format!("{role}.{C}")]),
                "{name}: {i}"
            );
            assert_eq!(
                i["publicIp"].is_string(),
                g.public,
                "{name}: public IPv4: {i}"
            );
            assert!(
                i["subnetId"]
                    .as_str()
                    .is_some_and(|s| subnets.iter().any(|w| w == s)),
                "{name}: in its subnets {subnets:?}: {i}"
            );
        }
    }
}

/// IAM roles, policies and instance profiles (IPv6 mode).
pub fn expect_iam(got: &Value) {
    for role in ["masters", "nodes"] {
        let name = format!("{role}.{C}");
        let policy = &got["roles"][&name]["policies"][&name];
        let text = policy.to_string();
        assert!(text.contains("ec2:AssignIpv6Addresses"), "{name}: {text}");
        assert!(
            !text.contains("\"s3:*\"") && !text.contains("\"*:*\""),
            "{name}: least privilege"
        );
        assert_eq!(
            got["instanceProfiles"][&name],
            serde_json::json!([name]),
            "{name}"
        );
    }
    let masters =
        got["roles"][format!("masters.{C}")]["policies"][format!("masters.{C}")].to_string();
    assert!(masters.contains("ec2:DescribeNetworkInterfaces"));
    let nodes = got["roles"][format!("nodes.{C}")]["policies"][format!("nodes.{C}")].to_string();
    assert!(!nodes.contains("ec2:DescribeNetworkInterfaces"));
}

/// The API Network load balancer, its listener and target group.
pub fn expect_load_balancer(got: &Value, net: &Value, shape: &Shape) {
    let name = format!("api-{}", C.replace('.', "-"));
    let lb = &got["loadBalancers"][&name];
    assert!(
        lb.is_object(),
        "no load balancer {name}: {:#}",
        got["loadBalancers"]
    );
    assert_eq!(lb["type"], "network");
    assert_eq!(lb["scheme"], "internet-facing");
    assert_eq!(
        lb["ipAddressType"], "dualstack",
        "every subnet has ipv6CIDR"
    );
    let mut want: Vec<String> = shape
        .load_balancer_subnets
        .iter()
        .map(|s| id(subnet(net, s)))
        .collect();
    want.sort();
    assert_eq!(lb["subnets"], serde_json::json!(want));
    assert_eq!(
        lb["securityGroups"],
        serde_json::json!([format!("api-elb.{C}")])
    );
    let tg = &got["targetGroups"][format!("tcp-{}", C.replace('.', "-"))];
    assert_eq!(
        (tg["port"].as_u64(), tg["protocol"].as_str()),
        (Some(443), Some("TCP"))
    );
    assert_eq!(tg["healthCheckProtocol"], "TCP");
    assert_eq!(
        lb["listeners"],
        serde_json::json!([{"port": 443, "protocol": "TCP", "targetGroupArn": tg["arn"]}])
    );
}

/// One encrypted gp3 etcd volume per control-plane zone, tagged for its instance.
pub fn expect_etcd_volumes(got: &Value, shape: &Shape) {
    let vols = got["volumes"].as_object().expect("volumes");
    let etcd: Vec<&String> = vols.keys().filter(|k| k.contains(".etcd-main.")).collect();
    assert_eq!(etcd.len(), shape.etcd_zones.len(), "{vols:#?}");
    for z in shape.etcd_zones {
        let v = &got["volumes"][format!("{z}.etcd-main.{C}")];
        assert_eq!(v["zone"], *z);
        assert_eq!(
            (
                v["type"].as_str(),
                v["encrypted"].as_bool(),
                v["size"].as_u64()
            ),
            (Some("gp3"), Some(true), Some(20))
        );
        assert!(
            v["tags"]["k8s.io/etcd/main"]
                .as_str()
                .is_some_and(|t| t.contains('/')),
            "{v}"
        );
        assert_eq!(v["tags"]["k8s.io/role/control-plane"], "1");
    }
}

/// `api.<C>` A and AAAA aliases to the load balancer, exactly when a DNS zone is set; with a
/// bastion, `bastion.<C>` (its public name) to the bastion's load balancer too.
pub fn expect_dns(got: &Value, shape: &Shape) {
    let all = got["records"].as_array().expect("records");
    if shape.has_bastion() && shape.dns_zone.is_some() {
        expect_bastion_dns(got, all);
    }
    let api_name = format!("api.{C}.");
    let records: Vec<&Value> = if shape.dns_zone.is_some() {
        all.iter()
            .filter(|r| r["name"] == api_name.as_str())
            .collect()
    } else {
        all.iter().collect()
    };
    let Some(zone) = shape.dns_zone else {
        assert!(records.is_empty(), "no DNS zone, no records: {records:#?}");
        return;
    };
    let lb = &got["loadBalancers"][format!("api-{}", C.replace('.', "-"))];
    let dns = lb["dnsName"]
        .as_str()
        .expect("dns name")
        .trim_end_matches('.')
        .to_lowercase();
    let mut types: Vec<&str> = records
        .iter()
        .map(|r| r["type"].as_str().unwrap_or(""))
        .collect();
    types.sort();
    assert_eq!(types, vec!["A", "AAAA"], "{records:#?}");
    for r in records {
        assert_eq!(r["name"], format!("api.{C}."));
        assert_eq!(r["zone"], format!("{}.", zone.trim_end_matches('.')));
        assert_eq!(
            r["alias"].as_str().map(str::to_lowercase),
            Some(dns.clone())
        );
    }
}

fn expect_bastion_dns(got: &Value, records: &[Value]) {
    let name = format!("bastion.{C}.");
    let lb = got["loadBalancers"]
        .as_object()
        .expect("load balancers")
        .values()
        .find(|lb| lb["tags"]["Name"] == format!("bastion.{C}").as_str())
        .expect("the bastion's load balancer");
    let dns = lb["dnsName"]
        .as_str()
        .expect("dns name")
        .trim_end_matches('.')
        .to_lowercase();
    let mine: Vec<&Value> = records
        .iter()
        .filter(|r| r["name"] == name.as_str())
        .collect();
    let mut types: Vec<&str> = mine
        .iter()
        .map(|r| r["type"].as_str().unwrap_or(""))
        .collect();
    types.sort();
    assert_eq!(types, vec!["A", "AAAA"], "{records:#?}");
    for r in mine {
        assert_eq!(
            r["alias"].as_str().map(str::to_lowercase),
            Some(dns.clone())
        );
    }
}

/// Everything above.
pub fn expect_cluster(got: &Value, net: &Value, shape: &Shape) {
    expect_security_groups(got, shape);
    expect_iam(got);
    match shape.key_pair {
        // No `--ssh-public-key`: the cluster owns no key pair.
        "" => assert_eq!(got["keyPairs"], serde_json::json!({}), "no key pair"),
        k => assert!(
            got["keyPairs"][k].is_object(),
            "key pair {k}: {:#}",
            got["keyPairs"]
        ),
    }
    expect_load_balancer(got, net, shape);
    if shape.has_bastion() {
        expect_bastion_load_balancer(got, net, shape);
    }
    expect_etcd_volumes(got, shape);
    expect_instance_groups(got, net, shape);
    expect_dns(got, shape);
}

/// Standard base64, as the EC2 API returns user data (the test bed has no base64 crate).
pub fn decode_base64(s: &str) -> Vec<u8> {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()) {
        let v = ABC.iter().position(|x| *x == c).expect("base64") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// The API load balancer's DNS name, as AWS reports it (the cluster has one load balancer).
pub fn api_load_balancer_dns_name(got: &Value) -> String {
    let lbs = got["loadBalancers"].as_object().expect("load balancers");
    assert_eq!(lbs.len(), 1, "one load balancer: {lbs:?}");
    let dns = lbs.values().next().unwrap()["dnsName"].as_str();
    dns.expect("the load balancer has a DNS name").to_string()
}

/// Each launch template's user data as AWS returns it, decoded, by template name.
pub fn launch_template_user_data(got: &Value) -> std::collections::BTreeMap<String, String> {
    let templates = got["launchTemplates"]
        .as_object()
        .expect("launch templates");
    templates
        .iter()
        .map(|(name, t)| {
            let b64 = t["data"]["UserData"]
                .as_str()
                .unwrap_or_else(|| panic!("{name} has no user data"));
            let text = String::from_utf8(decode_base64(b64)).expect("utf-8 user data");
            (name.clone(), text)
        })
        .collect()
}
