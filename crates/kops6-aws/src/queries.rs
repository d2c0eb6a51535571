//! Read-only questions the CLI asks AWS outside an apply: the API load balancer's DNS name
//! (the nodes' API name without a DNS zone, known only once the load balancer exists), a
//! shared VPC's egress-only gateway (so `kubernetes.tf` needs no `-var`), and the cluster's
//! autoscaling groups with their instances (`validate cluster`). None of them changes anything.

use aws_sdk_autoscaling::types::Filter as AsgFilter;

use kops6_model::Kind;

use crate::actual::Actual;
use crate::connect::Aws;
use crate::discover::{is_owned, owned_tag, shared_vpc};
use crate::error::{api_error, AwsError};
use crate::kinds::elbv2::load_balancer::LoadBalancerObserved;

/// The DNS name of the load balancer whose AWS name is `aws_name`, or `None` when there is
/// none yet.
pub async fn load_balancer_dns_name(aws: &Aws, aws_name: &str) -> Result<Option<String>, AwsError> {
    let answer = aws
        .elbv2
        .describe_load_balancers()
        .names(aws_name)
        .send()
        .await;
    match answer {
        Ok(out) => Ok(out
            .load_balancers()
            .first()
            .and_then(|lb| lb.dns_name().map(str::to_string))),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_load_balancer_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(api_error(
            e,
            "finding the load balancer",
            &aws_name,
            &aws.endpoint,
        )),
    }
}

/// The DNS name of the load balancer named `aws_name` among what discovery found (the
/// cluster's own), so an apply needs no DescribeLoadBalancers of its own for it.
pub fn discovered_load_balancer_dns_name(actual: &Actual, aws_name: &str) -> Option<String> {
    actual
        .of_kind(Kind::LoadBalancer)
        .filter_map(|(_, f)| f.observed.get::<LoadBalancerObserved>())
        .find(|lb| lb.name == aws_name && !lb.dns_name.is_empty())
        .map(|lb| lb.dns_name.clone())
}

/// The egress-only internet gateway attached to the shared VPC `vpc_id`, if it has one.
pub async fn egress_only_internet_gateway(
    aws: &Aws,
    vpc_id: &str,
) -> Result<Option<String>, AwsError> {
    Ok(shared_vpc(aws, vpc_id).await?.egress_only_gateway)
}

/// One autoscaling group the cluster owns, as `validate cluster` compares it with the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoscalingGroupState {
    /// The AWS name (`<group>.<cluster>`).
    pub name: String,
    /// The `kops.k8s.io/instancegroup` tag: the instance group it runs.
    pub instance_group: Option<String>,
    pub min_size: u32,
    pub max_size: u32,
    /// Instance IDs whose lifecycle state is `InService`.
    pub in_service: Vec<String>,
    /// Every instance, with its lifecycle state, in ID order.
    pub instances: Vec<(String, String)>,
}

const INSTANCE_GROUP_TAG: &str = "kops.k8s.io/instancegroup";

/// Every autoscaling group tagged as owned by `cluster` (DescribeAutoScalingGroups filtered by
/// the owned tag, every page), in name order. The tag is checked on each answer as well.
pub async fn autoscaling_groups(
    aws: &Aws,
    cluster: &str,
) -> Result<Vec<AutoscalingGroupState>, AwsError> {
    let what = format!("autoscaling groups of cluster {cluster}");
    let groups = aws
        .autoscaling
        .describe_auto_scaling_groups()
        .filters(
            AsgFilter::builder()
                .name(format!("tag:{}", owned_tag(cluster)))
                .values("owned")
                .build(),
        )
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| api_error(e, "listing", &what, &aws.endpoint))?;
    let mut out = Vec::new();
    for g in groups {
        let tags: kops6_model::graph::Tags = g
            .tags()
            .iter()
            .filter_map(|t| {
                Some((
                    t.key()?.to_string(),
                    t.value().unwrap_or_default().to_string(),
                ))
            })
            .collect();
        if !is_owned(&tags, cluster) {
            continue;
        }
        let mut instances: Vec<(String, String)> = g
            .instances()
            .iter()
            .map(|i| {
                (
                    i.instance_id().unwrap_or_default().to_string(),
                    i.lifecycle_state()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                )
            })
            .collect();
        instances.sort();
        let in_service = instances
            .iter()
            .filter(|(_, state)| state == "InService")
            .map(|(id, _)| id.clone())
            .collect();
        out.push(AutoscalingGroupState {
            name: g.auto_scaling_group_name().unwrap_or_default().to_string(),
            instance_group: tags.get(INSTANCE_GROUP_TAG).cloned(),
            min_size: u32::try_from(g.min_size().unwrap_or(0)).unwrap_or(0),
            max_size: u32::try_from(g.max_size().unwrap_or(0)).unwrap_or(0),
            in_service,
            instances,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
