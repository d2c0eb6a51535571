//! The egress-only internet gateway: outbound-only IPv6 for private subnets. Its VPC is
//! replace-only.

use aws_sdk_ec2::types::ResourceType;
use kops6_model::{Key, Kind, Resource, Spec};

use super::{describe_owned, not_updatable, tag_spec, tags_of, wrong_spec};
use crate::actual::{Found, Observed};
use crate::compare::{Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::discover::is_owned;
use crate::error::AwsError;
use crate::kind::{AwsKind, BoxFuture, Discovered, Name};
use crate::wait::fresh;

pub struct EgressOnlyInternetGateway;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EgressObserved {
    pub attached_vpcs: Vec<String>,
}

impl AwsKind for EgressOnlyInternetGateway {
    fn kind(&self) -> Kind {
        Kind::EgressOnlyInternetGateway
    }

    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async move {
            let all = describe_owned!(
                aws,
                cluster,
                describe_egress_only_internet_gateways,
                "listing egress-only internet gateways of"
            )?;
            let mut out = Vec::new();
            for g in all {
                let id = g
                    .egress_only_internet_gateway_id()
                    .unwrap_or_default()
                    .to_string();
                let tags = tags_of(g.tags());
                if !is_owned(&tags, cluster) {
                    continue;
                }
                let attached_vpcs: Vec<String> = g
                    .attachments()
                    .iter()
                    .filter_map(|a| a.vpc_id().map(str::to_string))
                    .collect();
                out.push(Discovered {
                    kind: Kind::EgressOnlyInternetGateway,
                    name: Name::from_tags(&tags),
                    found: Found {
                        id,
                        tags,
                        refs: attached_vpcs.clone(),
                        observed: Observed::new(EgressObserved { attached_vpcs }),
                    },
                });
            }
            Ok(out)
        })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::EgressOnlyInternetGateway { vpc }, Some(a)) =
            (&desired.spec, found.observed.get::<EgressObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.id("vpc", &a.attached_vpcs.join(","), cx.id(vpc));
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::EgressOnlyInternetGateway { vpc } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let vpc = cx.value(&r.key, vpc)?;
            let out = fresh(|| async {
                cx.aws
                    .ec2
                    .create_egress_only_internet_gateway()
                    .vpc_id(&vpc)
                    .client_token(cx.token(&r.key))
                    .tag_specifications(tag_spec(ResourceType::EgressOnlyInternetGateway, &r.tags))
                    .send()
                    .await
                    .map_err(|e| cx.err(e, "creating", &r.key))
            })
            .await?;
            Ok(out
                .egress_only_internet_gateway()
                .and_then(|g| g.egress_only_internet_gateway_id())
                .unwrap_or_default()
                .to_string())
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
                .delete_egress_only_internet_gateway()
                .egress_only_internet_gateway_id(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}
