use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::*;

/// `spec.networking`: exactly one CNI is expected. Calico, Cilium and bring-your-own CNI are
/// modelled; the others are kept verbatim so validation can reject them by name in IPv6 mode.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkingSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amazonvpc: Option<AmazonVpcNetworkingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calico: Option<CalicoNetworkingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canal: Option<CanalNetworkingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cilium: Option<CiliumNetworkingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classic: Option<Empty>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cni: Option<CniNetworkingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<Empty>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flannel: Option<FlannelNetworkingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gce: Option<Empty>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kindnet: Option<KindnetNetworkingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kopeio: Option<Empty>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubenet: Option<Empty>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kuberouter: Option<KuberouterNetworkingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lyftvpc: Option<LyftVpcNetworkingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub romana: Option<RomanaNetworkingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weave: Option<WeaveNetworkingSpec>,
}

/// The CNI a networking spec selects, by its YAML name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cni {
    Calico,
    Cilium,
    Cni,
    /// Any other option, by name (e.g. `kubenet`).
    Other(&'static str),
}

impl NetworkingSpec {
    /// Every CNI option that is set, in field order.
    pub fn selected(&self) -> Vec<Cni> {
        let others: [(&'static str, bool); 13] = [
            ("amazonvpc", self.amazonvpc.is_some()),
            ("canal", self.canal.is_some()),
            ("classic", self.classic.is_some()),
            ("external", self.external.is_some()),
            ("flannel", self.flannel.is_some()),
            ("gce", self.gce.is_some()),
            ("kindnet", self.kindnet.is_some()),
            ("kopeio", self.kopeio.is_some()),
            ("kubenet", self.kubenet.is_some()),
            ("kuberouter", self.kuberouter.is_some()),
            ("lyftvpc", self.lyftvpc.is_some()),
            ("romana", self.romana.is_some()),
            ("weave", self.weave.is_some()),
        ];
        let mut out = Vec::new();
        if self.calico.is_some() {
            out.push(Cni::Calico);
        }
        if self.cilium.is_some() {
            out.push(Cni::Cilium);
        }
        if self.cni.is_some() {
            out.push(Cni::Cni);
        }
        out.extend(
            others
                .iter()
                .filter(|(_, on)| *on)
                .map(|(n, _)| Cni::Other(n)),
        );
        out
    }

    /// A networking spec selecting one CNI by its `--networking` name.
    pub fn for_name(name: &str) -> Option<Self> {
        let mut n = Self::default();
        match name {
            "calico" => n.calico = Some(CalicoNetworkingSpec::default()),
            "cilium" => n.cilium = Some(CiliumNetworkingSpec::default()),
            "cni" => n.cni = Some(CniNetworkingSpec::default()),
            "amazonvpc" | "amazon-vpc-routed-eni" => n.amazonvpc = Some(Default::default()),
            "canal" => n.canal = Some(Default::default()),
            "classic" => n.classic = Some(Default::default()),
            "external" => n.external = Some(Default::default()),
            "flannel" | "flannel-vxlan" => n.flannel = Some(Default::default()),
            "gcp" | "gce" => n.gce = Some(Default::default()),
            "kindnet" => n.kindnet = Some(Default::default()),
            "kopeio-vxlan" | "kopeio" => n.kopeio = Some(Default::default()),
            "kubenet" => n.kubenet = Some(Default::default()),
            "kube-router" | "kuberouter" => n.kuberouter = Some(Default::default()),
            "lyftvpc" => n.lyftvpc = Some(Default::default()),
            "romana" => n.romana = Some(Default::default()),
            "weave" => n.weave = Some(Default::default()),
            _ => return None,
        }
        Some(n)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CalicoNetworkingSpec {
    #[serde(
        default,
        rename = "allowIPForwarding",
        skip_serializing_if = "Option::is_none"
    )]
    pub allow_ip_forwarding: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_src_dst_check: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bpf_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bpf_external_service_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bpf_kube_proxy_iptables_cleanup_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bpf_log_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_insert_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_subnet: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encapsulation_mode: Option<String>,
    #[serde(default, rename = "ipipMode", skip_serializing_if = "Option::is_none")]
    pub ipip_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iptables_backend: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv4_auto_detection_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_auto_detection_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_severity_screen: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub major_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtu: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nftables_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus_go_metrics_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus_metrics_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus_metrics_port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus_process_metrics_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typha_prometheus_metrics_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typha_prometheus_metrics_port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typha_replicas: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vxlan_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wireguard_enabled: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CiliumNetworkingSpec {
    #[serde(
        default,
        rename = "IPTablesRulesNoinstall",
        skip_serializing_if = "Option::is_none"
    )]
    pub ip_tables_rules_noinstall: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_log: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agent_labels: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub agent_pod_annotations: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_prometheus_port: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_localhost: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_direct_node_routes: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_ipv6_node_routes: Option<bool>,
    #[serde(
        default,
        rename = "bpfCTGlobalAnyMax",
        skip_serializing_if = "Option::is_none"
    )]
    pub bpf_ct_global_any_max: Option<i64>,
    #[serde(
        default,
        rename = "bpfCTGlobalTCPMax",
        skip_serializing_if = "Option::is_none"
    )]
    pub bpf_ct_global_tcp_max: Option<i64>,
    #[serde(
        default,
        rename = "bpfLBAlgorithm",
        skip_serializing_if = "Option::is_none"
    )]
    pub bpf_lb_algorithm: Option<String>,
    #[serde(
        default,
        rename = "bpfLBMaglevTableSize",
        skip_serializing_if = "Option::is_none"
    )]
    pub bpf_lb_maglev_table_size: Option<String>,
    #[serde(
        default,
        rename = "bpfLBMapMax",
        skip_serializing_if = "Option::is_none"
    )]
    pub bpf_lb_map_max: Option<i64>,
    #[serde(default, rename = "bpfLBSock", skip_serializing_if = "Option::is_none")]
    pub bpf_lb_sock: Option<bool>,
    #[serde(
        default,
        rename = "bpfLBSockHostNSOnly",
        skip_serializing_if = "Option::is_none"
    )]
    pub bpf_lb_sock_host_ns_only: Option<bool>,
    #[serde(
        default,
        rename = "bpfNATGlobalMax",
        skip_serializing_if = "Option::is_none"
    )]
    pub bpf_nat_global_max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bpf_neigh_global_max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bpf_policy_map_max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bpf_root: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chaining_mode: Option<String>,
    #[serde(default, rename = "clusterID", skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cni_bin_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cni_exclusive: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub container_runtime: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub container_runtime_endpoint: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_runtime_labels: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debug: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub debug_verbose: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    #[serde(
        default,
        rename = "disableCNPStatusUpdates",
        skip_serializing_if = "Option::is_none"
    )]
    pub disable_cnp_status_updates: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_conntrack: Option<bool>,
    #[serde(
        default,
        rename = "disableEndpointCRD",
        skip_serializing_if = "Option::is_none"
    )]
    pub disable_endpoint_crd: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_ipv4: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_k_8s_services: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_masquerade: Option<bool>,
    #[serde(
        default,
        rename = "enableBPFMasquerade",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_bpf_masquerade: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_encryption: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_endpoint_health_checking: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_host_firewall: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_host_reachable_services: Option<bool>,
    #[serde(
        default,
        rename = "enableHubble",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_hubble: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_l7_proxy: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_local_redirect_policy: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_node_port: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_prometheus_metrics: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_remote_node_identity: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_service_topology: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_tracing: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_unreachable_routes: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enableipv4: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enableipv6: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envoy_log: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etcd_managed: Option<bool>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_config: BTreeMap<String, String>,
    #[serde(
        default,
        rename = "gatewayAPI",
        skip_serializing_if = "Option::is_none"
    )]
    pub gateway_api: Option<CiliumGatewayApiSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hubble: Option<HubbleSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_allocation_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_change_grace_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<CiliumIngressSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipam: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv4_cluster_cidr_mask_size: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv4_node: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv4_range: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv4_service_range: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cluster_alloc_cidr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_node: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_range: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_service_range: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k8s_api_server: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k8s_kubeconfig_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_bpf_templates: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_config: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_prefix_file: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lb: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lib_dir: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log_driver: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub log_opt: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logstash: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logstash_agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logstash_probe_timer: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitor_aggregation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nat46_range: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_encryption: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_init_bootstrap_file: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operator_pod_annotations: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pprof: Option<bool>,
    #[serde(
        default,
        rename = "preallocateBPFMaps",
        skip_serializing_if = "Option::is_none"
    )]
    pub preallocate_bpf_maps: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefilter_device: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus_serve_addr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconfigure_kubelet: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_cbr_bridge: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_pods: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecar_istio_proxy_image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub single_cluster_route: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub socket_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_dir: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_fqdns_dns_reject_response_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_fqdns_enable_poller: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_payloadlen: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tunnel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CniNetworkingSpec {
    #[serde(
        default,
        rename = "usesSecondaryIP",
        skip_serializing_if = "Option::is_none"
    )]
    pub uses_secondary_ip: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AmazonVpcNetworkingSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_image_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_policy_agent_image: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CanalNetworkingSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_insert_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_endpoint_to_host_action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_flannel_forward_rules: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_tx_checksum_offloading: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iptables_backend: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_severity_sys: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtu: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus_go_metrics_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus_metrics_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus_metrics_port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus_process_metrics_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typha_prometheus_metrics_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typha_prometheus_metrics_port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typha_replicas: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FlannelNetworkingSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_tx_checksum_offloading: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iptables_resync_seconds: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KindnetNetworkingSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_network_policies: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_admin_network_policies: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_caching: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fast_path_threshold: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masquerade: Option<KindnetMasqueradeSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nat64: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_policies: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KuberouterNetworkingSpec {
    #[serde(
        default,
        rename = "useNFTablesForNetpol",
        skip_serializing_if = "Option::is_none"
    )]
    pub use_nf_tables_for_netpol: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LyftVpcNetworkingSpec {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub subnet_tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RomanaNetworkingSpec {
    #[serde(
        default,
        rename = "daemonServiceIP",
        skip_serializing_if = "Option::is_none"
    )]
    pub daemon_service_ip: Option<String>,
    #[serde(
        default,
        rename = "etcdServiceIP",
        skip_serializing_if = "Option::is_none"
    )]
    pub etcd_service_ip: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WeaveNetworkingSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conn_limit: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtu: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_extra_args: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_masq_local: Option<i32>,
    #[serde(
        default,
        rename = "npcCPULimit",
        skip_serializing_if = "Option::is_none"
    )]
    pub npc_cpu_limit: Option<Quantity>,
    #[serde(
        default,
        rename = "npcCPURequest",
        skip_serializing_if = "Option::is_none"
    )]
    pub npc_cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npc_extra_args: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npc_memory_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npc_memory_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CiliumGatewayApiSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_secrets_sync: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CiliumIngressSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_load_balancer_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_secrets_sync: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforce_https: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_annotation_prefixes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_load_balancer_service_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HubbleSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KindnetMasqueradeSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(
        default,
        rename = "nonMasqueradeCIDRs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub non_masquerade_cidrs: Vec<String>,
}
