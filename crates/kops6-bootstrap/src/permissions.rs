//! What each role's instances do at boot with their IAM role, so the IAM policies (kops6-model)
//! grant exactly that: the EC2 calls the prelude makes, and the state-store keys it reads.

use kops6_pki::paths;

use crate::facts::Role;

/// EC2 actions the prelude calls (SPEC 7: `AssignIpv6Addresses` for every bootstrapping role in
/// IPv6 mode; the control plane also finds and attaches its zone's etcd volume).
pub fn ec2_actions(role: Role, ipv6: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    if ipv6 {
        out.push("ec2:AssignIpv6Addresses");
    }
    if matches!(role, Role::ControlPlane { .. }) {
        out.extend(["ec2:AttachVolume", "ec2:DescribeVolumes"]);
    }
    out
}

/// What the role reads from the cluster's directory in the state store (`s3:GetObject`):
/// exact keys, or prefixes ending in `/`. Workers read only their discovery kubeconfig.
pub fn state_store_reads(role: Role) -> Vec<String> {
    match role {
        Role::Node => paths::node_readable(),
        Role::ControlPlane { .. } => paths::CONTROL_PLANE_READABLE_PREFIXES
            .iter()
            .map(|p| p.to_string())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_read_only_the_discovery_kubeconfig_and_only_ask_for_their_prefix() {
        assert_eq!(
            state_store_reads(Role::Node),
            ["pki/private/node-bootstrap/kubeconfig"]
        );
        assert_eq!(ec2_actions(Role::Node, true), ["ec2:AssignIpv6Addresses"]);
        assert!(ec2_actions(Role::Node, false).is_empty());
    }

    #[test]
    fn control_planes_read_the_pki_and_addons_and_attach_their_etcd_volume() {
        let cp = Role::ControlPlane {
            may_initialize: false,
        };
        assert_eq!(state_store_reads(cp), ["pki/", "addons/"]);
        assert_eq!(
            ec2_actions(cp, true),
            [
                "ec2:AssignIpv6Addresses",
                "ec2:AttachVolume",
                "ec2:DescribeVolumes"
            ]
        );
    }
}
