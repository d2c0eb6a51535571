//! The bastion's Network load balancer: SSH reaches the bastion only through it (SPEC 7), after
//! kOps' `pkg/model/awsmodel/bastion.go`. Its security group and rules are in `firewall.rs`.

use ipnet::IpNet;
use kops6_api::types::{AccessSource, BastionLoadBalancerSpec, LoadBalancerType, SubnetType};

use crate::context::{resource_name32, Ctx};
use crate::graph::{Key, Kind, Spec, Value, Why};
use crate::network::ModelError;
use crate::specs::{LoadBalancerSpec, Role, TargetGroupSpec};

const BASTION_RULE: &str = "SPEC 7: the bastion's load balancer";
const TYPE_FIELD: &str = "spec.topology.bastion.loadBalancer.type";

/// The keys of the bastion's load balancer and its target group.
pub(crate) struct BastionLoadBalancer {
    pub load_balancer: Key,
    pub target_group: Key,
}

impl Ctx<'_> {
    pub(crate) fn has_bastion(&self) -> bool {
        self.roles().contains(&Role::Bastion)
    }

    fn bastion_lb_spec(&self) -> Option<&BastionLoadBalancerSpec> {
        self.spec
            .topology
            .as_ref()
            .and_then(|t| t.bastion.as_ref())
            .and_then(|b| b.load_balancer.as_ref())
    }

    /// `spec.topology.bastion.loadBalancer.type`; Public unless it says Internal, as kOps.
    fn bastion_lb_internal(&self) -> bool {
        self.bastion_lb_spec().and_then(|l| l.lb_type) == Some(LoadBalancerType::Internal)
    }

    /// Where SSH to the bastion's load balancer may come from: the IPv4 ranges of every subnet
    /// of the load balancer's kind (Utility/Public, or DualStack/Private for an internal one),
    /// then `sshAccess`, as kOps' `sshAllowedCIDRs`. IPv6-only subnets have no IPv4 range.
    pub(crate) fn bastion_ssh_sources(&self) -> Vec<(AccessSource, &'static str)> {
        let kinds = if self.bastion_lb_internal() {
            [SubnetType::DualStack, SubnetType::Private]
        } else {
            [SubnetType::Utility, SubnetType::Public]
        };
        let mut out: Vec<(AccessSource, &'static str)> = Vec::new();
        for s in &self.spec.subnets {
            if let (true, Some(cidr)) = (kinds.contains(&s.subnet_type), s.cidr) {
                let source = AccessSource::Cidr(IpNet::V4(cidr));
                if !out.iter().any(|(o, _)| *o == source) {
                    out.push((source, "spec.subnets[].cidr"));
                }
            }
        }
        for a in &self.spec.ssh_access {
            if !out.iter().any(|(o, _)| o == a) {
                out.push((a.clone(), "spec.sshAccess"));
            }
        }
        out
    }

    /// The NLB `bastion.<C>` (AWS name `bastion-<C>` cut to 32 with kOps' hash), its TCP 22
    /// listener and target group; None without a bastion instance group.
    pub(crate) fn bastion_load_balancer(
        &mut self,
    ) -> Result<Option<BastionLoadBalancer>, ModelError> {
        if !self.has_bastion() {
            return Ok(None);
        }
        let internal = self.bastion_lb_internal();
        let subnets = self.load_balancer_subnets(internal, TYPE_FIELD)?;
        let dualstack = subnets.iter().all(|s| s.ipv6_cidr.is_some());
        let subnet_values: Vec<Value> = subnets.iter().map(|s| self.subnet_value(s)).collect();
        let mut security_groups = vec![Value::Ref(self.security_group_key("bastion-elb"))];
        if let Some(lb) = self.bastion_lb_spec() {
            security_groups.extend(
                lb.additional_security_groups
                    .iter()
                    .map(|g| Value::Shared(g.clone())),
            );
        }
        let family = if dualstack {
            "dualstack"
        } else {
            "IPv4 only: a subnet has no ipv6CIDR"
        };
        let why =
            |what: String| Why::new("spec.topology.bastion", format!("{BASTION_RULE}: {what}"));

        let aws_name = resource_name32(self.name, "bastion");
        let target_group = self.push_tagged(
            Key::new(Kind::TargetGroup, aws_name.clone()),
            Spec::TargetGroup(TargetGroupSpec {
                aws_name: aws_name.clone(),
                vpc: self.vpc.clone(),
                port: 22,
                healthy_threshold: 2,
                unhealthy_threshold: 2,
                interval_seconds: 10,
                deregistration_delay_seconds: 30,
            }),
            why("TCP 22 to the bastion, TCP health check".into()),
        );
        let lb_key = Key::new(Kind::LoadBalancer, self.named("bastion"));
        // kOps tags the bastion's NLB with the cluster's cloudLabels too.
        let mut tags = self.tags(&lb_key.name);
        for (k, v) in &self.spec.cloud_labels {
            tags.insert(k.clone(), v.clone());
        }
        let scheme = if internal {
            "internal"
        } else {
            "internet-facing"
        };
        let load_balancer = self.push(
            lb_key,
            Spec::LoadBalancer(LoadBalancerSpec {
                aws_name,
                internal,
                dualstack,
                subnets: subnet_values,
                security_groups,
                cross_zone: false,
            }),
            tags,
            why(format!("an {scheme} Network load balancer, {family}")),
        );
        self.push(
            Key::new(Kind::Listener, format!("{}-22", self.named("bastion"))),
            Spec::Listener {
                load_balancer: Value::Ref(load_balancer.clone()),
                port: 22,
                target_group: Value::Ref(target_group.clone()),
            },
            Default::default(),
            why("listener TCP 22".into()),
        );
        Ok(Some(BastionLoadBalancer {
            load_balancer,
            target_group,
        }))
    }
}
