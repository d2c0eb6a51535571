//! NAT gateways (SPEC 6: one per zone, NAT64 for IPv6-only subnets): subnet and Elastic IP
//! are replace-only. Creating and deleting wait for the gateway's state.

use std::time::Duration;

use aws_sdk_ec2::types::{ConnectivityType, Filter, ResourceType};
use kops6_model::{Key, Kind, Resource, Spec};

use super::{not_updatable, owned_filter, tag_spec, tags_of, wrong_spec};
use crate::actual::{Actual, Found, Observed};
use crate::compare::{opt, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::discover::is_owned;
use crate::error::{api_error, AwsError};
use crate::kind::{AwsKind, BoxFuture, Discovered, Name, Op, QUICK_STEP_SECS};
use crate::wait::{fresh, until, Patience, Poll};

pub struct NatGateway;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NatObserved {
    pub vpc_id: String,
    pub subnet_id: String,
    pub allocation_id: Option<String>,
    pub state: String,
}

/// Waits for the gateway to reach `want` ("available" or "deleted"); "failed" ends the wait.
async fn wait_for(
    cx: &Ctx<'_>,
    key: &Key,
    id: &str,
    want: &'static str,
    timeout: Duration,
) -> Result<(), AwsError> {
    let what = format!("{key} ({id}) to be {want}");
    let patience = Patience {
        timeout,
        max_doublings: 3,
    };
    until(&what, patience, || async {
        let out = fresh(|| async {
            cx.aws
                .ec2
                .describe_nat_gateways()
                .nat_gateway_ids(id)
                .send()
                .await
                .map_err(|e| cx.err(e, "reading the state of", key))
        })
        .await?;
        let gateway = out.nat_gateways().first();
        match gateway.and_then(|n| n.state()).map(|s| s.as_str()) {
            Some(s) if s == want => Ok(Poll::Ready(())),
            None if want == "deleted" => Ok(Poll::Ready(())),
            Some("failed") if want == "available" => Err(AwsError::ResourceFailed {
                resource: format!("{key} ({id})"),
                reason: gateway
                    .and_then(|n| n.failure_message())
                    .unwrap_or("no reason given")
                    .to_string(),
            }),
            other => Ok(Poll::Pending(other.unwrap_or("(not found)").to_string())),
        }
    })
    .await
}

impl AwsKind for NatGateway {
    fn kind(&self) -> Kind {
        Kind::NatGateway
    }

    /// A new gateway is `available` after a minute or two, a deleted one `deleted` after
    /// about one; both are waited for.
    fn typical_secs(&self, op: Op) -> f64 {
        match op {
            Op::Create => 120.0,
            Op::Delete => 60.0,
            Op::Update => QUICK_STEP_SECS,
        }
    }

    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async move {
            let what = format!("resources of cluster {cluster}");
            let all = aws
                .ec2
                .describe_nat_gateways()
                .filter(owned_filter(cluster))
                .filter(
                    Filter::builder()
                        .name("state")
                        .values("pending")
                        .values("available")
                        .values("failed")
                        .build(),
                )
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>()
                .await
                .map_err(|e| api_error(e, "listing NAT gateways of", &what, &aws.endpoint))?;
            let mut out = Vec::new();
            for n in all {
                let state = n
                    .state()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default();
                // A failed gateway holds nothing and AWS removes it by itself.
                if state == "failed" {
                    continue;
                }
                let id = n.nat_gateway_id().unwrap_or_default().to_string();
                let tags = tags_of(n.tags());
                if !is_owned(&tags, cluster) {
                    continue;
                }
                let subnet_id = n.subnet_id().unwrap_or_default().to_string();
                let allocation_id = n
                    .nat_gateway_addresses()
                    .first()
                    .and_then(|a| a.allocation_id().map(str::to_string));
                let mut refs = vec![subnet_id.clone()];
                refs.extend(allocation_id.clone());
                out.push(Discovered {
                    kind: Kind::NatGateway,
                    name: Name::from_tags(&tags),
                    found: Found {
                        id,
                        tags,
                        refs,
                        observed: Observed::new(NatObserved {
                            vpc_id: n.vpc_id().unwrap_or_default().to_string(),
                            subnet_id,
                            allocation_id,
                            state,
                        }),
                    },
                });
            }
            Ok(out)
        })
    }

    /// Its VPC's internet gateway cannot be detached while the gateway maps a public address,
    /// so the NAT gateway goes first (the model's `after` says the same for creation).
    fn implied_refs(&self, found: &Found, actual: &Actual) -> Vec<String> {
        let Some(n) = found.observed.get::<NatObserved>() else {
            return Vec::new();
        };
        actual
            .of_kind(Kind::InternetGateway)
            .filter(|(_, g)| super::internet_gateway::attached_vpcs(g).contains(&n.vpc_id))
            .map(|(_, g)| g.id.clone())
            .collect()
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::NatGateway { subnet, allocation }, Some(a)) =
            (&desired.spec, found.observed.get::<NatObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.id("subnet", &a.subnet_id, cx.id(subnet));
        c.id("allocation", &opt(&a.allocation_id), cx.id(allocation));
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::NatGateway { subnet, allocation } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let key = &r.key;
            let (subnet, allocation) = (cx.value(key, subnet)?, cx.value(key, allocation)?);
            let out = fresh(|| async {
                cx.aws
                    .ec2
                    .create_nat_gateway()
                    .subnet_id(&subnet)
                    .allocation_id(&allocation)
                    .connectivity_type(ConnectivityType::Public)
                    .client_token(cx.token(key))
                    .tag_specifications(tag_spec(ResourceType::Natgateway, &r.tags))
                    .send()
                    .await
                    .map_err(|e| cx.err(e, "creating", key))
            })
            .await?;
            let id = out
                .nat_gateway()
                .and_then(|n| n.nat_gateway_id())
                .unwrap_or_default()
                .to_string();
            cx.progress
                .note(&format!("waiting for {key} ({id}) to be available"));
            wait_for(cx, key, &id, "available", cx.opts.nat_gateway_wait).await?;
            Ok(id)
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
            match change.field {
                "tags" => super::create_tags(cx, &r.key, id, &r.tags).await,
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
                .ec2
                .delete_nat_gateway()
                .nat_gateway_id(&found.id)
                .send()
                .await
                .map_err(|e| cx.err(e, "deleting", key))?;
            wait_for(cx, key, &found.id, "deleted", cx.opts.nat_gateway_wait).await
        })
    }
}
