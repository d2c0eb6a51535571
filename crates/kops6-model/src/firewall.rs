//! Security groups and their rules (SPEC 7), named as kOps names them
//! (`pkg/model/awsmodel/firewall.go`, `api_loadbalancer.go`, `bastion.go`) so existing tooling
//! keeps working.

use ipnet::IpNet;
use kops6_api::types::AccessSource;

use crate::context::Ctx;
use crate::graph::{Key, Kind, Spec, Value, Why};
use crate::specs::{Direction, Protocol, Role, RuleSource, SecurityGroupRuleSpec};

const SG_RULE: &str = "SPEC 7: security groups";

/// What the firewall builder needs to know of the other builders.
pub(crate) struct Firewall {
    pub api_load_balancer: bool,
    pub calico: bool,
}

struct Rule {
    name: String,
    group: Key,
    direction: Direction,
    protocol: Protocol,
    ports: (i32, i32),
    source: RuleSource,
    why: Why,
}

impl Ctx<'_> {
    pub(crate) fn firewall(&mut self, fw: &Firewall) {
        let masters = self.security_group_key("masters");
        let nodes = self.security_group_key("nodes");
        let roles = self.roles();
        let bastion = roles
            .contains(&Role::Bastion)
            .then(|| self.security_group_key("bastion"));
        let bastion_elb = bastion
            .is_some()
            .then(|| self.security_group_key("bastion-elb"));
        let api_elb = fw
            .api_load_balancer
            .then(|| self.security_group_key("api-elb"));

        let mut groups = vec![(api_elb.clone(), "Security group for api ELB")];
        groups.push((bastion_elb.clone(), "Security group for bastion ELB"));
        groups.push((bastion.clone(), "Security group for bastion"));
        groups.push((Some(masters.clone()), "Security group for masters"));
        groups.push((Some(nodes.clone()), "Security group for nodes"));
        let groups: Vec<(Key, &str)> = groups
            .into_iter()
            .filter_map(|(k, d)| k.map(|k| (k, d)))
            .collect();
        for (key, description) in &groups {
            self.push_tagged(
                key.clone(),
                Spec::SecurityGroup {
                    vpc: self.vpc.clone(),
                    description: description.to_string(),
                },
                Why::new("spec", format!("{SG_RULE}: one group per role")),
            );
        }

        let mut rules = Vec::new();
        for (key, _) in &groups {
            rules.extend(egress_everywhere(key));
        }
        rules.extend(self.group_to_group(&masters, &nodes, fw.calico));
        if let Some(elb) = &api_elb {
            rules.extend(elb_to_control_plane(elb, &masters));
        }
        rules.extend(self.ssh_rules(&masters, &nodes, bastion.as_ref()));
        if let (Some(b), Some(elb)) = (&bastion, &bastion_elb) {
            rules.extend(self.bastion_elb_rules(b, elb));
        }
        rules.extend(self.api_access_rules(api_elb.as_ref().unwrap_or(&masters)));
        rules.extend(self.node_port_rules(&nodes));

        for r in rules {
            self.push(
                Key::new(Kind::SecurityGroupRule, r.name),
                Spec::SecurityGroupRule(SecurityGroupRuleSpec {
                    group: Value::Ref(r.group),
                    direction: r.direction,
                    protocol: r.protocol,
                    from_port: r.ports.0,
                    to_port: r.ports.1,
                    source: r.source,
                }),
                Default::default(),
                r.why,
            );
        }
    }

    fn group_to_group(&self, masters: &Key, nodes: &Key, calico: bool) -> Vec<Rule> {
        let why = |what: &str| Why::new("spec", format!("{SG_RULE}: {what}"));
        let mut out = vec![
            group_rule(
                masters,
                masters,
                Protocol::All,
                (0, 0),
                why("control plane to control plane, all traffic"),
            ),
            group_rule(
                nodes,
                masters,
                Protocol::All,
                (0, 0),
                why("control plane to nodes, all traffic"),
            ),
            group_rule(
                nodes,
                nodes,
                Protocol::All,
                (0, 0),
                why("nodes to nodes, all traffic"),
            ),
        ];
        // Nodes reach the control plane on everything but etcd (2380-2381, 4001-4002).
        for (proto, ports) in [
            (Protocol::Tcp, (1, 2379)),
            (Protocol::Tcp, (2382, 4000)),
            (Protocol::Tcp, (4003, 65535)),
            (Protocol::Udp, (1, 65535)),
        ] {
            out.push(group_rule(
                masters,
                nodes,
                proto,
                ports,
                why("nodes to the control plane, all but etcd"),
            ));
        }
        if calico {
            // kOps opens IP-in-IP for every Calico cluster, though IPv6 Calico does not
            // encapsulate; kept so rule sets match kOps'.
            let mut ipip = group_rule(
                masters,
                nodes,
                Protocol::IpInIp,
                (0, 65535),
                Why::new(
                    "spec.networking.calico",
                    format!("{SG_RULE}: IP-in-IP from nodes, as kOps"),
                ),
            );
            ipip.name = format!("from-{}-ingress-4-0to0-{}", nodes.name, masters.name);
            out.push(ipip);
        }
        out
    }

    /// SSH from `sshAccess` to masters and nodes; with a bastion, only from the bastion (kOps:
    /// a bastion shuts direct SSH off; `sshAccess` then reaches its load balancer).
    fn ssh_rules(&self, masters: &Key, nodes: &Key, bastion: Option<&Key>) -> Vec<Rule> {
        let Some(b) = bastion else {
            let why = Why::new("spec.sshAccess", format!("{SG_RULE}: SSH from sshAccess"));
            let mut out = Vec::new();
            for cidr in &self.spec.ssh_access {
                for t in [masters, nodes] {
                    out.push(cidr_rule(t, cidr, Protocol::Tcp, (22, 22), why.clone()));
                }
            }
            return out;
        };
        let via = Why::new(
            "spec.topology.bastion",
            format!("{SG_RULE}: SSH from the bastion"),
        );
        vec![
            group_rule(masters, b, Protocol::Tcp, (22, 22), via.clone()),
            group_rule(nodes, b, Protocol::Tcp, (22, 22), via),
        ]
    }

    /// The bastion's load balancer group (kOps' `bastion.go`): tcp 22 and path MTU from each
    /// SSH source, tcp 22 and ICMP path MTU from it to the bastion, and path MTU back.
    fn bastion_elb_rules(&self, bastion: &Key, elb: &Key) -> Vec<Rule> {
        let mut out = Vec::new();
        for (source, field) in self.bastion_ssh_sources() {
            let why = |what: &str| Why::new(field, format!("{SG_RULE}: {what}"));
            out.push(cidr_rule(
                elb,
                &source,
                Protocol::Tcp,
                (22, 22),
                why("SSH to the bastion's load balancer"),
            ));
            // kOps gives an IPv4 CIDR the ICMP rule, an IPv6 one the ICMPv6 rule, and a
            // prefix list (family unknown) both.
            let (v4, v6) = match &source {
                AccessSource::Cidr(IpNet::V4(_)) => (true, false),
                AccessSource::Cidr(IpNet::V6(_)) => (false, true),
                AccessSource::PrefixList(_) => (true, true),
            };
            if v6 {
                let mut r = cidr_rule(
                    elb,
                    &source,
                    Protocol::Icmpv6,
                    (-1, -1),
                    why("path MTU discovery to the bastion's load balancer"),
                );
                r.name = format!("icmpv6-pmtu-ssh-nlb-{source}");
                out.push(r);
            }
            if v4 {
                let mut r = cidr_rule(
                    elb,
                    &source,
                    Protocol::Icmp,
                    (3, 4),
                    why("path MTU discovery to the bastion's load balancer"),
                );
                r.name = format!("icmp-pmtu-ssh-nlb-{source}");
                out.push(r);
            }
        }
        let why = |what: &str| Why::new("spec.topology.bastion", format!("{SG_RULE}: {what}"));
        out.push(group_rule(
            bastion,
            elb,
            Protocol::Tcp,
            (22, 22),
            why("SSH from the bastion's load balancer"),
        ));
        out.push(group_rule(
            bastion,
            elb,
            Protocol::Icmp,
            (3, 4),
            why("path MTU, load balancer to bastion"),
        ));
        out.push(group_rule(
            elb,
            bastion,
            Protocol::Icmp,
            (3, 4),
            why("path MTU, bastion to load balancer"),
        ));
        out
    }

    /// tcp 443 from each `kubernetesApiAccess` CIDR, and path MTU discovery for it: ICMP
    /// "fragmentation needed" (type 3, code 4) for IPv4, ICMPv6 (Packet Too Big) for IPv6.
    fn api_access_rules(&self, target: &Key) -> Vec<Rule> {
        let why = |what: &str| Why::new("spec.kubernetesApiAccess", format!("{SG_RULE}: {what}"));
        let target_prefix = target
            .name
            .strip_suffix(&format!(".{}", self.name))
            .unwrap_or(&target.name)
            .to_string();
        let mut out = Vec::new();
        for cidr in &self.spec.kubernetes_api_access {
            out.push(cidr_rule(
                target,
                cidr,
                Protocol::Tcp,
                (443, 443),
                why("HTTPS to the API"),
            ));
            // A prefix list's family is not known offline; kOps gives it the IPv4 rule.
            let (proto, ports, kind) = match cidr {
                AccessSource::Cidr(IpNet::V6(_)) => (Protocol::Icmpv6, (-1, -1), "icmpv6"),
                AccessSource::Cidr(IpNet::V4(_)) | AccessSource::PrefixList(_) => {
                    (Protocol::Icmp, (3, 4), "icmp")
                }
            };
            let mut pmtu = cidr_rule(
                target,
                cidr,
                proto,
                ports,
                why("path MTU discovery to the API"),
            );
            pmtu.name = format!("{kind}-pmtu-{target_prefix}-{cidr}");
            out.push(pmtu);
        }
        out
    }

    fn node_port_rules(&self, nodes: &Key) -> Vec<Rule> {
        let why = Why::new(
            "spec.nodePortAccess",
            format!("{SG_RULE}: NodePort services"),
        );
        let mut out = Vec::new();
        for cidr in &self.spec.node_port_access {
            for (proto, text) in [(Protocol::Tcp, "tcp"), (Protocol::Udp, "udp")] {
                let mut r = cidr_rule(nodes, cidr, proto, (30000, 32767), why.clone());
                r.name = format!("nodeport-{text}-external-to-node-{cidr}");
                out.push(r);
            }
        }
        out
    }
}

