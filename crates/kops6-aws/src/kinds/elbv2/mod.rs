//! Elastic Load Balancing v2 kinds (SPEC 7: the API Network load balancer, its target group
//! and listener), and what they share. ELBv2 Describe calls have no tag filter, so discovery
//! lists, then reads tags with DescribeTags (20 ARNs a call) to keep the owned ones; the load
//! balancer's discovery lists the target groups too, so one DescribeTags answers for both.

pub mod listener;
pub mod load_balancer;
pub mod target_group;

use aws_sdk_elasticloadbalancingv2::types::Tag;
use kops6_model::graph::Tags;

use crate::connect::Aws;
use crate::error::{api_error, AwsError};

pub(crate) fn elb_tags(tags: &Tags) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// The tags of `arn` among those [`tags_of`] read, when they mark it as owned by `cluster`.
pub(crate) fn owned_tags<'a>(
    tags: &'a [(String, Tags)],
    arn: &str,
    cluster: &str,
) -> Option<&'a Tags> {
    tags.iter()
        .find(|(a, _)| a == arn)
        .map(|(_, t)| t)
        .filter(|t| crate::discover::is_owned(t, cluster))
}

/// The tags of each ARN, 20 at a time (DescribeTags' limit).
pub(crate) async fn tags_of(aws: &Aws, arns: &[String]) -> Result<Vec<(String, Tags)>, AwsError> {
    let mut out = Vec::new();
    for chunk in arns.chunks(20) {
        let r = aws
            .elbv2
            .describe_tags()
            .set_resource_arns(Some(chunk.to_vec()))
            .send()
            .await
            .map_err(|e| api_error(e, "reading the tags of", &"load balancers", &aws.endpoint))?;
        for d in r.tag_descriptions() {
            let tags = d
                .tags()
                .iter()
                .filter_map(|t| {
                    Some((
                        t.key()?.to_string(),
                        t.value().unwrap_or_default().to_string(),
                    ))
                })
                .collect();
            out.push((d.resource_arn().unwrap_or_default().to_string(), tags));
        }
    }
    Ok(out)
}
