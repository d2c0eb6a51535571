//! The EBS CSI driver (kOps' `aws-ebs-csi-driver.addons.k8s.io/k8s-1.17`, without the snapshot
//! controller, whose CRDs kops6 does not install). In IPv6 mode every container that talks to
//! instance metadata is told to use the IPv6 endpoint: an IPv6-only pod has no route to
//! `169.254.169.254`.

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetSpec, Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::{
    Container, EmptyDirVolumeSource, EnvVar, EnvVarSource, ObjectFieldSelector, PodSpec,
    PodTemplateSpec, ServiceAccount, Volume,
};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use k8s_openapi::api::storage::v1::{CSIDriver, CSIDriverSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde_json::Value;

use super::util::*;
use super::{meta, object};
use crate::facts::ClusterFacts;
use crate::versions::images;
use crate::BootstrapError;

const APP: &str = "aws-ebs-csi-driver";
const CONTROLLER_SA: &str = "ebs-csi-controller-sa";
const NODE_SA: &str = "ebs-csi-node-sa";
const DRIVER: &str = "ebs.csi.aws.com";

fn plugin_env(f: &ClusterFacts, endpoint: &str) -> Vec<EnvVar> {
    let mut out = vec![env("AWS_REGION", &f.region), env("CSI_ENDPOINT", endpoint)];
    if f.ipv6 {
        out.insert(0, env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"));
    }
    out
}

fn node_name_env() -> EnvVar {
    EnvVar {
        name: "CSI_NODE_NAME".into(),
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                field_path: "spec.nodeName".into(),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn sidecar(name: &str, image: &str, args: &[&str], socket_mount: (&str, &str)) -> Container {
    let mut c = container(name, image, &strings(args));
    c.volume_mounts = Some(vec![mount(socket_mount.0, socket_mount.1)]);
    c.security_context = Some(no_privileges());
    c
}

fn template(
    selector: &std::collections::BTreeMap<String, String>,
    spec: PodSpec,
) -> PodTemplateSpec {
    PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(selector.clone()),
            ..Default::default()
        }),
        spec: Some(spec),
    }
}

fn controller(f: &ClusterFacts) -> Deployment {
    let selector = labels(&[("app", "ebs-csi-controller")]);
    let socket = ("socket-dir", "/var/lib/csi/sockets/pluginproxy/");
    let mut plugin = container(
        "ebs-plugin",
        images::EBS_CSI_DRIVER,
        &strings(&[
            "controller",
            "--endpoint=$(CSI_ENDPOINT)",
            &format!("--k8s-tag-cluster-id={}", f.name),
            "--batching=true",
            "--logging-format=text",
            "--v=2",
        ]),
    );
    plugin.env = Some(plugin_env(
        f,
        "unix:///var/lib/csi/sockets/pluginproxy/csi.sock",
    ));
    plugin.volume_mounts = Some(vec![mount(socket.0, socket.1)]);
    plugin.security_context = Some(no_privileges());
    let address = "--csi-address=/var/lib/csi/sockets/pluginproxy/csi.sock";
    let containers = vec![
        plugin,
        sidecar(
            "csi-provisioner",
            images::CSI_PROVISIONER,
            &[
                address,
                "--timeout=60s",
                "--feature-gates=Topology=true",
                "--extra-create-metadata",
                "--leader-election=true",
                "--default-fstype=ext4",
                "--v=2",
            ],
            socket,
        ),
        sidecar(
            "csi-attacher",
            images::CSI_ATTACHER,
            &[address, "--timeout=6m", "--leader-election=true", "--v=2"],
            socket,
        ),
        sidecar(
            "liveness-probe",
            images::CSI_LIVENESS_PROBE,
            &[address],
            socket,
        ),
    ];
    Deployment {
        metadata: meta("ebs-csi-controller", Some(KUBE_SYSTEM), APP),
        spec: Some(DeploymentSpec {
            replicas: Some(2),
            selector: LabelSelector {
                match_labels: Some(selector.clone()),
                ..Default::default()
            },
            template: template(
                &selector,
                PodSpec {
                    containers,
                    // The control plane's role may manage volumes; the nodes' may not.
                    affinity: Some(super::ccm::control_plane_only()),
                    priority_class_name: Some("system-cluster-critical".into()),
                    service_account_name: Some(CONTROLLER_SA.into()),
                    tolerations: Some(tolerate_all()),
                    volumes: Some(vec![Volume {
                        name: socket.0.into(),
                        empty_dir: Some(EmptyDirVolumeSource::default()),
                        ..Default::default()
                    }]),
                    ..Default::default()
                },
            ),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn node(f: &ClusterFacts) -> DaemonSet {
    let selector = labels(&[("app", "ebs-csi-node")]);
    let mut plugin = container(
        "ebs-plugin",
        images::EBS_CSI_DRIVER,
        &strings(&[
            "node",
            "--endpoint=$(CSI_ENDPOINT)",
            "--csi-mount-point-prefix=/var/lib/kubelet/plugins/kubernetes.io/csi/ebs.csi.aws.com/",
            "--logging-format=text",
            "--v=2",
        ]),
    );
    let mut env = plugin_env(f, "unix:/csi/csi.sock");
    env.push(node_name_env());
    plugin.env = Some(env);
    plugin.security_context = Some(privileged());
    plugin.volume_mounts = Some(vec![
        {
            let mut m = mount("kubelet-dir", "/var/lib/kubelet");
            m.mount_propagation = Some("Bidirectional".into());
            m
        },
        mount("plugin-dir", "/csi"),
        mount("device-dir", "/dev"),
    ]);
    let mut registrar = sidecar(
        "node-driver-registrar",
        images::CSI_NODE_DRIVER_REGISTRAR,
        &[
            "--csi-address=/csi/csi.sock",
            "--kubelet-registration-path=/var/lib/kubelet/plugins/ebs.csi.aws.com/csi.sock",
            "--v=2",
        ],
        ("plugin-dir", "/csi"),
    );
    if let Some(m) = registrar.volume_mounts.as_mut() {
        m.push(mount("registration-dir", "/registration"));
    }
    DaemonSet {
        metadata: meta("ebs-csi-node", Some(KUBE_SYSTEM), APP),
        spec: Some(DaemonSetSpec {
            selector: LabelSelector {
                match_labels: Some(selector.clone()),
                ..Default::default()
            },
            template: template(
                &selector,
                PodSpec {
                    containers: vec![
                        plugin,
                        registrar,
                        sidecar(
                            "liveness-probe",
                            images::CSI_LIVENESS_PROBE,
                            &["--csi-address=/csi/csi.sock"],
                            ("plugin-dir", "/csi"),
                        ),
                    ],
                    priority_class_name: Some("system-node-critical".into()),
                    service_account_name: Some(NODE_SA.into()),
                    tolerations: Some(tolerate_all()),
                    volumes: Some(vec![
                        host_path("kubelet-dir", "/var/lib/kubelet", Some("Directory")),
                        host_path(
                            "plugin-dir",
                            "/var/lib/kubelet/plugins/ebs.csi.aws.com/",
                            Some("DirectoryOrCreate"),
                        ),
                        host_path(
                            "registration-dir",
                            "/var/lib/kubelet/plugins_registry/",
                            Some("Directory"),
                        ),
                        host_path("device-dir", "/dev", Some("Directory")),
                    ]),
                    ..Default::default()
                },
            ),
            ..Default::default()
        }),
        ..Default::default()
    }
}

pub fn objects(f: &ClusterFacts) -> Result<Vec<Value>, BootstrapError> {
    let ns = Some(KUBE_SYSTEM);
    let sa = |name: &str| ServiceAccount {
        metadata: meta(name, ns, APP),
        ..Default::default()
    };
    let role = |name: &str, rules| ClusterRole {
        metadata: meta(name, None, APP),
        rules: Some(rules),
        ..Default::default()
    };
    let bind = |name: &str, role: &str, sa: &str| ClusterRoleBinding {
        metadata: meta(name, None, APP),
        role_ref: cluster_role_ref(role),
        subjects: Some(vec![service_account_subject(sa)]),
    };
    let attacher = role(
        "ebs-external-attacher-role",
        vec![
            rule(
                &[""],
                &["persistentvolumes"],
                &["get", "list", "watch", "patch"],
            ),
            rule(
                &["storage.k8s.io"],
                &["csinodes"],
                &["get", "list", "watch"],
            ),
            rule(
                &["storage.k8s.io"],
                &["volumeattachments"],
                &["get", "list", "watch", "patch"],
            ),
            rule(
                &["storage.k8s.io"],
                &["volumeattachments/status"],
                &["patch"],
            ),
        ],
    );
    let provisioner = role(
        "ebs-external-provisioner-role",
        vec![
            rule(
                &[""],
                &["persistentvolumes"],
                &["get", "list", "watch", "create", "patch", "delete"],
            ),
            rule(
                &[""],
                &["persistentvolumeclaims"],
                &["get", "list", "watch", "update"],
            ),
            rule(
                &["storage.k8s.io"],
                &["storageclasses"],
                &["get", "list", "watch"],
            ),
            rule(
                &[""],
                &["events"],
                &["list", "watch", "create", "update", "patch"],
            ),
            rule(
                &["storage.k8s.io"],
                &["csinodes"],
                &["get", "list", "watch"],
            ),
            rule(&[""], &["nodes"], &["get", "list", "watch"]),
            rule(
                &["storage.k8s.io"],
                &["volumeattachments"],
                &["get", "list", "watch"],
            ),
            rule(&["storage.k8s.io"], &["volumeattributesclasses"], &["get"]),
        ],
    );
    let node_role = role(
        "ebs-csi-node-role",
        vec![
            rule(
                &["storage.k8s.io"],
                &["volumeattachments"],
                &["get", "list", "watch"],
            ),
            rule(&[""], &["nodes"], &["get", "patch", "list", "watch"]),
            rule(&["storage.k8s.io"], &["csinodes"], &["get"]),
        ],
    );
    let leases = Role {
        metadata: meta("ebs-csi-leases-role", ns, APP),
        rules: Some(vec![rule(
            &["coordination.k8s.io"],
            &["leases"],
            &["get", "watch", "list", "delete", "update", "create"],
        )]),
    };
    let leases_binding = RoleBinding {
        metadata: meta("ebs-csi-leases-rolebinding", ns, APP),
        role_ref: role_ref("ebs-csi-leases-role"),
        subjects: Some(vec![service_account_subject(CONTROLLER_SA)]),
    };
    let driver = CSIDriver {
        metadata: meta(DRIVER, None, APP),
        spec: CSIDriverSpec {
            attach_required: Some(true),
            pod_info_on_mount: Some(false),
            ..Default::default()
        },
    };
    Ok(vec![
        object(&sa(CONTROLLER_SA))?,
        object(&sa(NODE_SA))?,
        object(&attacher)?,
        object(&provisioner)?,
        object(&node_role)?,
        object(&bind(
            "ebs-csi-attacher-binding",
            "ebs-external-attacher-role",
            CONTROLLER_SA,
        ))?,
        object(&bind(
            "ebs-csi-provisioner-binding",
            "ebs-external-provisioner-role",
            CONTROLLER_SA,
        ))?,
        object(&bind(
            "ebs-csi-node-getter-binding",
            "ebs-csi-node-role",
            NODE_SA,
        ))?,
        object(&leases)?,
        object(&leases_binding)?,
        object(&driver)?,
        object(&controller(f))?,
        object(&node(f))?,
    ])
}
