//! IAM kinds (SPEC 7: a role, its inline policy and an instance profile per instance role),
//! and what they share. IAM has no tag filter on its List calls, so discovery lists the
//! cluster's names (`<role>.<cluster>`) and reads each one's tags to check the owned tag.

pub mod instance_profile;
pub mod role;
pub mod role_policy;

use aws_sdk_iam::types::Tag;
use kops6_model::graph::Tags;
use kops6_model::specs::Role;

/// Whether an IAM name is one of the cluster's (`masters.<cluster>`, `nodes.<cluster>`, ...),
/// including the names cut to IAM's 64 characters with kOps' hash for a long cluster name.
pub(crate) fn is_cluster_name(name: &str, cluster: &str) -> bool {
    let whole = name
        .strip_suffix(cluster)
        .is_some_and(|prefix| prefix.ends_with('.') && prefix.len() > 1);
    whole
        || [
            Role::ControlPlane,
            Role::ApiServer,
            Role::Node,
            Role::Bastion,
        ]
        .into_iter()
        .any(|r| kops6_model::iam_name(cluster, r) == name)
}

pub(crate) fn tags_of(tags: &[Tag]) -> Tags {
    tags.iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect()
}

pub(crate) fn iam_tags(tags: &Tags) -> Vec<Tag> {
    tags.iter()
        .filter_map(|(k, v)| Tag::builder().key(k).value(v).build().ok())
        .collect()
}

/// A policy document as JSON, whether IAM returned it percent-encoded (as the real API does)
/// or plain; `None` when it is neither.
pub fn policy_json(doc: &str) -> Option<serde_json::Value> {
    serde_json::from_str(doc).ok().or_else(|| {
        let decoded = percent_encoding::percent_decode_str(doc)
            .decode_utf8()
            .ok()?;
        serde_json::from_str(&decoded).ok()
    })
}

/// Whether two policy documents say the same (whitespace and key order do not count).
pub fn same_policy(found: &str, desired: &str) -> bool {
    match (policy_json(found), policy_json(desired)) {
        (Some(a), Some(b)) => a == b,
        _ => found == desired,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_percent_encoded_document_is_the_same_policy_as_its_json() {
        let json = r#"{"Version": "2012-10-17", "Statement": []}"#;
        let encoded = "%7B%22Statement%22%3A%20%5B%5D%2C%22Version%22%3A%222012-10-17%22%7D";
        assert!(same_policy(encoded, json));
        assert!(!same_policy(encoded, r#"{"Version": "2012-10-17"}"#));
    }

    #[test]
    fn cluster_names_are_a_prefix_a_dot_and_the_cluster() {
        assert!(is_cluster_name("masters.c.example.com", "c.example.com"));
        assert!(!is_cluster_name("c.example.com", "c.example.com"));
        assert!(!is_cluster_name("mastersc.example.com", "c.example.com"));
        assert!(!is_cluster_name("masters.d.example.com", "c.example.com"));
    }

    #[test]
    fn a_long_cluster_names_cut_iam_names_are_the_clusters() {
        let cluster = "a-cluster-name-of-sixty-characters-for-the-limit.example.com";
        let cut = kops6_model::iam_name(cluster, Role::ControlPlane);
        assert_eq!(cut.len(), 64, "{cut}");
        assert!(is_cluster_name(&cut, cluster));
        assert!(!is_cluster_name(&cut, "other.example.com"));
        let other = kops6_model::iam_name(
            "b-cluster-name-of-sixty-characters-for-the-limit.example.com",
            Role::ControlPlane,
        );
        assert!(!is_cluster_name(&other, cluster));
    }
}
