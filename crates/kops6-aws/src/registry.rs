//! The one list of the AWS kinds kops6 applies directly. A new kind is its module under
//! `kinds/<service>/` plus one line here. A kind the model has but this list lacks still
//! compiles: [`get`] answers `None`, and `preview`/`apply` refuse it with
//! [`AwsError::UnsupportedKind`] before any call.

use std::collections::BTreeSet;

use kops6_model::{Key, Kind, ResourceGraph};

use crate::error::AwsError;
use crate::kind::{AwsKind, Op, QUICK_STEP_SECS};
use crate::kinds::{autoscaling, ec2, elbv2, iam, route53};

/// Every registered kind, in no particular order (dependencies come from references).
pub static KINDS: &[&dyn AwsKind] = &[
    &ec2::vpc::Vpc,
    &ec2::dhcp_options::DhcpOptions,
    &ec2::vpc_dhcp_options_association::VpcDhcpOptionsAssociation,
    &ec2::internet_gateway::InternetGateway,
    &ec2::egress_only_internet_gateway::EgressOnlyInternetGateway,
    &ec2::subnet::Subnet,
    &ec2::elastic_ip::ElasticIp,
    &ec2::nat_gateway::NatGateway,
    &ec2::route_table::RouteTable,
    &ec2::route::Route,
    &ec2::route_table_association::RouteTableAssociation,
    &ec2::security_group::SecurityGroup,
    &ec2::security_group_rule::SecurityGroupRule,
    &ec2::key_pair::KeyPair,
    &ec2::ebs_volume::EbsVolume,
    &ec2::launch_template::LaunchTemplate,
    &autoscaling::autoscaling_group::AutoscalingGroup,
    &elbv2::load_balancer::LoadBalancer,
    &elbv2::target_group::TargetGroup,
    &elbv2::listener::Listener,
    &iam::role::IamRole,
    &iam::role_policy::IamRolePolicy,
    &iam::instance_profile::IamInstanceProfile,
    &route53::record::DnsRecord,
];

/// The code of `kind`, if it is registered.
pub fn get(kind: Kind) -> Option<&'static dyn AwsKind> {
    KINDS.iter().copied().find(|k| k.kind() == kind)
}

/// [`AwsKind::typical_secs`] of `kind`, or a quick step's for a kind not registered.
pub fn typical_secs(kind: Kind, op: Op) -> f64 {
    get(kind).map_or(QUICK_STEP_SECS, |k| k.typical_secs(op))
}

/// Whether direct apply handles `kind` (the CLI splits a graph with it).
pub fn supports(kind: Kind) -> bool {
    get(kind).is_some()
}

/// The code of `key`'s kind, or [`AwsError::UnsupportedKind`].
pub fn for_key(key: &Key) -> Result<&'static dyn AwsKind, AwsError> {
    get(key.kind).ok_or_else(|| AwsError::UnsupportedKind {
        kinds: vec![key.kind],
        keys: vec![key.clone()],
    })
}

/// [`AwsError::UnsupportedKind`] for every key whose kind is not registered, if any.
pub fn check_supported<'a>(keys: impl Iterator<Item = &'a Key>) -> Result<(), AwsError> {
    let keys: Vec<Key> = keys.filter(|k| !supports(k.kind)).cloned().collect();
    if keys.is_empty() {
        return Ok(());
    }
    let mut kinds: Vec<Kind> = keys.iter().map(|k| k.kind).collect();
    kinds.sort();
    kinds.dedup();
    Err(AwsError::UnsupportedKind { kinds, keys })
}

/// A launch template whose user data Terraform completes at apply time: direct apply is
/// given the finished text instead, so it never sends a template to EC2.
fn terraform_only(r: &kops6_model::Resource) -> bool {
    matches!(&r.spec, kops6_model::Spec::LaunchTemplate(lt) if lt.user_data_api_load_balancer.is_some())
}

