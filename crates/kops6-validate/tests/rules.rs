//! `validate cluster`'s rules on API answers shaped like a real API server's.

use kops6_api::complete::Completed;
use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::ClusterSpecSet;
use kops6_validate::*;
use serde_json::{json, Value};

fn spec() -> Completed {
    let new = new_cluster(&NewClusterOptions {
        name: "v6.example.org".into(),
        zones: vec!["us-east-1a".into()],
        ipv6: true,
        networking: Some("cilium".into()),
        kubernetes_version: Some("v1.35.0".into()),
        ..Default::default()
    })
    .unwrap();
    ClusterSpecSet::new(new.cluster, new.instance_groups)
        .unwrap()
        .check(&Default::default())
        .unwrap()
}

fn node(name: &str, group: &str, control_plane: bool, ready: &str, instance: &str) -> Value {
    let mut labels = json!({ INSTANCE_GROUP_LABEL: group });
    if control_plane {
        labels["node-role.kubernetes.io/control-plane"] = json!("");
    }
    json!({"metadata": {"name": name, "labels": labels},
           "spec": {"providerID": format!("aws:///us-east-1a/{instance}"), "podCIDR": "2001:db8:1:2:3::/80"},
           "status": {"conditions": [{"type": "Ready", "status": ready}]}})
}

fn pod(name: &str, class: &str, phase: &str, ready: bool) -> Value {
    json!({"metadata": {"name": name, "namespace": "kube-system"},
           "spec": {"priorityClassName": class, "containers": [{"name": "c"}]},
           "status": {"phase": phase, "containerStatuses": [{"name": "c", "ready": ready, "restartCount": 0, "image": "i", "imageID": ""}]}})
}

fn list(kind: &str, items: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(&json!({"apiVersion": "v1", "kind": kind, "metadata": {}, "items": items}))
        .unwrap()
}

fn healthy() -> (Vec<u8>, Vec<u8>) {
    (
        list(
            "NodeList",
            vec![
                node(
                    "i-0aaa.us-east-1.compute.internal",
                    "control-plane-us-east-1a",
                    true,
                    "True",
                    "i-0aaa",
                ),
                node(
                    "i-0bbb.us-east-1.compute.internal",
                    "nodes-us-east-1a",
                    false,
                    "True",
                    "i-0bbb",
                ),
            ],
        ),
        list(
            "PodList",
            vec![
                pod("coredns-1", "system-cluster-critical", "Running", true),
                pod("job-1", "", "Pending", false),
            ],
        ),
    )
}

fn report(nodes: &[u8], pods: &[u8], aws: Option<&[GroupInstances]>) -> Report {
    validate(
        &spec(),
        aws,
        &parse_nodes(nodes).unwrap(),
        &parse_pods(pods).unwrap(),
    )
}

#[test]
fn a_cluster_with_every_group_ready_and_critical_pods_running_is_valid() {
    let (n, p) = healthy();
    let r = report(&n, &p, None);
    assert_eq!(r.failures, vec![]);
    insta::assert_snapshot!(render_table(&r));
}

#[test]
fn a_node_not_ready_fails_and_its_group_lacks_nodes() {
    let (_, p) = healthy();
    let n = list(
        "NodeList",
        vec![
            node(
                "i-0aaa.us-east-1.compute.internal",
                "control-plane-us-east-1a",
                true,
                "True",
                "i-0aaa",
            ),
            node(
                "i-0bbb.us-east-1.compute.internal",
                "nodes-us-east-1a",
                false,
                "False",
                "i-0bbb",
            ),
        ],
    );
    let r = report(&n, &p, None);
    let kinds: Vec<(&str, &str)> = r
        .failures
        .iter()
        .map(|f| (f.kind.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "Node",
                "node \"i-0bbb.us-east-1.compute.internal\" of role \"node\" is not ready"
            ),
            (
                "InstanceGroup",
                "InstanceGroup \"nodes-us-east-1a\" did not have enough nodes 0 vs 1"
            ),
        ]
    );
    insta::assert_snapshot!(render_table(&r));
}

