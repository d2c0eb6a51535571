//! Where the PKI lives in the state store, relative to the cluster's directory (kOps-like
//! `pki/issued/<keyset>/...` for public halves and `pki/private/<keyset>/...` for secrets).
//! The IAM policies that let a role read a path are built from these same functions.

use crate::CaKind;

pub const PRIVATE_PREFIX: &str = "pki/private/";
pub const ISSUED_PREFIX: &str = "pki/issued/";

pub fn ca_certificate(kind: CaKind) -> String {
    format!("{ISSUED_PREFIX}{}/ca.crt", kind.keyset())
}

pub fn ca_key(kind: CaKind) -> String {
    format!("{PRIVATE_PREFIX}{}/ca.key", kind.keyset())
}

pub const SERVICE_ACCOUNT_KEY: &str = "pki/private/service-account/sa.key";
pub const SERVICE_ACCOUNT_PUBLIC: &str = "pki/issued/service-account/sa.pub";
/// The kubeadm bootstrap token workers join with (rotated by kops6).
pub const BOOTSTRAP_TOKEN: &str = "pki/private/node-bootstrap/token";
/// The discovery kubeconfig workers pass to `kubeadm join` (CA + API name + token).
pub const BOOTSTRAP_KUBECONFIG: &str = "pki/private/node-bootstrap/kubeconfig";

/// Every secret a control-plane instance reads (CAs' keys, the service-account key).
pub fn control_plane_secrets() -> Vec<String> {
    let mut out: Vec<String> = CaKind::ALL.iter().map(|k| ca_key(*k)).collect();
    out.push(SERVICE_ACCOUNT_KEY.into());
    out.push(BOOTSTRAP_TOKEN.into());
    out
}

/// What a worker's role may read from the cluster's directory: only the discovery kubeconfig.
/// The IAM policy grants exactly these keys (so a node cannot read a CA key).
pub fn node_readable() -> Vec<String> {
    vec![BOOTSTRAP_KUBECONFIG.into()]
}

/// Prefixes (of the cluster's directory) a control-plane role may read: the PKI and the addons.
pub const CONTROL_PLANE_READABLE_PREFIXES: [&str; 2] = ["pki/", "addons/"];
