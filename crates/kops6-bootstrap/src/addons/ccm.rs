//! The AWS cloud controller manager: node addresses (IPv6 first), provider IDs, load balancers.
//! kOps' manifest (`aws-cloud-controller.addons.k8s.io/k8s-1.18`), with the cloud config in a
//! ConfigMap instead of a host file.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetSpec};
use k8s_openapi::api::core::v1::{
    Affinity, ConfigMap, ConfigMapVolumeSource, NodeAffinity, NodeSelector,
    NodeSelectorRequirement, NodeSelectorTerm, PodSpec, PodTemplateSpec, ResourceRequirements,
    ServiceAccount, Volume,
};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, RoleBinding};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde_json::Value;

use super::util::*;
use super::{meta, object};
use crate::facts::{ClusterFacts, API_PORT};
use crate::versions::images;
use crate::BootstrapError;
use kops6_api::types::IpFamily;

const NAME: &str = "aws-cloud-controller-manager";
const CLOUD_CONFIG_DIR: &str = "/etc/kubernetes/cloud-config";

/// The `[Global]` section: `NodeIPFamilies` decides the order of a node's addresses, so an
/// IPv6 cluster lists ipv6 first (without it, node init fails to match `--node-ip=::`).
pub fn cloud_config(f: &ClusterFacts) -> String {
    let mut s = String::from("[Global]\n");
    for fam in &f.node_ip_families {
        let name = match fam {
            IpFamily::Ipv4 => "ipv4",
            IpFamily::Ipv6 => "ipv6",
        };
        s.push_str(&format!("NodeIPFamilies = {name}\n"));
    }
    s
}

pub fn args(f: &ClusterFacts) -> Vec<String> {
    strings(&[
        "--allocate-node-cidrs=false",
        &format!("--cloud-config={CLOUD_CONFIG_DIR}/cloud.config"),
        "--cloud-provider=aws",
        &format!("--cluster-name={}", f.name),
        "--configure-cloud-routes=false",
        "--leader-elect=true",
        "--use-service-account-credentials=true",
        "--v=2",
    ])
}

pub fn objects(f: &ClusterFacts) -> Result<Vec<Value>, BootstrapError> {
    let ns = Some(KUBE_SYSTEM);
    let selector = labels(&[("k8s-app", NAME)]);
    let mut c = container(NAME, images::AWS_CLOUD_CONTROLLER_MANAGER, &args(f));
    // Host network on the control plane, before any CNI: talk to the local API server.
    c.env = Some(vec![
        env(
            "KUBERNETES_SERVICE_HOST",
            if f.ipv6 { "::1" } else { "127.0.0.1" },
        ),
        env("KUBERNETES_SERVICE_PORT", &API_PORT.to_string()),
    ]);
    c.resources = Some(ResourceRequirements {
        requests: Some(BTreeMap::from([("cpu".into(), Quantity("200m".into()))])),
        ..Default::default()
    });
    c.volume_mounts = Some(vec![{
        let mut m = mount("cloud-config", CLOUD_CONFIG_DIR);
        m.read_only = Some(true);
        m
    }]);
    let daemon_set = DaemonSet {
        metadata: meta(NAME, ns, NAME),
        spec: Some(DaemonSetSpec {
            selector: LabelSelector {
                match_labels: Some(selector.clone()),
                ..Default::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(selector),
                    ..Default::default()
                }),
                spec: Some(PodSpec {
                    affinity: Some(control_plane_only()),
                    containers: vec![c],
                    host_network: Some(true),
                    priority_class_name: Some("system-cluster-critical".into()),
                    service_account_name: Some(NAME.into()),
                    tolerations: Some(tolerate_all()),
                    volumes: Some(vec![Volume {
                        name: "cloud-config".into(),
                        config_map: Some(ConfigMapVolumeSource {
                            name: "aws-cloud-config".into(),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }]),
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        ..Default::default()
    };
    let config = ConfigMap {
        metadata: meta("aws-cloud-config", ns, NAME),
        data: Some(BTreeMap::from([("cloud.config".into(), cloud_config(f))])),
        ..Default::default()
    };
    let sa = ServiceAccount {
        metadata: meta(NAME, ns, NAME),
        ..Default::default()
    };
    let auth_reader = RoleBinding {
        metadata: meta(
            "cloud-controller-manager:apiserver-authentication-reader",
            ns,
            NAME,
        ),
        role_ref: role_ref("extension-apiserver-authentication-reader"),
        subjects: Some(vec![service_account_subject(NAME)]),
    };
    let role = ClusterRole {
        metadata: meta("system:cloud-controller-manager", None, NAME),
        rules: Some(vec![
            rule(&[""], &["events"], &["create", "patch", "update"]),
            rule(&[""], &["nodes"], &["*"]),
            rule(&[""], &["nodes/status"], &["patch"]),
            rule(&[""], &["services"], &["list", "patch", "update", "watch"]),
            rule(
                &[""],
                &["services/status"],
                &["list", "patch", "update", "watch"],
            ),
            rule(&[""], &["serviceaccounts"], &["create", "get"]),
            rule(
                &[""],
                &["persistentvolumes"],
                &["get", "list", "update", "watch"],
            ),
            rule(
                &[""],
                &["endpoints"],
                &["create", "get", "list", "watch", "update"],
            ),
            rule(
                &["coordination.k8s.io"],
                &["leases"],
                &["create", "get", "list", "watch", "update"],
            ),
            rule(&[""], &["secrets"], &["list", "watch"]),
            {
                let mut r = rule(&[""], &["serviceaccounts/token"], &["create"]);
                r.resource_names = Some(strings(&[
                    "node-controller",
                    "service-controller",
                    "route-controller",
                ]));
                r
            },
        ]),
        ..Default::default()
    };
    let binding = ClusterRoleBinding {
        metadata: meta("system:cloud-controller-manager", None, NAME),
        role_ref: cluster_role_ref("system:cloud-controller-manager"),
        subjects: Some(vec![service_account_subject(NAME)]),
    };
    Ok(vec![
        object(&sa)?,
        object(&role)?,
        object(&binding)?,
        object(&auth_reader)?,
        object(&config)?,
        object(&daemon_set)?,
    ])
}

pub(crate) fn control_plane_only() -> Affinity {
    Affinity {
        node_affinity: Some(NodeAffinity {
            required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                node_selector_terms: vec![NodeSelectorTerm {
                    match_expressions: Some(vec![NodeSelectorRequirement {
                        key: "node-role.kubernetes.io/control-plane".into(),
                        operator: "Exists".into(),
                        ..Default::default()
                    }]),
                    ..Default::default()
                }],
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}