/// All protocols out to `0.0.0.0/0` and `::/0`, on every group.
fn egress_everywhere(group: &Key) -> Vec<Rule> {
    let why = Why::new(
        "spec",
        format!("{SG_RULE}: egress to 0.0.0.0/0 and ::/0 on every group"),
    );
    [IpNet::V4(Default::default()), IpNet::V6(Default::default())]
        .into_iter()
        .map(|cidr| Rule {
            name: format!("from-{}-egress-all-0to0-{cidr}", group.name),
            group: group.clone(),
            direction: Direction::Egress,
            protocol: Protocol::All,
            ports: (0, 0),
            source: source_of(&AccessSource::Cidr(cidr)),
            why: why.clone(),
        })
        .collect()
}

/// The API load balancer reaches the control plane on 443, and ICMP path MTU both ways.
fn elb_to_control_plane(elb: &Key, masters: &Key) -> Vec<Rule> {
    let why = |what: &str| Why::new("spec.api.loadBalancer", format!("{SG_RULE}: {what}"));
    let mut https = group_rule(
        masters,
        elb,
        Protocol::Tcp,
        (443, 443),
        why("the API load balancer to the control plane"),
    );
    https.name = "https-elb-to-master".into();
    let mut to_cp = group_rule(
        masters,
        elb,
        Protocol::Icmp,
        (3, 4),
        why("path MTU, load balancer to control plane"),
    );
    to_cp.name = "icmp-pmtu-elb-to-cp".into();
    let mut to_elb = group_rule(
        elb,
        masters,
        Protocol::Icmp,
        (3, 4),
        why("path MTU, control plane to load balancer"),
    );
    to_elb.name = "icmp-pmtu-cp-to-elb".into();
    vec![https, to_cp, to_elb]
}

