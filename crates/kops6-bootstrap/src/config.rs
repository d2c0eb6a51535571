//! kubeadm and kubelet configuration for a cluster (SPEC 8's IPv6 settings).

use crate::facts::{ClusterFacts, API_PORT};
use crate::kubeadm::*;
use crate::{to_yaml, BootstrapError};

/// Where the files live on an instance.
pub mod node_paths {
    pub const INIT_CONFIG: &str = "/etc/kops6/kubeadm-init.yaml";
    pub const JOIN_CONFIG: &str = "/etc/kops6/kubeadm-join.yaml";
    /// Fetched from the state store at boot (it holds the join token); never in user data.
    pub const BOOTSTRAP_KUBECONFIG: &str = "/etc/kops6/secrets/bootstrap-kubeconfig";
    pub const ETCD_DATA: &str = "/var/lib/etcd";
    pub const PKI: &str = "/etc/kubernetes/pki";
}

const CRI_SOCKET: &str = "unix:///run/containerd/containerd.sock";

fn any_address(f: &ClusterFacts) -> &'static str {
    if f.ipv6 {
        "::"
    } else {
        "0.0.0.0"
    }
}

/// The Node label naming the instance group (`validate cluster` counts nodes by it). Not a
/// `*.k8s.io` key: NodeRestriction forbids kubelets to set those on themselves.
pub const INSTANCE_GROUP_LABEL: &str = "kops6.io/instancegroup";

fn node_registration(f: &ClusterFacts, group: &str) -> NodeRegistration {
    let mut args = vec![
        Arg::new("cloud-provider", "external"),
        Arg::new("node-labels", &format!("{INSTANCE_GROUP_LABEL}={group}")),
    ];
    if f.ipv6 {
        // "Prefer IPv6": the CCM then sets the node's addresses in NodeIPFamilies order.
        args.push(Arg::new("node-ip", "::"));
    }
    NodeRegistration {
        cri_socket: CRI_SOCKET.into(),
        kubelet_extra_args: args,
        name: None,
    }
}

fn local_endpoint(f: &ClusterFacts) -> ApiEndpoint {
    ApiEndpoint {
        advertise_address: any_address(f).into(),
        bind_port: API_PORT,
    }
}

pub fn init_configuration(f: &ClusterFacts, group: &str) -> InitConfiguration {
    InitConfiguration {
        api_version: KUBEADM_API_VERSION.into(),
        kind: "InitConfiguration".into(),
        local_api_endpoint: local_endpoint(f),
        node_registration: node_registration(f, group),
        // kops6 applies its own CoreDNS (forward to the VPC resolver, dns64).
        skip_phases: vec!["addon/coredns".into()],
    }
}

pub fn cluster_configuration(f: &ClusterFacts) -> ClusterConfiguration {
    let bind = Arg::new("bind-address", any_address(f));
    let mut controller_manager = vec![
        Arg::new("allocate-node-cidrs", "false"),
        bind.clone(),
        Arg::new("cloud-provider", "external"),
        Arg::new("configure-cloud-routes", "false"),
    ];
    if f.ipv6 {
        // Pod ranges are each node's /80, written by the node itself: node IPAM must not race it.
        controller_manager.push(Arg::new("controllers", "*,-nodeipam"));
    }
    ClusterConfiguration {
        api_version: KUBEADM_API_VERSION.into(),
        kind: "ClusterConfiguration".into(),
        api_server: ApiServer {
            cert_sans: f.api_cert_sans(),
            extra_args: vec![bind.clone()],
        },
        certificates_dir: node_paths::PKI.into(),
        cluster_name: f.name.clone(),
        control_plane_endpoint: format!("{}:{API_PORT}", f.api.name),
        controller_manager: Component {
            extra_args: controller_manager,
        },
        // The CAs kops6 makes are ECDSA P-256; kubeadm makes its own certificates to match.
        encryption_algorithm: "ECDSA-P256".into(),
        etcd: Etcd {
            local: LocalEtcd {
                data_dir: node_paths::ETCD_DATA.into(),
            },
        },
        kubernetes_version: f.packages.kubernetes_version.clone(),
        networking: Networking {
            dns_domain: f.dns_domain.clone(),
            service_subnet: f.service_range.to_string(),
        },
        scheduler: Component {
            extra_args: vec![bind],
        },
    }
}

pub fn kubelet_configuration(f: &ClusterFacts) -> KubeletConfiguration {
    KubeletConfiguration {
        api_version: KUBELET_API_VERSION.into(),
        kind: "KubeletConfiguration".into(),
        address: any_address(f).into(),
        authentication: KubeletAuthentication {
            anonymous: Enabled { enabled: false },
            webhook: Enabled { enabled: true },
        },
        authorization: KubeletAuthorization {
            mode: "Webhook".into(),
        },
        cgroup_driver: "systemd".into(),
        cluster_dns: vec![f.dns_service_ip.to_string()],
        cluster_domain: f.dns_domain.clone(),
        rotate_certificates: true,
    }
}

pub fn join_configuration(f: &ClusterFacts, group: &str, control_plane: bool) -> JoinConfiguration {
    JoinConfiguration {
        api_version: KUBEADM_API_VERSION.into(),
        kind: "JoinConfiguration".into(),
        control_plane: control_plane.then(|| JoinControlPlane {
            local_api_endpoint: local_endpoint(f),
        }),
        discovery: Discovery {
            file: FileDiscovery {
                kube_config_path: node_paths::BOOTSTRAP_KUBECONFIG.into(),
            },
        },
        node_registration: node_registration(f, group),
    }
}

/// `kubeadm init --config`: InitConfiguration, ClusterConfiguration, KubeletConfiguration.
pub fn init_file(f: &ClusterFacts, group: &str) -> Result<String, BootstrapError> {
    Ok([
        to_yaml("InitConfiguration", &init_configuration(f, group))?,
        to_yaml("ClusterConfiguration", &cluster_configuration(f))?,
        to_yaml("KubeletConfiguration", &kubelet_configuration(f))?,
    ]
    .join("---\n"))
}

/// `kubeadm join --config`.
pub fn join_file(
    f: &ClusterFacts,
    group: &str,
    control_plane: bool,
) -> Result<String, BootstrapError> {
    to_yaml(
        "JoinConfiguration",
        &join_configuration(f, group, control_plane),
    )
}
