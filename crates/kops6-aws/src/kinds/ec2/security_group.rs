//! Security groups (SPEC 7: one per role, and the API load balancer's). Name, description and
//! VPC are replace-only. One DescribeSecurityGroups also gives every group's rules
//! ([`super::security_group_rule`]).

use aws_sdk_ec2::types::ResourceType;
use kops6_model::{Key, Kind, Resource, Spec};

use super::security_group_rule;
use super::{describe_owned, not_updatable, tag_spec, tags_of, wrong_spec};
use crate::actual::{Found, Observed};
use crate::compare::{Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::discover::is_owned;
use crate::error::AwsError;
use crate::kind::{AwsKind, BoxFuture, Discovered, Name};
use crate::wait::fresh;

pub struct SecurityGroup;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupObserved {
    pub group_name: String,
    pub description: String,
    pub vpc_id: String,
}

impl AwsKind for SecurityGroup {
    fn kind(&self) -> Kind {
        Kind::SecurityGroup
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
                describe_security_groups,
                "listing security groups of"
            )?;
            let mut out = Vec::new();
            for g in all {
                let id = g.group_id().unwrap_or_default().to_string();
                let tags = tags_of(g.tags());
                if !is_owned(&tags, cluster) {
                    continue;
                }
                out.extend(security_group_rule::rules_of(&g, &id));
                let vpc_id = g.vpc_id().unwrap_or_default().to_string();
                out.push(Discovered {
                    kind: Kind::SecurityGroup,
                    name: Name::from_tags(&tags),
                    found: Found {
                        id,
                        tags,
                        refs: vec![vpc_id.clone()],
                        observed: Observed::new(GroupObserved {
                            group_name: g.group_name().unwrap_or_default().to_string(),
                            description: g.description().unwrap_or_default().to_string(),
                            vpc_id,
                        }),
                    },
                });
            }
            Ok(out)
        })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::SecurityGroup { vpc, description }, Some(a)) =
            (&desired.spec, found.observed.get::<GroupObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.immutable("name", &a.group_name, &desired.key.name);
        c.immutable("description", &a.description, description);
        c.id("vpc", &a.vpc_id, cx.id(vpc));
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::SecurityGroup { vpc, description } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let vpc = cx.value(&r.key, vpc)?;
            let out = fresh(|| async {
                cx.aws
                    .ec2
                    .create_security_group()
                    .group_name(&r.key.name)
                    .description(description)
                    .vpc_id(&vpc)
                    .tag_specifications(tag_spec(ResourceType::SecurityGroup, &r.tags))
                    .send()
                    .await
                    .map_err(|e| cx.err(e, "creating", &r.key))
            })
            .await?;
            Ok(out.group_id().unwrap_or_default().to_string())
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
                .delete_security_group()
                .group_id(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}
