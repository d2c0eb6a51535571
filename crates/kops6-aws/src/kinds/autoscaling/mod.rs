//! Auto Scaling kinds (SPEC 7: one autoscaling group per instance group), and what they
//! share: tags, which Auto Scaling keeps with a propagate-at-launch flag each.

pub mod autoscaling_group;

use aws_sdk_autoscaling::types::Tag;
use kops6_model::graph::Tags;

/// The group's tags, each propagated to the instances it launches (as kOps and the
/// Terraform renderer: `propagate_at_launch = true`).
pub(crate) fn group_tags(group: &str, tags: &Tags) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| {
            Tag::builder()
                .resource_id(group)
                .resource_type("auto-scaling-group")
                .key(k)
                .value(v)
                .propagate_at_launch(true)
                .build()
        })
        .collect()
}
