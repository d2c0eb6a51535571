//! The CNI: Calico or Cilium, routed (no encapsulation) and without IPv6 masquerade, each
//! node's pods taking addresses from the node's own `spec.podCIDR` (its interface's /80).
//! Settings are kOps' IPv6 values (`research/kops-cluster-ipv6.md` §3).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetSpec, Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::{
    ConfigMap, ConfigMapKeySelector, ConfigMapVolumeSource, Container, EnvVar, EnvVarSource,
    ObjectFieldSelector, PodSpec, PodTemplateSpec, ServiceAccount, Volume, VolumeMount,
};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde_json::{json, Value};

use super::util::*;
use super::{meta, object};
use crate::facts::ClusterFacts;
use crate::versions::images;
use crate::BootstrapError;

fn field_env(name: &str, path: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                field_path: path.into(),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn config_env(name: &str, config_map: &str, key: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value_from: Some(EnvVarSource {
            config_map_key_ref: Some(ConfigMapKeySelector {
                name: config_map.into(),
                key: key.into(),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn mounts(items: &[(&str, &str)]) -> Vec<VolumeMount> {
    items.iter().map(|(n, p)| mount(n, p)).collect()
}

fn daemon_set(name: &str, app: &str, spec: PodSpec) -> DaemonSet {
    let selector = labels(&[("k8s-app", name)]);
    DaemonSet {
        metadata: meta(name, Some(KUBE_SYSTEM), app),
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
                spec: Some(spec),
            },
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn service_account(name: &str, app: &str) -> ServiceAccount {
    ServiceAccount {
        metadata: meta(name, Some(KUBE_SYSTEM), app),
        ..Default::default()
    }
}

fn binding(name: &str, app: &str) -> ClusterRoleBinding {
    ClusterRoleBinding {
        metadata: meta(name, None, app),
        role_ref: cluster_role_ref(name),
        subjects: Some(vec![service_account_subject(name)]),
    }
}

/// Calico's CNI configuration: host-local IPAM from the node's IPv6 pod CIDR in IPv6 mode.
pub fn calico_cni_config(f: &ClusterFacts) -> String {
    let ipam = if f.ipv6 {
        json!({"assign_ipv4": "false", "assign_ipv6": "true", "type": "host-local",
               "ranges": [[{"subnet": "usePodCidrIPv6"}]]})
    } else {
        json!({"assign_ipv4": "true", "assign_ipv6": "false", "type": "host-local",
               "ranges": [[{"subnet": "usePodCidr"}]]})
    };
    let config = json!({
        "name": "k8s-pod-network",
        "cniVersion": "0.3.1",
        "plugins": [
            {"type": "calico", "log_level": "info", "log_file_path": "/var/log/calico/cni/cni.log",
             "datastore_type": "kubernetes", "nodename": "__KUBERNETES_NODE_NAME__",
             "mtu": "__CNI_MTU__", "ipam": ipam, "policy": {"type": "k8s"},
             "kubernetes": {"kubeconfig": "__KUBECONFIG_FILEPATH__"}},
            {"type": "portmap", "snat": true, "capabilities": {"portMappings": true}}
        ]
    });
    // The installer substitutes __CNI_MTU__ as a bare number, as in Calico's own manifest.
    serde_json::to_string_pretty(&config)
        .unwrap_or_default()
        .replace("\"__CNI_MTU__\"", "__CNI_MTU__")
}

/// calico-node's environment: IPv6 only, no encapsulation, no default pools (so no NAT
/// outgoing pool), source/destination check left alone.
pub fn calico_node_env(f: &ClusterFacts) -> Vec<EnvVar> {
    let (ip, ip6, v4_method, v6_method) = if f.ipv6 {
        ("none", "autodetect", "none", "first-found")
    } else {
        ("autodetect", "none", "first-found", "none")
    };
    vec![
        env("DATASTORE_TYPE", "kubernetes"),
        env("USE_POD_CIDR", "true"),
        env("WAIT_FOR_DATASTORE", "true"),
        field_env("NODENAME", "spec.nodeName"),
        config_env(
            "CALICO_NETWORKING_BACKEND",
            "calico-config",
            "calico_backend",
        ),
        env("CLUSTER_TYPE", "kops6,bgp"),
        env("IP", ip),
        env("IP6", ip6),
        env("IP_AUTODETECTION_METHOD", v4_method),
        env("IP6_AUTODETECTION_METHOD", v6_method),
        env("CALICO_IPV4POOL_IPIP", "Never"),
        env("CALICO_IPV4POOL_VXLAN", "Never"),
        env("CALICO_IPV6POOL_VXLAN", "Never"),
        env("CALICO_ROUTER_ID", "hash"),
        env("NO_DEFAULT_POOLS", "true"),
        env("CALICO_DISABLE_FILE_LOGGING", "true"),
        env("FELIX_DEFAULTENDPOINTTOHOSTACTION", "ACCEPT"),
        env("FELIX_IPV6SUPPORT", if f.ipv6 { "true" } else { "false" }),
        env("FELIX_HEALTHENABLED", "true"),
        env("FELIX_AWSSRCDSTCHECK", "DoNothing"),
        env("FELIX_WIREGUARDENABLED", "false"),
    ]
}

pub fn calico(f: &ClusterFacts) -> Result<Vec<Value>, BootstrapError> {
    const APP: &str = "calico";
    let image = |c: &str| format!("docker.io/calico/{c}:{}", images::CALICO_VERSION);
    let config = ConfigMap {
        metadata: meta("calico-config", Some(KUBE_SYSTEM), APP),
        data: Some(BTreeMap::from([
            ("calico_backend".into(), "none".into()),
            ("cni_network_config".into(), calico_cni_config(f)),
            ("typha_service_name".into(), "none".into()),
            ("veth_mtu".into(), "0".into()),
        ])),
        ..Default::default()
    };
    let mut install_cni = Container {
        command: Some(strings(&["/opt/cni/bin/install"])),
        ..container("install-cni", &image("cni"), &[])
    };
    install_cni.env = Some(vec![
        env("CNI_CONF_NAME", "10-calico.conflist"),
        config_env("CNI_NETWORK_CONFIG", "calico-config", "cni_network_config"),
        field_env("KUBERNETES_NODE_NAME", "spec.nodeName"),
        config_env("CNI_MTU", "calico-config", "veth_mtu"),
        env("SLEEP", "false"),
    ]);
    install_cni.volume_mounts = Some(mounts(&[
        ("cni-bin-dir", "/host/opt/cni/bin"),
        ("cni-net-dir", "/host/etc/cni/net.d"),
    ]));
    install_cni.security_context = Some(privileged());
    let mut node = Container {
        env: Some(calico_node_env(f)),
        security_context: Some(privileged()),
        volume_mounts: Some(mounts(&[
            ("cni-net-dir", "/host/etc/cni/net.d"),
            ("lib-modules", "/lib/modules"),
            ("xtables-lock", "/run/xtables.lock"),
            ("var-run-calico", "/var/run/calico"),
            ("var-lib-calico", "/var/lib/calico"),
            ("cni-log-dir", "/var/log/calico/cni"),
        ])),
        ..container("calico-node", &image("node"), &[])
    };
    if let Some(m) = node.volume_mounts.as_mut() {
        m[1].read_only = Some(true);
    }
    let spec = PodSpec {
        containers: vec![node],
        host_network: Some(true),
        init_containers: Some(vec![install_cni]),
        priority_class_name: Some("system-node-critical".into()),
        service_account_name: Some("calico-node".into()),
        termination_grace_period_seconds: Some(0),
        tolerations: Some(tolerate_all()),
        volumes: Some(vec![
            host_path("lib-modules", "/lib/modules", None),
            host_path(
                "var-run-calico",
                "/var/run/calico",
                Some("DirectoryOrCreate"),
            ),
            host_path(
                "var-lib-calico",
                "/var/lib/calico",
                Some("DirectoryOrCreate"),
            ),
            host_path("xtables-lock", "/run/xtables.lock", Some("FileOrCreate")),
            host_path("cni-bin-dir", "/opt/cni/bin", Some("DirectoryOrCreate")),
            host_path("cni-net-dir", "/etc/cni/net.d", None),
            host_path("cni-log-dir", "/var/log/calico/cni", None),
        ]),
        ..Default::default()
    };
    let calico_node_role = ClusterRole {
        metadata: meta("calico-node", None, APP),
        rules: Some(vec![
            {
                let mut r = rule(&[""], &["serviceaccounts/token"], &["create"]);
                r.resource_names = Some(strings(&["calico-cni-plugin"]));
                r
            },
            rule(&[""], &["pods", "nodes", "namespaces"], &["get"]),
            rule(
                &["discovery.k8s.io"],
                &["endpointslices"],
                &["watch", "list"],
            ),
            rule(&[""], &["endpoints", "services"], &["watch", "list", "get"]),
            rule(&[""], &["configmaps"], &["get"]),
            rule(&[""], &["nodes/status"], &["patch", "update"]),
            rule(
                &["networking.k8s.io"],
                &["networkpolicies"],
                &["watch", "list"],
            ),
            rule(
                &["policy.networking.k8s.io"],
                &["adminnetworkpolicies", "baselineadminnetworkpolicies"],
                &["watch", "list"],
            ),
            rule(
                &[""],
                &["pods", "namespaces", "serviceaccounts"],
                &["list", "watch"],
            ),
            rule(&[""], &["pods/status"], &["patch"]),
            rule(
                &["crd.projectcalico.org"],
                &[
                    "globalfelixconfigs",
                    "felixconfigurations",
                    "bgppeers",
                    "bgpfilters",
                    "globalbgpconfigs",
                    "bgpconfigurations",
                    "ippools",
                    "ipreservations",
                    "ipamblocks",
                    "globalnetworkpolicies",
                    "stagedglobalnetworkpolicies",
                    "networkpolicies",
                    "stagednetworkpolicies",
                    "stagedkubernetesnetworkpolicies",
                    "globalnetworksets",
                    "networksets",
                    "clusterinformations",
                    "hostendpoints",
                    "blockaffinities",
                    "caliconodestatuses",
                    "tiers",
                ],
                &["get", "list", "watch"],
            ),
            rule(&["crd.projectcalico.org"], &["tiers"], &["create"]),
            rule(
                &["crd.projectcalico.org"],
                &["ippools", "felixconfigurations", "clusterinformations"],
                &["create", "update"],
            ),
            rule(
                &["crd.projectcalico.org"],
                &["caliconodestatuses"],
                &["update"],
            ),
            rule(&[""], &["nodes"], &["get", "list", "watch"]),
            rule(
                &["crd.projectcalico.org"],
                &["bgpconfigurations", "bgppeers"],
                &["create", "update"],
            ),
            rule(
                &["crd.projectcalico.org"],
                &["blockaffinities", "ipamblocks", "ipamhandles"],
                &["get", "list", "create", "update", "delete"],
            ),
            rule(
                &["crd.projectcalico.org"],
                &["ipamconfigs"],
                &["get", "create"],
            ),
            rule(&["crd.projectcalico.org"], &["blockaffinities"], &["watch"]),
            rule(&["apps"], &["daemonsets"], &["get"]),
        ]),
        ..Default::default()
    };
    let cni_plugin_role = ClusterRole {
        metadata: meta("calico-cni-plugin", None, APP),
        rules: Some(vec![
            rule(&[""], &["pods", "nodes", "namespaces"], &["get"]),
            rule(&[""], &["pods/status"], &["patch"]),
            rule(
                &["crd.projectcalico.org"],
                &[
                    "blockaffinities",
                    "ipamblocks",
                    "ipamhandles",
                    "clusterinformations",
                    "ippools",
                    "ipreservations",
                    "ipamconfigs",
                ],
                &["get", "list", "create", "update", "delete"],
            ),
        ]),
        ..Default::default()
    };
    Ok(vec![
        object(&service_account("calico-node", APP))?,
        object(&service_account("calico-cni-plugin", APP))?,
        object(&calico_node_role)?,
        object(&cni_plugin_role)?,
        object(&binding("calico-node", APP))?,
        object(&binding("calico-cni-plugin", APP))?,
        object(&config)?,
        object(&daemon_set("calico-node", APP, spec))?,
    ])
}

/// cilium-config: native routing, Kubernetes IPAM (the node's podCIDR), no masquerade.
pub fn cilium_config(f: &ClusterFacts) -> BTreeMap<String, String> {
    let b = |v: bool| if v { "true" } else { "false" }.to_string();
    BTreeMap::from([
        ("auto-direct-node-routes".into(), b(false)),
        ("cgroup-root".into(), "/run/cilium/cgroupv2".into()),
        ("cluster-name".into(), "default".into()),
        ("enable-bpf-masquerade".into(), b(false)),
        ("enable-endpoint-health-checking".into(), b(true)),
        ("enable-ipv4".into(), b(!f.ipv6)),
        ("enable-ipv4-masquerade".into(), b(false)),
        ("enable-ipv6".into(), b(f.ipv6)),
        ("enable-ipv6-masquerade".into(), b(false)),
        ("identity-allocation-mode".into(), "crd".into()),
        ("ipam".into(), "kubernetes".into()),
        ("k8s-require-ipv4-pod-cidr".into(), b(!f.ipv6)),
        ("k8s-require-ipv6-pod-cidr".into(), b(f.ipv6)),
        ("kube-proxy-replacement".into(), b(false)),
        ("routing-mode".into(), "native".into()),
        ("tunnel-protocol".into(), "".into()),
        (
            "write-cni-conf-when-ready".into(),
            "/host/etc/cni/net.d/05-cilium.conflist".into(),
        ),
    ])
}

pub fn cilium(f: &ClusterFacts) -> Result<Vec<Value>, BootstrapError> {
    const APP: &str = "cilium";
    let config_volume = Volume {
        name: "cilium-config-path".into(),
        config_map: Some(ConfigMapVolumeSource {
            name: "cilium-config".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let pod_env = vec![
        field_env("K8S_NODE_NAME", "spec.nodeName"),
        field_env("CILIUM_K8S_NAMESPACE", "metadata.namespace"),
    ];
    let mut install_cni = Container {
        command: Some(strings(&["/install-plugin.sh"])),
        volume_mounts: Some(mounts(&[("cni-path", "/host/opt/cni/bin")])),
        security_context: Some(privileged()),
        ..container("install-cni-binaries", images::CILIUM, &[])
    };
    install_cni.termination_message_policy = Some("FallbackToLogsOnError".into());
    let agent = Container {
        command: Some(strings(&["cilium-agent"])),
        env: Some(pod_env.clone()),
        security_context: Some(privileged()),
        volume_mounts: Some({
            let mut m = mounts(&[
                ("bpf-maps", "/sys/fs/bpf"),
                ("cilium-cgroup", "/run/cilium/cgroupv2"),
                ("cilium-run", "/var/run/cilium"),
                ("etc-cni-netd", "/host/etc/cni/net.d"),
                ("lib-modules", "/lib/modules"),
                ("xtables-lock", "/run/xtables.lock"),
                ("cilium-config-path", "/tmp/cilium/config-map"),
            ]);
            m[0].mount_propagation = Some("HostToContainer".into());
            m
        }),
        ..container(
            "cilium-agent",
            images::CILIUM,
            &strings(&["--config-dir=/tmp/cilium/config-map"]),
        )
    };
    let agent_spec = PodSpec {
        containers: vec![agent],
        host_network: Some(true),
        init_containers: Some(vec![install_cni]),
        priority_class_name: Some("system-node-critical".into()),
        service_account_name: Some("cilium".into()),
        tolerations: Some(tolerate_all()),
        volumes: Some(vec![
            host_path("bpf-maps", "/sys/fs/bpf", Some("DirectoryOrCreate")),
            host_path("cilium-cgroup", "/sys/fs/cgroup", Some("Directory")),
            host_path("cilium-run", "/var/run/cilium", Some("DirectoryOrCreate")),
            host_path("cni-path", "/opt/cni/bin", Some("DirectoryOrCreate")),
            host_path("etc-cni-netd", "/etc/cni/net.d", Some("DirectoryOrCreate")),
            host_path("lib-modules", "/lib/modules", None),
            host_path("xtables-lock", "/run/xtables.lock", Some("FileOrCreate")),
            config_volume.clone(),
        ]),
        ..Default::default()
    };
    let operator_selector = labels(&[("name", "cilium-operator")]);
    let operator = Deployment {
        metadata: meta("cilium-operator", Some(KUBE_SYSTEM), APP),
        spec: Some(DeploymentSpec {
            replicas: Some(1),
            selector: LabelSelector {
                match_labels: Some(operator_selector.clone()),
                ..Default::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(operator_selector),
                    ..Default::default()
                }),
                spec: Some(PodSpec {
                    containers: vec![Container {
                        command: Some(strings(&["cilium-operator-generic"])),
                        env: Some(pod_env),
                        volume_mounts: Some(mounts(&[(
                            "cilium-config-path",
                            "/tmp/cilium/config-map",
                        )])),
                        ..container(
                            "cilium-operator",
                            images::CILIUM_OPERATOR,
                            &strings(&["--config-dir=/tmp/cilium/config-map"]),
                        )
                    }],
                    host_network: Some(true),
                    priority_class_name: Some("system-cluster-critical".into()),
                    service_account_name: Some("cilium-operator".into()),
                    tolerations: Some(tolerate_all()),
                    volumes: Some(vec![config_volume]),
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        ..Default::default()
    };
    let config = ConfigMap {
        metadata: meta("cilium-config", Some(KUBE_SYSTEM), APP),
        data: Some(cilium_config(f)),
        ..Default::default()
    };
    let agent_role = ClusterRole {
        metadata: meta("cilium", None, APP),
        rules: Some(vec![
            rule(
                &["networking.k8s.io"],
                &["networkpolicies"],
                &["get", "list", "watch"],
            ),
            rule(
                &["discovery.k8s.io"],
                &["endpointslices"],
                &["get", "list", "watch"],
            ),
            rule(
                &[""],
                &["namespaces", "services", "pods", "endpoints", "nodes"],
                &["get", "list", "watch"],
            ),
            rule(
                &[""],
                &["pods", "pods/finalizers"],
                &["get", "list", "watch", "update", "delete"],
            ),
            rule(&[""], &["nodes", "nodes/status"], &["patch"]),
            rule(
                &["apiextensions.k8s.io"],
                &["customresourcedefinitions"],
                &["list", "watch", "get"],
            ),
            rule(&["cilium.io"], &["*"], &["*"]),
        ]),
        ..Default::default()
    };
    let operator_role = ClusterRole {
        metadata: meta("cilium-operator", None, APP),
        rules: Some(vec![
            rule(&[""], &["pods"], &["get", "list", "watch", "delete"]),
            rule(&[""], &["nodes"], &["list", "watch"]),
            rule(&[""], &["nodes", "nodes/status"], &["patch"]),
            rule(
                &[""],
                &["services", "endpoints", "namespaces"],
                &["get", "list", "watch"],
            ),
            rule(&[""], &["services/status"], &["update", "patch"]),
            rule(
                &["discovery.k8s.io"],
                &["endpointslices"],
                &[
                    "get", "list", "watch", "create", "update", "delete", "patch",
                ],
            ),
            rule(
                &["apiextensions.k8s.io"],
                &["customresourcedefinitions"],
                &["create", "get", "list", "watch", "update"],
            ),
            rule(&["cilium.io"], &["*"], &["*"]),
            rule(
                &["coordination.k8s.io"],
                &["leases"],
                &["create", "get", "update"],
            ),
        ]),
        ..Default::default()
    };
    Ok(vec![
        object(&service_account("cilium", APP))?,
        object(&service_account("cilium-operator", APP))?,
        object(&agent_role)?,
        object(&operator_role)?,
        object(&binding("cilium", APP))?,
        object(&binding("cilium-operator", APP))?,
        object(&config)?,
        object(&daemon_set("cilium", APP, agent_spec))?,
        object(&operator)?,
    ])
}