#[test]
fn a_critical_pod_pending_or_not_ready_fails_and_other_pods_do_not() {
    let (n, _) = healthy();
    let p = list(
        "PodList",
        vec![
            pod("coredns-1", "system-cluster-critical", "Pending", false),
            pod("cilium-x", "system-node-critical", "Running", false),
            pod("job-1", "", "Failed", false),
        ],
    );
    let r = report(&n, &p, None);
    let msgs: Vec<&str> = r.failures.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "system-cluster-critical pod \"coredns-1\" is pending",
            "system-node-critical pod \"cilium-x\" is not ready (c)",
        ]
    );
}

#[test]
fn an_instance_that_aws_runs_but_that_never_joined_fails() {
    let (n, p) = healthy();
    let aws = [
        GroupInstances {
            group: "control-plane-us-east-1a".into(),
            min_size: 1,
            max_size: 1,
            instances: vec!["i-0aaa".into()],
        },
        GroupInstances {
            group: "nodes-us-east-1a".into(),
            min_size: 1,
            max_size: 1,
            instances: vec!["i-0bbb".into(), "i-0ccc".into()],
        },
    ];
    let r = report(&n, &p, Some(&aws));
    assert_eq!(
        r.failures,
        vec![Failure {
            kind: "Machine".into(),
            name: "i-0ccc".into(),
            message: "machine \"i-0ccc\" has not yet joined cluster".into()
        }]
    );
    let json: Value = serde_json::from_str(&render_json(&r)).unwrap();
    assert_eq!(json["failures"][0]["type"], "Machine");
    assert_eq!(json["nodes"][1]["status"], "True");
    let yaml: Value = serde_saphyr::from_str(&render_yaml(&r)).unwrap();
    assert_eq!(yaml, json);
}

#[test]
fn instance_groups_are_compared_with_their_autoscaling_groups() {
    let (n, p) = healthy();
    let group = |name: &str, min, max, instances: &[&str]| GroupInstances {
        group: name.into(),
        min_size: min,
        max_size: max,
        instances: instances.iter().map(|i| i.to_string()).collect(),
    };
    let healthy_aws = [
        group("control-plane-us-east-1a", 1, 1, &["i-0aaa"]),
        group("nodes-us-east-1a", 1, 1, &["i-0bbb"]),
    ];
    assert_eq!(report(&n, &p, Some(&healthy_aws)).failures, vec![]);
    let failures = |aws: &[GroupInstances]| -> Vec<(String, String, String)> {
        report(&n, &p, Some(aws))
            .failures
            .into_iter()
            .map(|f| (f.kind, f.name, f.message))
            .collect()
    };
    let ig = |name: &str, m: &str| ("InstanceGroup".to_string(), name.to_string(), m.to_string());
    assert_eq!(
        failures(&[group("control-plane-us-east-1a", 1, 1, &["i-0aaa"])]),
        [ig(
            "nodes-us-east-1a",
            "InstanceGroup \"nodes-us-east-1a\" is missing from the cloud provider"
        )]
    );
    assert_eq!(
        failures(&[
            group("control-plane-us-east-1a", 1, 1, &["i-0aaa"]),
            group("nodes-us-east-1a", 0, 2, &["i-0bbb"]),
        ]),
        [ig(
            "nodes-us-east-1a",
            "InstanceGroup \"nodes-us-east-1a\" has min 0 max 2 in AWS, the spec says min 1 \
             max 1 (kops6 update cluster --yes)"
        )]
    );
    assert_eq!(
        failures(&[
            group("control-plane-us-east-1a", 1, 1, &[]),
            group("nodes-us-east-1a", 1, 1, &["i-0bbb"]),
        ]),
        [ig(
            "control-plane-us-east-1a",
            "InstanceGroup \"control-plane-us-east-1a\" has 0 instances in service in AWS, \
             wants at least 1"
        )]
    );
}

#[test]
fn an_answer_that_is_not_a_list_is_a_parse_error() {
    let err =
        parse_nodes(br#"{"kind":"Status","apiVersion":"v1","status":"Failure"}"#).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("the API's node answer is not a node list"),
        "{err}"
    );
}
