//! EC2 kinds, and what they share: the owned-tag filter, tags in and out, and CreateTags.

pub mod dhcp_options;
pub mod ebs_volume;
pub mod egress_only_internet_gateway;
pub mod elastic_ip;
pub mod image;
pub mod instance_type;
pub mod internet_gateway;
pub mod key_pair;
pub mod launch_template;
pub mod nat_gateway;
pub mod route;
pub mod route_table;
pub mod route_table_association;
pub mod security_group;
pub mod security_group_rule;
pub mod subnet;
pub mod vpc;
pub mod vpc_dhcp_options_association;

use aws_sdk_ec2::types::{AttributeBooleanValue, Filter, ResourceType, Tag, TagSpecification};
use kops6_model::graph::Tags;
use kops6_model::Key;

use crate::context::Ctx;
use crate::discover::owned_tag;
use crate::error::AwsError;
use crate::wait::fresh;

/// The server-side filter for resources owned by `cluster` (checked client-side too).
pub(crate) fn owned_filter(cluster: &str) -> Filter {
    Filter::builder()
        .name(format!("tag:{}", owned_tag(cluster)))
        .values("owned")
        .build()
}

pub(crate) fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

pub(crate) fn tags_of(tags: &[Tag]) -> Tags {
    tags.iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_string(),
                t.value().unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

pub(crate) fn aws_tags(tags: &Tags) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// Tags at creation, so a crash never leaves an untagged orphan.
pub(crate) fn tag_spec(resource_type: ResourceType, tags: &Tags) -> TagSpecification {
    TagSpecification::builder()
        .resource_type(resource_type)
        .set_tags(Some(aws_tags(tags)))
        .build()
}

pub(crate) fn flag(v: bool) -> AttributeBooleanValue {
    AttributeBooleanValue::builder().value(v).build()
}

/// Adds or corrects the desired tags of any EC2 resource.
pub(crate) async fn create_tags(
    cx: &Ctx<'_>,
    key: &Key,
    id: &str,
    tags: &Tags,
) -> Result<(), AwsError> {
    fresh(|| async {
        cx.aws
            .ec2
            .create_tags()
            .resources(id)
            .set_tags(Some(aws_tags(tags)))
            .send()
            .await
            .map_err(|e| cx.err(e, "tagging", key))
    })
    .await
    .map(|_| ())
}

/// The error for an update of a field the kind does not change in place.
pub(crate) fn not_updatable(key: &Key, field: &str) -> AwsError {
    AwsError::NotUpdatable {
        key: key.clone(),
        field: field.to_string(),
    }
}

/// The error for a resource whose spec is not of its key's kind (a model bug).
pub(crate) fn wrong_spec(key: &Key) -> AwsError {
    AwsError::WrongSpec { key: key.clone() }
}

/// Lists every page of an EC2 Describe with the owned filter, as one `Vec` of items.
macro_rules! describe_owned {
    ($aws:expr, $cluster:expr, $call:ident, $what:expr) => {{
        let what = format!("resources of cluster {}", $cluster);
        $aws.ec2
            .$call()
            .filters($crate::kinds::ec2::owned_filter($cluster))
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| $crate::error::api_error(e, $what, &what, &$aws.endpoint))
    }};
}
pub(crate) use describe_owned;
