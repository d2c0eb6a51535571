//! What kops6 installs, pinned: Kubernetes packages per minor release and addon images.

use kops6_api::version::KubernetesVersion;

use crate::BootstrapError;

/// Kubernetes minor releases whose packages kops6 installs from the official repository
/// (`pkgs.k8s.io/core:/stable:/v1.MINOR/deb/`) and whose API objects its addons target.
pub const SUPPORTED_MINORS: [u64; 3] = [33, 34, 35];

/// The packages for one Kubernetes version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packages {
    /// `v1.35.0`, as kubeadm's `kubernetesVersion`.
    pub kubernetes_version: String,
    /// `v1.35`: the repository path component.
    pub repository_minor: String,
    /// `1.35.0-1.1`: the Debian version of kubelet, kubeadm and kubectl in that repository.
    pub package_version: String,
}

impl Packages {
    /// The packages for `spec.kubernetesVersion`, or an error naming the field and the
    /// versions that exist.
    pub fn for_version(raw: &str) -> Result<Self, BootstrapError> {
        let supported = || {
            SUPPORTED_MINORS
                .iter()
                .map(|m| format!("v1.{m}.x"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let unsupported = |why: String| BootstrapError::Spec {
            path: "spec.kubernetesVersion".into(),
            message: format!("{why}; kops6 installs packages for {}", supported()),
        };
        let version: KubernetesVersion = raw.parse().map_err(unsupported)?;
        let bare = version.to_string();
        let semver = semver::Version::parse(bare.trim_start_matches('v'))
            .map_err(|e| unsupported(e.to_string()))?;
        if semver.major != 1 || !SUPPORTED_MINORS.contains(&semver.minor) || !semver.pre.is_empty()
        {
            return Err(unsupported(format!("{raw:?} has no packages")));
        }
        Ok(Self {
            kubernetes_version: bare,
            repository_minor: format!("v1.{}", semver.minor),
            package_version: format!("{}.{}.{}-1.1", semver.major, semver.minor, semver.patch),
        })
    }
}

/// An image kops6 runs, by tag (kOps' pins, `research/kops-cluster-ipv6.md` §3).
pub mod images {
    pub const AWS_CLOUD_CONTROLLER_MANAGER: &str =
        "registry.k8s.io/provider-aws/cloud-controller-manager:v1.36.1";
    pub const COREDNS: &str = "registry.k8s.io/coredns/coredns:v1.14.2";
    pub const EBS_CSI_DRIVER: &str = "registry.k8s.io/provider-aws/aws-ebs-csi-driver:v1.58.0";
    pub const CSI_NODE_DRIVER_REGISTRAR: &str =
        "registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.16.0";
    pub const CSI_PROVISIONER: &str = "registry.k8s.io/sig-storage/csi-provisioner:v6.2.0";
    pub const CSI_ATTACHER: &str = "registry.k8s.io/sig-storage/csi-attacher:v4.11.0";
    pub const CSI_LIVENESS_PROBE: &str = "registry.k8s.io/sig-storage/livenessprobe:v2.18.0";
    pub const CALICO_VERSION: &str = "v3.31.6";
    pub const CILIUM: &str = "quay.io/cilium/cilium:v1.18.12";
    pub const CILIUM_OPERATOR: &str = "quay.io/cilium/operator-generic:v1.18.12";
}

/// A manifest kops6 does not build itself: fetched by the first control plane and applied
/// only when its SHA-256 matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteManifest {
    pub name: &'static str,
    pub url: &'static str,
    pub sha256: &'static str,
}

/// Calico's CustomResourceDefinitions at v3.31.6 (24 CRDs, 305,670 bytes; the hash is of the
/// file at that tag in projectcalico/calico).
pub const CALICO_CRDS: RemoteManifest = RemoteManifest {
    name: "calico-crds",
    url: "https://raw.githubusercontent.com/projectcalico/calico/v3.31.6/manifests/crds.yaml",
    sha256: "1d6d5e523f92ee1e8227a48c016229c668f94035431b82f19139affeb45dbeff",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supported_version_maps_to_its_repository_and_package_version() {
        let p = Packages::for_version("v1.35.2").unwrap();
        assert_eq!(p.kubernetes_version, "v1.35.2");
        assert_eq!(p.repository_minor, "v1.35");
        assert_eq!(p.package_version, "1.35.2-1.1");
        assert_eq!(
            Packages::for_version("1.33.0").unwrap().repository_minor,
            "v1.33"
        );
    }

    #[test]
    fn unsupported_version_names_the_field_and_the_versions_that_exist() {
        let err = Packages::for_version("v1.20.0").unwrap_err();
        assert_eq!(
            err.to_string(),
            "spec.kubernetesVersion: \"v1.20.0\" has no packages; kops6 installs packages for \
             v1.33.x, v1.34.x, v1.35.x"
        );
        assert!(Packages::for_version("v1.35.0-rc.1").is_err());
        assert!(Packages::for_version("latest").is_err());
    }
}
