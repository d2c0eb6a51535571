//! The internet gateway, attached to the cluster's VPC. Its attachment is mutable.

use aws_sdk_ec2::types::ResourceType;
use kops6_model::{Key, Kind, Resource, Spec};

use super::{describe_owned, not_updatable, tag_spec, tags_of, wrong_spec};
use crate::actual::{Found, Observed};
use crate::compare::{or_unknown, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::discover::is_owned;
use crate::error::AwsError;
use crate::kind::{AwsKind, BoxFuture, Discovered, Name};
use crate::wait::{fresh, is_gone};

pub struct InternetGateway;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayObserved {
    pub attached_vpcs: Vec<String>,
}

/// The VPCs a discovered internet gateway is attached to.
pub fn attached_vpcs(found: &Found) -> &[String] {
    found
        .observed
        .get::<GatewayObserved>()
        .map(|g| g.attached_vpcs.as_slice())
        .unwrap_or_default()
}

async fn attach(cx: &Ctx<'_>, key: &Key, igw: &str, vpc: &str) -> Result<(), AwsError> {
    fresh(|| async {
        cx.aws
            .ec2
            .attach_internet_gateway()
            .internet_gateway_id(igw)
            .vpc_id(vpc)
            .send()
            .await
            .map_err(|e| cx.err(e, "attaching", key))
    })
    .await
    .map(|_| ())
}

impl AwsKind for InternetGateway {
    fn kind(&self) -> Kind {
        Kind::InternetGateway
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
                describe_internet_gateways,
                "listing internet gateways of"
            )?;
            let mut out = Vec::new();
            for g in all {
                let id = g.internet_gateway_id().unwrap_or_default().to_string();
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
                    kind: Kind::InternetGateway,
                    name: Name::from_tags(&tags),
                    found: Found {
                        id,
                        tags,
                        refs: attached_vpcs.clone(),
                        observed: Observed::new(GatewayObserved { attached_vpcs }),
                    },
                });
            }
            Ok(out)
        })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::InternetGateway { vpc }, Some(a)) =
            (&desired.spec, found.observed.get::<GatewayObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        let vpc = or_unknown(cx.id(vpc));
        if !a.attached_vpcs.contains(&vpc) {
            c.mutable("attachment", a.attached_vpcs.join(","), vpc);
        }
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::InternetGateway { vpc } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let out = cx
                .aws
                .ec2
                .create_internet_gateway()
                .tag_specifications(tag_spec(ResourceType::InternetGateway, &r.tags))
                .send()
                .await
                .map_err(|e| cx.err(e, "creating", &r.key))?;
            let id = out
                .internet_gateway()
                .and_then(|g| g.internet_gateway_id())
                .unwrap_or_default()
                .to_string();
            attach(cx, &r.key, &id, &cx.value(&r.key, vpc)?).await?;
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
            let Spec::InternetGateway { vpc } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            match change.field {
                "tags" => super::create_tags(cx, &r.key, id, &r.tags).await,
                "attachment" => attach(cx, &r.key, id, &cx.value(&r.key, vpc)?).await,
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
            let id = found.id.as_str();
            for vpc in attached_vpcs(found) {
                let r = cx
                    .aws
                    .ec2
                    .detach_internet_gateway()
                    .internet_gateway_id(id)
                    .vpc_id(vpc)
                    .send()
                    .await
                    .map_err(|e| cx.err(e, "detaching", key));
                if let Err(e) = r {
                    if !is_gone(&e) && e.code() != Some("Gateway.NotAttached") {
                        return Err(e);
                    }
                }
            }
            cx.aws
                .ec2
                .delete_internet_gateway()
                .internet_gateway_id(id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}
