//! Security group rules (SPEC 7), one per protocol, port range and source, IPv4 and IPv6 CIDRs
//! in their own fields. A rule has no name or tag in AWS, so it is matched by its content
//! (group, direction, protocol, ports, source), as the Terraform provider does: a changed rule
//! is a new rule, and the old one is revoked. Found in DescribeSecurityGroups with its group;
//! revoked on its own, so groups that refer to each other can then be deleted.

use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range, PrefixListId, UserIdGroupPair};
use kops6_model::graph::Tags;
use kops6_model::specs::{Direction, RuleSource, SecurityGroupRuleSpec};
use kops6_model::{Key, Kind, Resource, Spec};

use super::{not_updatable, wrong_spec};
use crate::actual::{Found, Observed};
use crate::compare::{or_unknown, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::error::AwsError;
use crate::kind::{AwsKind, BoxFuture, Discovered, Discovery, Name};
use crate::wait::fresh;

pub struct SecurityGroupRule;

/// One rule as AWS holds it. Its identity is all of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleObserved {
    pub group_id: String,
    pub egress: bool,
    /// As EC2 writes it: `-1`, `tcp`, `udp`, `icmp`, `icmpv6`, or a number.
    pub protocol: String,
    pub from_port: i32,
    pub to_port: i32,
    /// A CIDR or a security group ID.
    pub source: String,
}

impl RuleObserved {
    /// The logical name of a rule: its content. Ports do not count for every-protocol rules
    /// (EC2 drops them).
    pub fn identity(&self) -> String {
        let dir = if self.egress { "egress" } else { "ingress" };
        let ports = if self.protocol == "-1" {
            "all".to_string()
        } else {
            format!("{}-{}", self.from_port, self.to_port)
        };
        format!(
            "{}/{dir}/{}/{ports}/{}",
            self.group_id, self.protocol, self.source
        )
    }
}

/// EC2's protocol names: `58` is `icmpv6`, and so on, so both sides compare alike.
fn normal_protocol(p: &str) -> String {
    match p {
        "6" => "tcp".into(),
        "17" => "udp".into(),
        "1" => "icmp".into(),
        "58" => "icmpv6".into(),
        "all" => "-1".into(),
        other => other.to_lowercase(),
    }
}

/// Every rule of a described group, one per source.
pub fn rules_of(g: &aws_sdk_ec2::types::SecurityGroup, group_id: &str) -> Vec<Discovered> {
    let mut out = Vec::new();
    for (egress, perms) in [
        (false, g.ip_permissions()),
        (true, g.ip_permissions_egress()),
    ] {
        for p in perms {
            let protocol = normal_protocol(p.ip_protocol().unwrap_or("-1"));
            let mut sources: Vec<String> = Vec::new();
            sources.extend(
                p.ip_ranges()
                    .iter()
                    .filter_map(|r| r.cidr_ip().map(str::to_string)),
            );
            sources.extend(
                p.ipv6_ranges()
                    .iter()
                    .filter_map(|r| r.cidr_ipv6().map(str::to_string)),
            );
            sources.extend(
                p.user_id_group_pairs()
                    .iter()
                    .filter_map(|u| u.group_id().map(str::to_string)),
            );
            sources.extend(
                p.prefix_list_ids()
                    .iter()
                    .filter_map(|l| l.prefix_list_id().map(str::to_string)),
            );
            for source in sources {
                let rule = RuleObserved {
                    group_id: group_id.to_string(),
                    egress,
                    protocol: protocol.clone(),
                    from_port: p.from_port().unwrap_or(0),
                    to_port: p.to_port().unwrap_or(0),
                    source: source.clone(),
                };
                let mut refs = vec![group_id.to_string()];
                if source.starts_with("sg-") {
                    refs.push(source);
                }
                out.push(Discovered {
                    kind: Kind::SecurityGroupRule,
                    name: Name::Given(rule.identity()),
                    found: Found {
                        id: rule.identity(),
                        tags: Tags::new(),
                        refs,
                        observed: Observed::new(rule),
                    },
                });
            }
        }
    }
    out
}

/// The desired rule with IDs resolved as far as they are known.
fn desired_rule(
    r: &SecurityGroupRuleSpec,
    id: impl Fn(&kops6_model::Value) -> Option<String>,
) -> RuleObserved {
    RuleObserved {
        group_id: or_unknown(id(&r.group)),
        egress: r.direction == Direction::Egress,
        protocol: normal_protocol(r.protocol.as_aws()),
        from_port: r.from_port,
        to_port: r.to_port,
        source: match &r.source {
            RuleSource::Ipv4(n) => n.to_string(),
            RuleSource::Ipv6(n) => n.to_string(),
            RuleSource::PrefixList(list) => list.clone(),
            RuleSource::Group(g) => or_unknown(id(g)),
        },
    }
}