fn protocol_name(p: Protocol) -> &'static str {
    match p {
        Protocol::All => "all",
        other => other.as_aws(),
    }
}

fn source_of(access: &AccessSource) -> RuleSource {
    match access {
        AccessSource::Cidr(IpNet::V4(n)) => RuleSource::Ipv4(n.trunc()),
        AccessSource::Cidr(IpNet::V6(n)) => RuleSource::Ipv6(n.trunc()),
        AccessSource::PrefixList(id) => RuleSource::PrefixList(id.clone()),
    }
}

/// Ingress into `group` from `source`, named `from-<source>-ingress-<proto>-<from>to<to>-<group>`.
fn group_rule(group: &Key, source: &Key, protocol: Protocol, ports: (i32, i32), why: Why) -> Rule {
    Rule {
        name: format!(
            "from-{}-ingress-{}-{}to{}-{}",
            source.name,
            protocol_name(protocol),
            ports.0,
            ports.1,
            group.name
        ),
        group: group.clone(),
        direction: Direction::Ingress,
        protocol,
        ports,
        source: RuleSource::Group(Value::Ref(source.clone())),
        why,
    }
}

fn cidr_rule(
    group: &Key,
    cidr: &AccessSource,
    protocol: Protocol,
    ports: (i32, i32),
    why: Why,
) -> Rule {
    Rule {
        name: format!(
            "from-{cidr}-ingress-{}-{}to{}-{}",
            protocol_name(protocol),
            ports.0,
            ports.1,
            group.name
        ),
        group: group.clone(),
        direction: Direction::Ingress,
        protocol,
        ports,
        source: source_of(cidr),
        why,
    }
}
