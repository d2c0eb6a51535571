//! The API Network load balancer (`dualstack` when every subnet has IPv6). Name and scheme are
//! replace-only; subnets, security groups, IP address type and cross-zone balancing change in
//! place. Its listeners are read with it ([`super::listener`]).

use aws_sdk_elasticloadbalancingv2::types::{
    IpAddressType, LoadBalancer as ElbLoadBalancer, LoadBalancerAttribute, LoadBalancerSchemeEnum,
    LoadBalancerTypeEnum,
};
use kops6_model::graph::Tags;
use kops6_model::{Key, Kind, Resource, Spec};

use super::listener::ListenerObserved;
use super::{elb_tags, tags_of, target_group};
use crate::actual::{Found, Observed};
use crate::compare::{or_unknown, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::error::{api_error, AwsError};
use crate::kind::{AwsKind, BoxFuture, Discovered, Name};
use crate::kinds::ec2::{not_updatable, wrong_spec};

pub struct LoadBalancer;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadBalancerObserved {
    pub name: String,
    pub internal: bool,
    pub dualstack: bool,
    /// Sorted.
    pub subnets: Vec<String>,
    /// Sorted.
    pub security_groups: Vec<String>,
    pub cross_zone: bool,
    /// As AWS gives it: what the `api.<C>` alias records point at, and the nodes' API name
    /// without a DNS zone.
    pub dns_name: String,
    /// The Route53 zone of `dns_name`, which an alias record names with it.
    pub canonical_zone: String,
    pub vpc: String,
}

impl LoadBalancerObserved {
    /// [`Self::dns_name`] lower case without a trailing dot, as alias targets are compared.
    pub fn plain_dns_name(&self) -> String {
        crate::kinds::route53::plain_name(&self.dns_name)
    }
}

const CROSS_ZONE: &str = "load_balancing.cross_zone.enabled";

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

impl AwsKind for LoadBalancer {
    fn kind(&self) -> Kind {
        Kind::LoadBalancer
    }

    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async move {
            let ep = aws.endpoint.as_str();
            let what = format!("load balancers of cluster {cluster}");
            let lbs = async {
                aws.elbv2
                    .describe_load_balancers()
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>()
                    .await
                    .map_err(|e| api_error(e, "listing", &what, ep))
            };
            let (all, groups) = tokio::try_join!(lbs, target_group::list(aws, cluster))?;
            // One DescribeTags (20 ARNs a call, of any ELBv2 kind) for the load balancers and
            // the target groups: the target groups are discovered here for that.
            let arns: Vec<String> = all
                .iter()
                .filter_map(|l| l.load_balancer_arn().map(str::to_string))
                .chain(
                    groups
                        .iter()
                        .filter_map(|t| t.target_group_arn().map(str::to_string)),
                )
                .collect();
            let tags = tags_of(aws, &arns).await?;
            let mut out = target_group::discovered(aws, cluster, groups, &tags).await?;
            for lb in all {
                let arn = lb.load_balancer_arn().unwrap_or_default().to_string();
                let Some(tags) = super::owned_tags(&tags, &arn, cluster) else {
                    continue;
                };
                let attrs = aws
                    .elbv2
                    .describe_load_balancer_attributes()
                    .load_balancer_arn(&arn)
                    .send()
                    .await
                    .map_err(|e| api_error(e, "reading the attributes of", &arn, ep))?;
                let cross_zone = attrs
                    .attributes()
                    .iter()
                    .any(|a| a.key() == Some(CROSS_ZONE) && a.value() == Some("true"));
                let name = Name::from_tags(tags);
                let listeners = aws
                    .elbv2
                    .describe_listeners()
                    .load_balancer_arn(&arn)
                    .send()
                    .await
                    .map_err(|e| api_error(e, "listing the listeners of", &arn, ep))?;
                let lb_name = match &name {
                    Name::Given(n) => n.clone(),
                    _ => arn.clone(),
                };
                for l in listeners.listeners() {
                    let target_group = l
                        .default_actions()
                        .iter()
                        .find_map(|a| a.target_group_arn().map(str::to_string));
                    let port = l.port().unwrap_or(0);
                    out.push(Discovered {
                        kind: Kind::Listener,
                        name: Name::Given(format!("{lb_name}-{port}")),
                        found: Found {
                            id: l.listener_arn().unwrap_or_default().to_string(),
                            tags: Tags::new(),
                            refs: std::iter::once(arn.clone())
                                .chain(target_group.clone())
                                .collect(),
                            observed: Observed::new(ListenerObserved { port, target_group }),
                        },
                    });
                }
                let observed = observed_of(&lb, cross_zone);
                let mut refs = observed.subnets.clone();
                refs.extend(observed.security_groups.clone());
                out.push(Discovered {
                    kind: Kind::LoadBalancer,
                    name,
                    found: Found {
                        id: arn,
                        tags: tags.clone(),
                        refs,
                        observed: Observed::new(observed),
                    },
                });
            }
            Ok(out)
        })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::LoadBalancer(s), Some(a)) =
            (&desired.spec, found.observed.get::<LoadBalancerObserved>())
        else {
            return Compare::mismatch(found);
        };
        let ids = |vs: &[kops6_model::Value]| {
            sorted(vs.iter().map(|v| or_unknown(cx.id(v))).collect()).join(",")
        };
        let mut c = Compare::new();
        c.immutable("name", &a.name, &s.aws_name);
        c.immutable("internal", a.internal, s.internal);
        c.mutable("dualstack", a.dualstack, s.dualstack);
        c.mutable("subnets", a.subnets.join(","), ids(&s.subnets));
        c.mutable(
            "securityGroups",
            a.security_groups.join(","),
            ids(&s.security_groups),
        );
        c.mutable("crossZone", a.cross_zone, s.cross_zone);
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::LoadBalancer(s) = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let values = |vs: &[kops6_model::Value]| -> Result<Vec<String>, AwsError> {
                vs.iter().map(|v| cx.value(&r.key, v)).collect()
            };
            let out = cx
                .aws
                .elbv2
                .create_load_balancer()
                .name(&s.aws_name)
                .r#type(LoadBalancerTypeEnum::Network)
                .scheme(if s.internal {
                    LoadBalancerSchemeEnum::Internal
                } else {
                    LoadBalancerSchemeEnum::InternetFacing
                })
                .ip_address_type(address_type(s.dualstack))
                .set_subnets(Some(values(&s.subnets)?))
                .set_security_groups(Some(values(&s.security_groups)?))
                .set_tags(Some(elb_tags(&r.tags)))
                .send()
                .await
                .map_err(|e| cx.err(e, "creating", &r.key))?;
            let created = out.load_balancers().first();
            let arn = created
                .and_then(|l| l.load_balancer_arn())
                .unwrap_or_default()
                .to_string();
            // The answer has what the alias records need, so they need not read it back.
            if let Some(lb) = created {
                cx.observe(&r.key, Observed::new(observed_of(lb, s.cross_zone)));
            }
            if s.cross_zone {
                set_cross_zone(cx, &r.key, &arn, true).await?;
            }
            Ok(arn)
        })
    }

    fn update<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
        id: &'a str,
        change: &'a FieldChange,
    ) -> BoxFuture<'a, Result<(), AwsError>> {
        Box::pin(async move {
            let Spec::LoadBalancer(s) = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let values = |vs: &[kops6_model::Value]| -> Result<Vec<String>, AwsError> {
                vs.iter().map(|v| cx.value(&r.key, v)).collect()
            };
            let elb = &cx.aws.elbv2;
            match change.field {
                "tags" => elb
                    .add_tags()
                    .resource_arns(id)
                    .set_tags(Some(elb_tags(&r.tags)))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| cx.err(e, "tagging", &r.key)),
                "dualstack" => elb
                    .set_ip_address_type()
                    .load_balancer_arn(id)
                    .ip_address_type(address_type(s.dualstack))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| cx.err(e, "setting the address type of", &r.key)),
                "subnets" => elb
                    .set_subnets()
                    .load_balancer_arn(id)
                    .set_subnets(Some(values(&s.subnets)?))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| cx.err(e, "setting the subnets of", &r.key)),
                "securityGroups" => elb
                    .set_security_groups()
                    .load_balancer_arn(id)
                    .set_security_groups(Some(values(&s.security_groups)?))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| cx.err(e, "setting the security groups of", &r.key)),
                "crossZone" => set_cross_zone(cx, &r.key, id, s.cross_zone).await,
                other => Err(not_updatable(&r.key, other)),
            }
        })
    }

    fn delete<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        key: &'a Key,
        found: &'a Found,
    ) -> BoxFuture<'a, Result<(), AwsError>> {
        Box::pin(async move {
            cx.aws
                .elbv2
                .delete_load_balancer()
                .load_balancer_arn(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}

/// What kops6 compares of a load balancer as ELBv2 describes (or creates) it.
pub(crate) fn observed_of(lb: &ElbLoadBalancer, cross_zone: bool) -> LoadBalancerObserved {
    LoadBalancerObserved {
        name: lb.load_balancer_name().unwrap_or_default().to_string(),
        internal: lb.scheme().is_some_and(|s| s.as_str() == "internal"),
        dualstack: lb
            .ip_address_type()
            .is_some_and(|t| t.as_str() == "dualstack"),
        subnets: sorted(
            lb.availability_zones()
                .iter()
                .filter_map(|z| z.subnet_id().map(str::to_string))
                .collect(),
        ),
        security_groups: sorted(lb.security_groups().to_vec()),
        cross_zone,
        dns_name: lb.dns_name().unwrap_or_default().to_string(),
        canonical_zone: lb
            .canonical_hosted_zone_id()
            .unwrap_or_default()
            .to_string(),
        vpc: lb.vpc_id().unwrap_or_default().to_string(),
    }
}

fn address_type(dualstack: bool) -> IpAddressType {
    if dualstack {
        IpAddressType::Dualstack
    } else {
        IpAddressType::Ipv4
    }
}

async fn set_cross_zone(cx: &Ctx<'_>, key: &Key, arn: &str, on: bool) -> Result<(), AwsError> {
    cx.aws
        .elbv2
        .modify_load_balancer_attributes()
        .load_balancer_arn(arn)
        .attributes(
            LoadBalancerAttribute::builder()
                .key(CROSS_ZONE)
                .value(on.to_string())
                .build(),
        )
        .send()
        .await
        .map(|_| ())
        .map_err(|e| cx.err(e, "setting cross-zone balancing of", key))
}