/// The rule as one EC2 permission.
fn permission(r: &SecurityGroupRuleSpec, source_group: Option<String>) -> IpPermission {
    let b = IpPermission::builder()
        .ip_protocol(r.protocol.as_aws())
        .from_port(r.from_port)
        .to_port(r.to_port);
    match (&r.source, source_group) {
        (RuleSource::Ipv4(n), _) => b.ip_ranges(IpRange::builder().cidr_ip(n.to_string()).build()),
        (RuleSource::Ipv6(n), _) => {
            b.ipv6_ranges(Ipv6Range::builder().cidr_ipv6(n.to_string()).build())
        }
        (RuleSource::PrefixList(list), _) => {
            b.prefix_list_ids(PrefixListId::builder().prefix_list_id(list).build())
        }
        (RuleSource::Group(_), g) => {
            b.user_id_group_pairs(UserIdGroupPair::builder().set_group_id(g).build())
        }
    }
    .build()
}

/// The permission of a discovered rule, to revoke it.
fn observed_permission(r: &RuleObserved) -> IpPermission {
    let b = IpPermission::builder()
        .ip_protocol(&r.protocol)
        .from_port(r.from_port)
        .to_port(r.to_port);
    if r.source.starts_with("sg-") {
        b.user_id_group_pairs(UserIdGroupPair::builder().group_id(&r.source).build())
    } else if r.source.starts_with("pl-") {
        b.prefix_list_ids(PrefixListId::builder().prefix_list_id(&r.source).build())
    } else if r.source.contains(':') {
        b.ipv6_ranges(Ipv6Range::builder().cidr_ipv6(&r.source).build())
    } else {
        b.ip_ranges(IpRange::builder().cidr_ip(&r.source).build())
    }
    .build()
}

impl AwsKind for SecurityGroupRule {
    fn kind(&self) -> Kind {
        Kind::SecurityGroupRule
    }

    fn discovery(&self) -> Discovery {
        Discovery::With(Kind::SecurityGroup)
    }

    fn discover<'a>(
        &'a self,
        _aws: &'a Aws,
        _cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn actual_key(&self, desired: &Resource, cx: &Resolve<'_>) -> Key {
        match &desired.spec {
            Spec::SecurityGroupRule(r) => Key::new(
                Kind::SecurityGroupRule,
                desired_rule(r, |v| cx.id(v)).identity(),
            ),
            _ => desired.key.clone(),
        }
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        // Matched by content, so a found rule is the desired one.
        let (Spec::SecurityGroupRule(r), Some(a)) =
            (&desired.spec, found.observed.get::<RuleObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.immutable(
            "rule",
            a.identity(),
            desired_rule(r, |v| cx.id(v)).identity(),
        );
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::SecurityGroupRule(rule) = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let key = &r.key;
            let group = cx.value(key, &rule.group)?;
            let source = match &rule.source {
                RuleSource::Group(g) => Some(cx.value(key, g)?),
                _ => None,
            };
            let perm = permission(rule, source);
            let result = fresh(|| async {
                let r = match rule.direction {
                    Direction::Ingress => cx
                        .aws
                        .ec2
                        .authorize_security_group_ingress()
                        .group_id(&group)
                        .ip_permissions(perm.clone())
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|e| cx.err(e, "authorizing", key)),
                    Direction::Egress => cx
                        .aws
                        .ec2
                        .authorize_security_group_egress()
                        .group_id(&group)
                        .ip_permissions(perm.clone())
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|e| cx.err(e, "authorizing", key)),
                };
                r
            })
            .await;
            match result {
                // A new group comes with an allow-all IPv4 egress rule, which is one of ours.
                Err(e) if e.code() == Some("InvalidPermission.Duplicate") => {}
                other => other?,
            }
            let id = desired_rule(rule, |v| cx.value(key, v).ok()).identity();
            Ok(id)
        })
    }

    fn update<'a>(
        &'a self,
        _cx: &'a Ctx<'a>,
        r: &'a Resource,
        _id: &'a str,
        change: &'a FieldChange,
    ) -> BoxFuture<'a, Result<(), AwsError>> {
        Box::pin(async move { Err(not_updatable(&r.key, change.field)) })
    }

    fn delete<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        key: &'a Key,
        found: &'a Found,
    ) -> BoxFuture<'a, Result<(), AwsError>> {
        Box::pin(async move {
            let Some(rule) = found.observed.get::<RuleObserved>() else {
                return Err(wrong_spec(key));
            };
            let perm = observed_permission(rule);
            let r = if rule.egress {
                cx.aws
                    .ec2
                    .revoke_security_group_egress()
                    .group_id(&rule.group_id)
                    .ip_permissions(perm)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| cx.err(e, "revoking", key))
            } else {
                cx.aws
                    .ec2
                    .revoke_security_group_ingress()
                    .group_id(&rule.group_id)
                    .ip_permissions(perm)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| cx.err(e, "revoking", key))
            };
            r
        })
    }
}
