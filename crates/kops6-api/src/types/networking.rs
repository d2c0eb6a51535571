use serde::{Deserialize, Serialize};

use super::Opaque;

/// `spec.networking`: exactly one CNI is expected. Calico, Cilium and bring-your-own CNI are
/// modelled; the others are kept verbatim so validation can reject them by name in IPv6 mode.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkingSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amazonvpc: Option<Opaque>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calico: Option<CalicoNetworkingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canal: Option<Opaque>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cilium: Option<CiliumNetworkingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classic: Option<Opaque>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cni: Option<CniNetworkingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<Opaque>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flannel: Option<Opaque>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gcp: Option<Opaque>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kindnet: Option<Opaque>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kopeio: Option<Opaque>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubenet: Option<Opaque>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kuberouter: Option<Opaque>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weave: Option<Opaque>,
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
        let others: [(&'static str, bool); 11] = [
            ("amazonvpc", self.amazonvpc.is_some()),
            ("canal", self.canal.is_some()),
            ("classic", self.classic.is_some()),
            ("external", self.external.is_some()),
            ("flannel", self.flannel.is_some()),
            ("gcp", self.gcp.is_some()),
            ("kindnet", self.kindnet.is_some()),
            ("kopeio", self.kopeio.is_some()),
            ("kubenet", self.kubenet.is_some()),
            ("kuberouter", self.kuberouter.is_some()),
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
        let empty = || Some(Opaque::new());
        match name {
            "calico" => n.calico = Some(CalicoNetworkingSpec::default()),
            "cilium" => n.cilium = Some(CiliumNetworkingSpec::default()),
            "cni" => n.cni = Some(CniNetworkingSpec::default()),
            "amazonvpc" | "amazon-vpc-routed-eni" => n.amazonvpc = empty(),
            "canal" => n.canal = empty(),
            "classic" => n.classic = empty(),
            "external" => n.external = empty(),
            "flannel" | "flannel-vxlan" => n.flannel = empty(),
            "gcp" | "gce" => n.gcp = empty(),
            "kindnet" => n.kindnet = empty(),
            "kopeio-vxlan" | "kopeio" => n.kopeio = empty(),
            "kubenet" => n.kubenet = empty(),
            "kube-router" | "kuberouter" => n.kuberouter = empty(),
            "weave" => n.weave = empty(),
            _ => return None,
        }
        Some(n)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CalicoNetworkingSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_src_dst_check: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bpf_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encapsulation_mode: Option<String>,
    #[serde(default, rename = "ipipMode", skip_serializing_if = "Option::is_none")]
    pub ipip_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtu: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typha_replicas: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vxlan_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wireguard_enabled: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CiliumNetworkingSpec {
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
    #[serde(
        default,
        rename = "enableHubble",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_hubble: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_node_port: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipam: Option<String>,
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