/// The part of `graph` direct apply handles: every resource of a registered kind whose
/// dependencies are in that part too (the graph is in dependency order), and the keys left out.
pub fn direct_part(graph: &ResourceGraph) -> (ResourceGraph, Vec<Key>) {
    let mut kept: BTreeSet<&Key> = BTreeSet::new();
    let mut part = ResourceGraph {
        resources: Vec::new(),
        ..graph.clone()
    };
    let mut left = Vec::new();
    for r in &graph.resources {
        if supports(r.key.kind)
            && !terraform_only(r)
            && r.dependencies().iter().all(|d| kept.contains(d))
        {
            kept.insert(&r.key);
            part.resources.push(r.clone());
        } else {
            left.push(r.key.clone());
        }
    }
    (part, left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slow_steps_outweigh_the_quick_ones_for_the_scheduler() {
        let secs = typical_secs;
        // A NAT gateway's create (waited for until available) is the slowest create, so the
        // chain through it starts first; a forced ASG delete is the slowest delete.
        for kind in KINDS.iter().map(|k| k.kind()) {
            assert!(
                secs(kind, Op::Create) <= secs(Kind::NatGateway, Op::Create),
                "{kind}"
            );
            assert!(
                secs(kind, Op::Delete) <= secs(Kind::AutoscalingGroup, Op::Delete),
                "{kind}"
            );
            assert!(secs(kind, Op::Update) > 0.0, "{kind}");
        }
        assert!(secs(Kind::NatGateway, Op::Create) > 100.0 * QUICK_STEP_SECS);
        assert!(secs(Kind::Vpc, Op::Create) > QUICK_STEP_SECS);
        assert_eq!(secs(Kind::SecurityGroup, Op::Create), QUICK_STEP_SECS);
    }

    #[test]
    fn a_launch_template_with_a_user_data_template_is_left_to_terraform() {
        let set = {
            let new =
                kops6_api::new_cluster::new_cluster(&kops6_api::new_cluster::NewClusterOptions {
                    name: "c.example.com".into(),
                    zones: vec!["us-east-1a".into()],
                    ipv6: true,
                    networking: Some("calico".into()),
                    ..Default::default()
                })
                .unwrap();
            kops6_api::ClusterSpecSet::new(new.cluster, new.instance_groups).unwrap()
        };
        let c = set.check(&Default::default()).unwrap();
        let groups: Vec<String> = c
            .instance_groups
            .iter()
            .map(|g| g.metadata.name.clone())
            .collect();
        let inputs = |templates| kops6_model::ClusterInputs {
            user_data: groups
                .iter()
                .map(|g| (g.clone(), "#cloud-config\n".into()))
                .collect(),
            user_data_needs_api_load_balancer: templates,
            ..Default::default()
        };
        let build = |templates| {
            kops6_model::build_cluster(&c.cluster, &c.instance_groups, &inputs(templates)).unwrap()
        };
        let left = |templates| direct_part(&build(templates)).1;
        assert!(!left(false).iter().any(|k| k.kind == Kind::LaunchTemplate));
        let with_templates = left(true);
        assert!(with_templates
            .iter()
            .any(|k| k.kind == Kind::LaunchTemplate));
        assert!(with_templates
            .iter()
            .any(|k| k.kind == Kind::AutoscalingGroup));
    }
    use crate::kind::{Discovery, Lifetime};

    #[test]
    fn each_kind_is_registered_once() {
        let mut kinds: Vec<Kind> = KINDS.iter().map(|k| k.kind()).collect();
        let n = kinds.len();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), n, "a kind is registered twice: {kinds:?}");
    }

    /// A kind found with another must name a registered kind that has its own Describe, or
    /// nothing would ever discover it (apply would create it again on every run, delete
    /// would leave it).
    #[test]
    fn every_registered_kind_is_discovered() {
        for k in KINDS {
            if let Discovery::With(parent) = k.discovery() {
                let p = get(parent).unwrap_or_else(|| {
                    panic!(
                        "{} is discovered with {parent}, which is not registered",
                        k.kind()
                    )
                });
                assert_eq!(
                    p.discovery(),
                    Discovery::Own,
                    "{} is discovered with {parent}, which has no Describe of its own",
                    k.kind()
                );
            }
        }
    }

    /// A kind that lives inside or as a setting of another is deleted with that one, so that
    /// one must be registered and deleted on its own.
    #[test]
    fn every_registered_kind_is_deleted() {
        for k in KINDS {
            if let Lifetime::Inside(parent) | Lifetime::SettingOf(parent) = k.lifetime() {
                let p = get(parent).unwrap_or_else(|| {
                    panic!("{} goes with {parent}, which is not registered", k.kind())
                });
                assert_eq!(p.lifetime(), Lifetime::Alone, "{parent} is never deleted");
            }
        }
    }

    #[test]
    fn an_unregistered_kind_is_reported_not_a_panic() {
        // Every kind in the model today is registered; the check itself must still say which.
        let keys = [Key::new(Kind::Vpc, "v")];
        assert!(check_supported(keys.iter()).is_ok());
    }
}
