//! The field tables of `support`: complete against the types, and equal to docs/api-fields.md.

use std::collections::BTreeSet;

use kops6_api::support::{docs_tables, Status, CLUSTER_FIELDS, INSTANCE_GROUP_FIELDS};
use kops6_api::types::*;
mod common;

use common::fields_of;

/// The table's own entries directly under `prefix` (`spec.kubelet` -> `nodeIP`, ...).
fn entries_under(table: &[kops6_api::support::FieldStatus], prefix: &str) -> BTreeSet<String> {
    table
        .iter()
        .filter_map(|f| f.path.strip_prefix(prefix)?.strip_prefix('.'))
        .filter(|rest| !rest.contains('.') && *rest != "*")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_cluster_spec_field_has_a_status() {
    let fields: BTreeSet<String> = fields_of::<ClusterSpec>()
        .into_iter()
        .map(str::to_string)
        .collect();
    assert_eq!(entries_under(CLUSTER_FIELDS, "spec"), fields);
}

#[test]
fn every_instance_group_spec_field_has_a_status() {
    let fields: BTreeSet<String> = fields_of::<InstanceGroupSpec>()
        .into_iter()
        .map(str::to_string)
        .collect();
    assert_eq!(entries_under(INSTANCE_GROUP_FIELDS, "spec"), fields);
}

/// Each field acted on in part lists only fields its type has.
#[test]
fn partly_acted_fields_name_real_sub_fields() {
    let cases: [(&str, BTreeSet<&'static str>); 15] = [
        ("spec.api", fields_of::<ApiSpec>()),
        (
            "spec.api.loadBalancer",
            fields_of::<LoadBalancerAccessSpec>(),
        ),
        ("spec.authorization", fields_of::<AuthorizationSpec>()),
        ("spec.cloudConfig", fields_of::<CloudConfig>()),
        (
            "spec.cloudControllerManager",
            fields_of::<CloudControllerManagerConfig>(),
        ),
        ("spec.etcdClusters[]", fields_of::<EtcdClusterSpec>()),
        ("spec.iam", fields_of::<IamSpec>()),
        ("spec.kubeAPIServer", fields_of::<KubeApiServerConfig>()),
        (
            "spec.kubeControllerManager",
            fields_of::<KubeControllerManagerConfig>(),
        ),
        ("spec.kubeDNS", fields_of::<KubeDnsConfig>()),
        ("spec.kubeProxy", fields_of::<KubeProxyConfig>()),
        ("spec.kubelet", fields_of::<KubeletConfig>()),
        ("spec.masterKubelet", fields_of::<KubeletConfig>()),
        ("spec.subnets[]", fields_of::<ClusterSubnetSpec>()),
        ("spec.topology", fields_of::<TopologySpec>()),
    ];
    for (prefix, fields) in &cases {
        for entry in entries_under(CLUSTER_FIELDS, prefix) {
            assert!(
                fields.contains(entry.as_str()),
                "{prefix}.{entry} is not a field"
            );
        }
        let rest = format!("{prefix}.*");
        assert!(
            CLUSTER_FIELDS.iter().any(|f| f.path == rest),
            "{prefix} has sub-field entries but no {rest}"
        );
    }
    let with_children: BTreeSet<&str> = CLUSTER_FIELDS
        .iter()
        .filter_map(|f| f.path.strip_suffix(".*"))
        .collect();
    let covered: BTreeSet<&str> = cases.iter().map(|(p, _)| *p).collect();
    assert_eq!(with_children, covered);
}

#[test]
fn tables_are_sorted_and_have_no_duplicates() {
    for table in [CLUSTER_FIELDS, INSTANCE_GROUP_FIELDS] {
        let paths: Vec<&str> = table.iter().map(|f| f.path).collect();
        let mut sorted = paths.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(paths, sorted);
    }
}

#[test]
fn refused_and_stored_fields_say_why() {
    for f in CLUSTER_FIELDS.iter().chain(INSTANCE_GROUP_FIELDS) {
        if f.status != Status::Acted {
            assert!(!f.note.is_empty(), "{} has no note", f.path);
        }
    }
}

const DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/api-fields.md");
const START: &str = "<!-- tables: generated from crates/kops6-api/src/support.rs -->\n";
const END: &str = "<!-- end of tables -->\n";

/// `KOPS6_UPDATE_DOCS=1 cargo test -p kops6-api --test support` rewrites the tables.
#[test]
fn docs_table_matches_the_code() {
    let text = std::fs::read_to_string(DOCS).expect("docs/api-fields.md");
    let start = text.find(START).expect("start marker") + START.len();
    let end = text.find(END).expect("end marker");
    let expected = docs_tables();
    if std::env::var_os("KOPS6_UPDATE_DOCS").is_some() {
        let updated = format!("{}{expected}{}", &text[..start], &text[end..]);
        std::fs::write(DOCS, updated).expect("write docs");
        return;
    }
    assert!(
        text[start..end] == expected,
        "docs/api-fields.md is out of date: run KOPS6_UPDATE_DOCS=1 cargo test -p kops6-api --test support"
    );
}

/// kops6's own `create cluster` output writes kOps' defaults for some fields kops6 does not
/// act on (`channel`, etcd requests); those are not requests, so nothing is reported.
#[test]
fn a_cluster_kops6_created_raises_no_warning_and_no_refusal() {
    use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
    for ipv6 in [true, false] {
        let new = new_cluster(&NewClusterOptions {
            name: "ipv6.example.com".into(),
            zones: vec!["us-east-1a".into(), "us-east-1b".into()],
            ipv6,
            bastion: ipv6,
            ..Default::default()
        })
        .expect("valid options");
        let review = kops6_api::support::review(&new.cluster, &new.instance_groups);
        assert_eq!(review, Default::default(), "ipv6: {ipv6}");
    }
}

#[test]
fn a_default_value_somebody_changed_is_reported() {
    use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
    let mut new = new_cluster(&NewClusterOptions {
        name: "ipv6.example.com".into(),
        zones: vec!["us-east-1a".into()],
        ipv6: true,
        ..Default::default()
    })
    .expect("valid options");
    new.cluster.spec.channel = Some("alpha".into());
    new.cluster.spec.etcd_clusters[1].cpu_request = Some("1".into());
    let review = kops6_api::support::review(&new.cluster, &new.instance_groups);
    assert_eq!(
        review.warnings(),
        [
            "stored, not acted on by kops6: spec.channel",
            "stored, not acted on by kops6: spec.etcdClusters[1].cpuRequest",
        ]
    );
}

#[test]
fn a_refused_field_that_asks_for_nothing_is_not_refused() {
    use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
    let mut new = new_cluster(&NewClusterOptions {
        name: "ipv6.example.com".into(),
        zones: vec!["us-east-1a".into()],
        ipv6: true,
        ..Default::default()
    })
    .expect("valid options");
    new.cluster.spec.encryption_config = Some(false);
    new.cluster.spec.use_host_certificates = Some(false);
    assert_eq!(
        kops6_api::support::review(&new.cluster, &new.instance_groups),
        Default::default()
    );
    new.cluster.spec.encryption_config = Some(true);
    let review = kops6_api::support::review(&new.cluster, &new.instance_groups);
    let refused: Vec<&str> = review.refused.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(refused, ["spec.encryptionConfig"]);
}
