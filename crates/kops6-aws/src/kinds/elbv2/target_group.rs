//! The API target group: TCP 443 with a TCP health check. Name, port and VPC are
//! replace-only; the health check and the deregistration delay change in place.

use aws_sdk_elasticloadbalancingv2::types::{
    ProtocolEnum, TargetGroup as ElbTargetGroup, TargetGroupAttribute, TargetTypeEnum,
};
use kops6_model::graph::Tags;
use kops6_model::{Key, Kind, Resource, Spec};

use super::elb_tags;
use crate::actual::{Found, Observed};
use crate::compare::{Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::error::{api_error, AwsError};
use crate::kind::{AwsKind, BoxFuture, Discovered, Discovery, Name};
use crate::kinds::ec2::{not_updatable, wrong_spec};

pub struct TargetGroup;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetGroupObserved {
    pub name: String,
    pub vpc_id: String,
    pub port: i32,
    pub healthy_threshold: i32,
    pub unhealthy_threshold: i32,
    pub interval_seconds: i32,
    pub deregistration_delay_seconds: Option<String>,
}

const DEREGISTRATION: &str = "deregistration_delay.timeout_seconds";

/// Every target group of the account (DescribeTargetGroups has no tag filter).
pub(super) async fn list(aws: &Aws, cluster: &str) -> Result<Vec<ElbTargetGroup>, AwsError> {
    let what = format!("target groups of cluster {cluster}");
    aws.elbv2
        .describe_target_groups()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| api_error(e, "listing", &what, &aws.endpoint))
}

/// The owned ones of `all`, judged by `tags` (read with the load balancers'), each with its
/// attributes (DescribeTargetGroupAttributes takes one group: no batch form).
pub(super) async fn discovered(
    aws: &Aws,
    cluster: &str,
    all: Vec<ElbTargetGroup>,
    tags: &[(String, Tags)],
) -> Result<Vec<Discovered>, AwsError> {
    let ep = aws.endpoint.as_str();
    let mut out = Vec::new();
    for t in all {
        let arn = t.target_group_arn().unwrap_or_default().to_string();
        let Some(tags) = super::owned_tags(tags, &arn, cluster) else {
            continue;
        };
        let attrs = aws
            .elbv2
            .describe_target_group_attributes()
            .target_group_arn(&arn)
            .send()
            .await
            .map_err(|e| api_error(e, "reading the attributes of", &arn, ep))?;
        let delay = attrs
            .attributes()
            .iter()
            .find(|a| a.key() == Some(DEREGISTRATION))
            .and_then(|a| a.value().map(str::to_string));
        let vpc_id = t.vpc_id().unwrap_or_default().to_string();
        out.push(Discovered {
            kind: Kind::TargetGroup,
            name: Name::from_tags(tags),
            found: Found {
                id: arn,
                tags: tags.clone(),
                refs: vec![vpc_id.clone()],
                observed: Observed::new(TargetGroupObserved {
                    name: t.target_group_name().unwrap_or_default().to_string(),
                    vpc_id,
                    port: t.port().unwrap_or(0),
                    healthy_threshold: t.healthy_threshold_count().unwrap_or(0),
                    unhealthy_threshold: t.unhealthy_threshold_count().unwrap_or(0),
                    interval_seconds: t.health_check_interval_seconds().unwrap_or(0),
                    deregistration_delay_seconds: delay,
                }),
            },
        });
    }
    Ok(out)
}

impl AwsKind for TargetGroup {
    fn kind(&self) -> Kind {
        Kind::TargetGroup
    }

    /// With the load balancers, so one DescribeTags answers for both
    /// ([`discovered`]).
    fn discovery(&self) -> Discovery {
        Discovery::With(Kind::LoadBalancer)
    }

    fn discover<'a>(
        &'a self,
        _aws: &'a Aws,
        _cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::TargetGroup(s), Some(a)) =
            (&desired.spec, found.observed.get::<TargetGroupObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.immutable("name", &a.name, &s.aws_name);
        c.immutable("port", a.port, s.port);
        c.id("vpc", &a.vpc_id, cx.id(&s.vpc));
        c.mutable("healthyThreshold", a.healthy_threshold, s.healthy_threshold);
        c.mutable(
            "unhealthyThreshold",
            a.unhealthy_threshold,
            s.unhealthy_threshold,
        );
        c.mutable("interval", a.interval_seconds, s.interval_seconds);
        c.mutable(
            "deregistrationDelay",
            crate::compare::opt(&a.deregistration_delay_seconds),
            s.deregistration_delay_seconds,
        );
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::TargetGroup(s) = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let out = cx
                .aws
                .elbv2
                .create_target_group()
                .name(&s.aws_name)
                .protocol(ProtocolEnum::Tcp)
                .port(s.port.into())
                .vpc_id(cx.value(&r.key, &s.vpc)?)
                .target_type(TargetTypeEnum::Instance)
                .health_check_protocol(ProtocolEnum::Tcp)
                .healthy_threshold_count(s.healthy_threshold as i32)
                .unhealthy_threshold_count(s.unhealthy_threshold as i32)
                .health_check_interval_seconds(s.interval_seconds as i32)
                .set_tags(Some(elb_tags(&r.tags)))
                .send()
                .await
                .map_err(|e| cx.err(e, "creating", &r.key))?;
            let arn = out
                .target_groups()
                .first()
                .and_then(|t| t.target_group_arn())
                .unwrap_or_default()
                .to_string();
            set_delay(cx, r, &arn, s.deregistration_delay_seconds).await?;
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
            let Spec::TargetGroup(s) = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            match change.field {
                "tags" => cx
                    .aws
                    .elbv2
                    .add_tags()
                    .resource_arns(id)
                    .set_tags(Some(elb_tags(&r.tags)))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| cx.err(e, "tagging", &r.key)),
                "healthyThreshold" | "unhealthyThreshold" | "interval" => cx
                    .aws
                    .elbv2
                    .modify_target_group()
                    .target_group_arn(id)
                    .healthy_threshold_count(s.healthy_threshold as i32)
                    .unhealthy_threshold_count(s.unhealthy_threshold as i32)
                    .health_check_interval_seconds(s.interval_seconds as i32)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| cx.err(e, "changing the health check of", &r.key)),
                "deregistrationDelay" => set_delay(cx, r, id, s.deregistration_delay_seconds).await,
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
                .delete_target_group()
                .target_group_arn(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}

async fn set_delay(cx: &Ctx<'_>, r: &Resource, arn: &str, seconds: u32) -> Result<(), AwsError> {
    cx.aws
        .elbv2
        .modify_target_group_attributes()
        .target_group_arn(arn)
        .attributes(
            TargetGroupAttribute::builder()
                .key(DEREGISTRATION)
                .value(seconds.to_string())
                .build(),
        )
        .send()
        .await
        .map(|_| ())
        .map_err(|e| cx.err(e, "setting the deregistration delay of", &r.key))
}
