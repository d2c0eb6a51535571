//! Which spec fields kops6 acts on, which it only stores, and which it refuses.
//!
//! kops6 reads kOps' whole v1alpha2 API, so a kOps user's spec loads and round-trips. Not every
//! field changes what kops6 builds. A field that kops6 stores without acting on is reported as a
//! warning ("stored, not acted on by kops6: spec.certManager"). A field whose omission would build
//! a different network, security boundary or node configuration than the user asked for is
//! refused, naming the field. Settings that kOps itself ignores (e.g. `associatePublicIp` on a
//! private subnet) are reported as ignored.
//!
//! The status of every field lives in one table per kind ([`CLUSTER_FIELDS`],
//! [`INSTANCE_GROUP_FIELDS`]). A path ending in `.*` is the status of every child of that field
//! that has no entry of its own, so a field can be acted on in part (`spec.kubelet` with
//! `spec.kubelet.maxPods` refused). `[]` stands for every element of a list.
//! `docs/api-fields.md` is rendered from these tables, and a test keeps the two equal.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::defaults;
use crate::errors::{FieldError, ObjectRef};
use crate::types::{Cluster, ClusterSubnetSpec, InstanceGroup};

/// What kops6 does with a field that is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// kops6 builds, configures or checks something from it.
    Acted,
    /// Kept in the state store and written back, but nothing kops6 builds depends on it.
    StoredOnly,
    /// Not implemented, and ignoring it would build something other than what was asked for.
    Refused,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Self::Acted => "acted on",
            Self::StoredOnly => "stored only",
            Self::Refused => "refused",
        }
    }
}

/// One row of a field table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldStatus {
    /// `spec.<yaml name>`, deeper paths for fields acted on in part.
    pub path: &'static str,
    pub status: Status,
    /// Why, in a few words (shown in the docs table and in refusals).
    pub note: &'static str,
}

const fn acted(path: &'static str, note: &'static str) -> FieldStatus {
    FieldStatus {
        path,
        status: Status::Acted,
        note,
    }
}

const fn stored(path: &'static str, note: &'static str) -> FieldStatus {
    FieldStatus {
        path,
        status: Status::StoredOnly,
        note,
    }
}

const fn refused(path: &'static str, note: &'static str) -> FieldStatus {
    FieldStatus {
        path,
        status: Status::Refused,
        note,
    }
}

const NODE: &str = "node configuration kops6 does not apply";
const ADDON: &str = "an add-on kops6 does not install";
const LEGACY: &str = "legacy; kOps itself no longer acts on it";
const OTHER_CLOUD: &str = "another cloud's setting";

/// Every field of a Cluster's `spec`.
pub const CLUSTER_FIELDS: &[FieldStatus] = &[
    refused(
        "spec.DisableSubnetTags",
        "subnet tags are part of the network kops6 builds",
    ),
    refused(
        "spec.additionalNetworkCIDRs",
        "extra VPC CIDRs are not built",
    ),
    refused(
        "spec.additionalPolicies",
        "extra IAM policies: security boundary",
    ),
    stored("spec.additionalSans", "extra API certificate names"),
    stored("spec.addons", "extra add-on manifests"),
    acted("spec.api", "API load balancer and DNS name (SPEC 7)"),
    refused("spec.api.*", "API access settings kops6 does not build"),
    acted("spec.api.dns", "DNS name for the API"),
    acted("spec.api.loadBalancer", "API load balancer"),
    refused(
        "spec.api.loadBalancer.*",
        "load balancer settings kops6 does not build",
    ),
    acted("spec.api.loadBalancer.class", "Network only"),
    stored(
        "spec.api.loadBalancer.crossZoneLoadBalancing",
        "load balancer attribute",
    ),
    stored(
        "spec.api.loadBalancer.idleTimeoutSeconds",
        "load balancer attribute",
    ),
    acted("spec.api.loadBalancer.type", "Public or Internal"),
    stored(
        "spec.api.loadBalancer.useForInternalApi",
        "internal API name",
    ),
    acted("spec.api.publicName", "the API's name"),
    refused(
        "spec.assets",
        "private registries and file mirrors for nodes",
    ),
    refused(
        "spec.authentication",
        "API authentication: security boundary",
    ),
    acted("spec.authorization", "RBAC"),
    refused(
        "spec.authorization.*",
        "an authorizer other than RBAC: security boundary",
    ),
    acted("spec.authorization.rbac", "RBAC"),
    stored("spec.awsLoadBalancerController", ADDON),
    stored("spec.certManager", ADDON),
    stored("spec.channel", "kops6 pins its own versions"),
    acted("spec.cloudConfig", "cloud controller manager settings"),
    stored("spec.cloudConfig.*", "cloud settings kops6 does not use"),
    stored(
        "spec.cloudConfig.awsEBSCSIDriver",
        "EBS CSI driver settings",
    ),
    acted("spec.cloudConfig.nodeIPFamilies", "IPv6 first (SPEC 3)"),
    acted(
        "spec.cloudControllerManager",
        "AWS cloud controller manager (SPEC 4.2)",
    ),
    stored("spec.cloudControllerManager.*", "controller tuning"),
    acted("spec.cloudControllerManager.allocateNodeCIDRs", "SPEC 3"),
    acted("spec.cloudControllerManager.cidrAllocatorType", "SPEC 3"),
    acted("spec.cloudControllerManager.cloudProvider", "SPEC 3"),
    acted("spec.cloudControllerManager.clusterCIDR", "SPEC 3"),
    acted("spec.cloudControllerManager.clusterName", "SPEC 3"),
    acted("spec.cloudControllerManager.configureCloudRoutes", "SPEC 3"),
    acted("spec.cloudControllerManager.image", "SPEC 8"),
    stored("spec.cloudLabels", "extra tags on cloud resources"),
    acted("spec.cloudProvider", "aws only"),
    stored("spec.clusterAutoscaler", ADDON),
    refused(
        "spec.clusterDNSDomain",
        "the cluster's DNS domain on every node",
    ),
    acted("spec.configBase", "state store path"),
    stored("spec.configStore", LEGACY),
    stored("spec.containerRuntime", LEGACY),
    refused("spec.containerd", NODE),
    stored("spec.dnsControllerGossipConfig", LEGACY),
    acted("spec.dnsZone", "Route 53 zone of the API records"),
    refused("spec.docker", NODE),
    refused("spec.egressProxy", "an HTTP proxy for all egress: network"),
    refused(
        "spec.encryptionConfig",
        "encryption of secrets at rest: security boundary",
    ),
    acted("spec.etcdClusters", "etcd members and volumes (SPEC 7)"),
    stored("spec.etcdClusters[].*", "etcd tuning"),
    acted(
        "spec.etcdClusters[].etcdMembers",
        "one member per control-plane group",
    ),
    acted("spec.etcdClusters[].name", "main and events"),
    stored("spec.externalDns", ADDON),
    refused(
        "spec.externalPolicies",
        "extra IAM policies: security boundary",
    ),
    refused("spec.fileAssets", NODE),
    stored("spec.gossipConfig", LEGACY),
    refused("spec.hooks", NODE),
    acted("spec.iam", "IAM roles (SPEC 7)"),
    refused("spec.iam.*", "IAM settings: security boundary"),
    stored("spec.iam.allowContainerRegistry", "ECR read access"),
    acted("spec.iam.legacy", "must be false"),
    stored(
        "spec.iam.useServiceAccountExternalPermissions",
        "no service account permissions are built",
    ),
    stored("spec.isolateMasters", LEGACY),
    stored("spec.karpenter", ADDON),
    stored("spec.keyStore", LEGACY),
    acted("spec.kubeAPIServer", "kube-apiserver (SPEC 3, 8)"),
    refused(
        "spec.kubeAPIServer.*",
        "API server flags kops6 does not set: security boundary",
    ),
    acted("spec.kubeAPIServer.bindAddress", "SPEC 3"),
    acted(
        "spec.kubeAPIServer.cloudProvider",
        "external only in IPv6 mode",
    ),
    acted(
        "spec.kubeControllerManager",
        "kube-controller-manager (SPEC 3, 8)",
    ),
    stored("spec.kubeControllerManager.*", "controller tuning"),
    acted("spec.kubeControllerManager.allocateNodeCIDRs", "SPEC 3"),
    acted(
        "spec.kubeControllerManager.cloudProvider",
        "external only in IPv6 mode",
    ),
    acted("spec.kubeControllerManager.clusterCIDR", "SPEC 3"),
    acted("spec.kubeControllerManager.configureCloudRoutes", "SPEC 3"),
    acted("spec.kubeDNS", "CoreDNS (SPEC 3, 8)"),
    stored("spec.kubeDNS.*", "DNS add-on tuning"),
    acted("spec.kubeDNS.dns64", "SPEC 3"),
    acted("spec.kubeDNS.domain", "SPEC 3"),
    acted("spec.kubeDNS.provider", "CoreDNS"),
    acted("spec.kubeDNS.serverIP", "SPEC 3"),
    acted("spec.kubeDNS.upstreamNameservers", "SPEC 3"),
    acted("spec.kubeProxy", "kube-proxy on or off"),
    refused("spec.kubeProxy.*", NODE),
    acted("spec.kubeProxy.clusterCIDR", "SPEC 3"),
    acted("spec.kubeProxy.enabled", "off with Cilium"),
    stored("spec.kubeScheduler", "scheduler tuning"),
    acted("spec.kubelet", "kubelet (SPEC 3, 8)"),
    refused("spec.kubelet.*", NODE),
    acted("spec.kubelet.anonymousAuth", "always false"),
    acted("spec.kubelet.cloudProvider", "external only in IPv6 mode"),
    acted("spec.kubelet.clusterDNS", "SPEC 3"),
    acted("spec.kubelet.clusterDomain", "SPEC 3"),
    acted("spec.kubelet.nodeIP", "SPEC 3"),
    acted(
        "spec.kubernetesApiAccess",
        "API security group rules (SPEC 7)",
    ),
    acted("spec.kubernetesVersion", "SPEC 4.3"),
    stored("spec.masterInternalName", LEGACY),
    acted("spec.masterKubelet", "control-plane kubelet (SPEC 3, 8)"),
    refused("spec.masterKubelet.*", NODE),
    acted("spec.masterKubelet.anonymousAuth", "always false"),
    acted(
        "spec.masterKubelet.cloudProvider",
        "external only in IPv6 mode",
    ),
    acted("spec.masterKubelet.clusterDNS", "SPEC 3"),
    acted("spec.masterKubelet.clusterDomain", "SPEC 3"),
    acted("spec.masterKubelet.nodeIP", "SPEC 3"),
    stored(
        "spec.masterPublicName",
        "legacy API name; kops6 uses api.<cluster>",
    ),
    stored("spec.metricsServer", ADDON),
    acted("spec.networkCIDR", "the VPC's IPv4 CIDR (SPEC 1.2)"),
    acted("spec.networkID", "shared VPC (SPEC 1.3)"),
    acted("spec.networking", "the CNI (SPEC 4.5)"),
    stored("spec.nodeAuthorization", LEGACY),
    acted(
        "spec.nodePortAccess",
        "node-port security group rules (SPEC 7)",
    ),
    stored("spec.nodeProblemDetector", ADDON),
    stored("spec.nodeTerminationHandler", ADDON),
    acted("spec.nonMasqueradeCIDR", "IPv6 mode (SPEC 1.1)"),
    refused("spec.ntp", NODE),
    refused("spec.packages", NODE),
    refused("spec.podCIDR", "an IPv4 pod range: network"),
    stored("spec.podIdentityWebhook", ADDON),
    stored("spec.project", OTHER_CLOUD),
    stored("spec.rollingUpdate", "kops6 has no rolling update"),
    stored("spec.secretStore", LEGACY),
    stored(
        "spec.serviceAccountIssuerDiscovery",
        "OIDC discovery for service accounts",
    ),
    acted("spec.serviceClusterIPRange", "service range (SPEC 3)"),
    stored("spec.snapshotController", ADDON),
    acted("spec.sshAccess", "SSH security group rules (SPEC 7)"),
    acted("spec.sshKeyName", "key pair (SPEC 7)"),
    acted("spec.subnets", "subnets, routes, NAT (SPEC 6)"),
    stored("spec.subnets[].*", "subnet settings kops6 does not use"),
    acted("spec.subnets[].additionalRoutes", "SPEC 6"),
    acted("spec.subnets[].cidr", "SPEC 1.4"),
    acted("spec.subnets[].egress", "SPEC 4.9"),
    acted("spec.subnets[].id", "shared subnet"),
    acted("spec.subnets[].ipv6CIDR", "SPEC 5"),
    acted("spec.subnets[].name", "SPEC 1.4"),
    acted("spec.subnets[].publicIP", "NAT gateway address"),
    acted("spec.subnets[].type", "SPEC 1.5"),
    acted("spec.subnets[].zone", "SPEC 1.4"),
    refused("spec.sysctlParameters", NODE),
    stored("spec.target", "extra Terraform provider settings"),
    acted("spec.topology", "bastion and DNS type"),
    stored("spec.topology.*", LEGACY),
    acted("spec.topology.bastion", "bastion (SPEC 7)"),
    acted("spec.topology.dns", "DNS type (SPEC 7)"),
    stored("spec.updatePolicy", "kops6 does not manage OS updates"),
    refused("spec.useHostCertificates", NODE),
    stored("spec.warmPool", "no warm pools"),
];

/// Every field of an InstanceGroup's `spec`.
pub const INSTANCE_GROUP_FIELDS: &[FieldStatus] = &[
    refused("spec.additionalSecurityGroups", "security boundary"),
    refused("spec.additionalUserData", NODE),
    acted("spec.associatePublicIp", "public IPv4 on Public subnets"),
    stored("spec.autoscale", "cluster autoscaler hint"),
    stored("spec.autoscalePriority", "cluster autoscaler hint"),
    stored("spec.capacityRebalance", "spot setting"),
    stored("spec.cloudLabels", "extra tags on cloud resources"),
    stored("spec.compressUserData", "user data encoding"),
    refused("spec.containerd", NODE),
    stored("spec.cpuCredits", "burstable instance setting"),
    stored("spec.detailedInstanceMonitoring", "CloudWatch setting"),
    refused(
        "spec.externalLoadBalancers",
        "load balancer membership: network",
    ),
    refused("spec.fileAssets", NODE),
    stored("spec.gcpProvisioningModel", OTHER_CLOUD),
    stored("spec.guestAccelerators", OTHER_CLOUD),
    refused("spec.hooks", NODE),
    refused("spec.iam", "instance profile: security boundary"),
    acted("spec.image", "launch template image (SPEC 7)"),
    stored("spec.instanceInterruptionBehavior", "spot setting"),
    acted("spec.instanceMetadata", "IMDS settings (SPEC 7)"),
    stored("spec.instanceProtection", "scale-in protection"),
    refused("spec.kubelet", NODE),
    acted("spec.machineType", "instance type (SPEC 7)"),
    refused(
        "spec.manager",
        "a node manager other than the autoscaling group",
    ),
    stored("spec.maxInstanceLifetime", "autoscaling group setting"),
    refused("spec.maxPrice", "spot instances: node configuration"),
    acted("spec.maxSize", "autoscaling group size (SPEC 7)"),
    acted("spec.minSize", "autoscaling group size (SPEC 7)"),
    refused(
        "spec.mixedInstancesPolicy",
        "instance types and spot: node configuration",
    ),
    acted("spec.nodeLabels", "kubelet node labels (SPEC 8)"),
    refused("spec.packages", NODE),
    acted("spec.role", "what the instances are"),
    stored("spec.rollingUpdate", "kops6 has no rolling update"),
    stored("spec.rootVolumeDeleteOnTermination", "root volume setting"),
    refused(
        "spec.rootVolumeEncryption",
        "unencrypted or re-keyed disks: security boundary",
    ),
    refused(
        "spec.rootVolumeEncryptionKey",
        "disk key: security boundary",
    ),
    stored("spec.rootVolumeIops", "root volume performance"),
    stored("spec.rootVolumeOptimization", "EBS optimisation"),
    acted("spec.rootVolumeSize", "root volume (SPEC 7)"),
    stored("spec.rootVolumeThroughput", "root volume performance"),
    acted("spec.rootVolumeType", "root volume (SPEC 7)"),
    refused("spec.securityGroupOverride", "security boundary"),
    stored("spec.spotDurationInMinutes", "spot setting"),
    acted("spec.subnets", "where instances run (SPEC 1.6)"),
    stored("spec.suspendProcesses", "autoscaling group setting"),
    refused("spec.sysctlParameters", NODE),
    acted("spec.taints", "kubelet node taints (SPEC 8)"),
    refused("spec.tenancy", "dedicated hosts: node configuration"),
    stored("spec.updatePolicy", "kops6 does not manage OS updates"),
    refused("spec.volumeMounts", NODE),
    refused("spec.volumes", NODE),
    stored("spec.warmPool", "no warm pools"),
    stored("spec.zones", OTHER_CLOUD),
];

/// What a set of specs asks that kops6 will not do exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    /// Fields set but not acted on, one per field.
    pub stored_only: Vec<FieldError>,
    /// Fields kops6 refuses: the spec must not be applied.
    pub refused: Vec<FieldError>,
    /// Settings kOps ignores too, with why.
    pub ignored: Vec<FieldError>,
}

impl Review {
    /// The warning lines the CLI prints: stored-only fields, then ignored settings.
    pub fn warnings(&self) -> Vec<String> {
        let stored = self.stored_only.iter().map(|e| match &e.object {
            ObjectRef::Cluster(_) => format!("stored, not acted on by kops6: {}", e.path),
            other => format!("stored, not acted on by kops6: {other}: {}", e.path),
        });
        let ignored = self
            .ignored
            .iter()
            .map(|e| format!("ignored, as kOps does: {e}"));
        stored.chain(ignored).collect()
    }
}

type Table = BTreeMap<&'static str, &'static FieldStatus>;

/// Both field tables by path, built once.
fn tables() -> &'static (Table, Table) {
    static TABLES: OnceLock<(Table, Table)> = OnceLock::new();
    TABLES.get_or_init(|| {
        let by_path = |t: &'static [FieldStatus]| t.iter().map(|f| (f.path, f)).collect();
        (by_path(CLUSTER_FIELDS), by_path(INSTANCE_GROUP_FIELDS))
    })
}

/// Reviews a cluster and its groups as the user wrote them (before completion).
pub fn review(cluster: &Cluster, groups: &[InstanceGroup]) -> Review {
    let mut review = Review::default();
    let object = ObjectRef::Cluster(cluster.metadata.name.clone());
    walk_spec(&mut review, &object, &cluster.spec, &tables().0);
    for g in groups {
        let object = ObjectRef::InstanceGroup(g.metadata.name.clone());
        walk_spec(&mut review, &object, &g.spec, &tables().1);
        review
            .ignored
            .extend(ignored_public_ip(&object, g, &cluster.spec.subnets));
    }
    review
}

/// kOps gives no public IPv4 address in a private subnet whatever `associatePublicIp` says.
fn ignored_public_ip(
    object: &ObjectRef,
    g: &InstanceGroup,
    subnets: &[ClusterSubnetSpec],
) -> Vec<FieldError> {
    if g.spec.associate_public_ip != Some(true) {
        return Vec::new();
    }
    g.spec
        .subnets
        .iter()
        .filter_map(|name| subnets.iter().find(|s| &s.name == name))
        .filter(|s| s.subnet_type.is_private())
        .map(|s| FieldError {
            object: object.clone(),
            path: "spec.associatePublicIp".into(),
            message: format!(
                "subnet {:?} is {}: instances there get no public IPv4 address",
                s.name, s.subnet_type
            ),
        })
        .collect()
}

/// Values kops6's own `create cluster` writes for fields it does not act on, because kOps
/// writes them (`channel: stable`, the etcd clusters' requests and backup retention, ECR
/// access). They are kOps' defaults rather than a request, so they raise no warning.
fn is_create_default(pattern: &str, value: &serde_json::Value) -> bool {
    match pattern {
        "spec.channel" => value.as_str() == Some(defaults::CHANNEL),
        // `new_cluster` sets it, as kOps' create cluster does.
        "spec.iam.allowContainerRegistry" => value.as_bool() == Some(true),
        _ => pattern
            .strip_prefix("spec.etcdClusters[].")
            .is_some_and(|field| {
                let created = defaults::etcd_clusters(std::iter::empty());
                serde_json::to_value(created).is_ok_and(|created| {
                    created
                        .as_array()
                        .is_some_and(|all| all.iter().any(|c| c.get(field) == Some(value)))
                })
            }),
    }
}

fn asks_nothing(value: &serde_json::Value) -> bool {
    value == &serde_json::Value::Bool(false)
}

fn walk_spec<T: Serialize>(review: &mut Review, object: &ObjectRef, spec: &T, table: &Table) {
    let Ok(value) = serde_json::to_value(spec) else {
        return;
    };
    walk(review, object, table, "spec", "spec", &value);
}

/// Visits the children of `value` (at `path`; `pattern` is the same path with `[]` for list
/// indices, as the table writes it) and reports each set field that is not acted on.
fn walk(
    review: &mut Review,
    object: &ObjectRef,
    table: &Table,
    path: &str,
    pattern: &str,
    value: &serde_json::Value,
) {
    let serde_json::Value::Object(map) = value else {
        return;
    };
    let rest = table.get(format!("{pattern}.*").as_str()).copied();
    for (key, child) in map {
        let child_path = format!("{path}.{key}");
        let child_pattern = format!("{pattern}.{key}");
        let Some(entry) = table.get(child_pattern.as_str()).copied().or(rest) else {
            continue;
        };
        match entry.status {
            Status::StoredOnly if is_create_default(&child_pattern, child) => {}
            Status::StoredOnly => review.stored_only.push(FieldError {
                object: object.clone(),
                path: child_path,
                message: entry.note.to_string(),
            }),
            // `false` asks for nothing kops6 would leave out. (`{}` may: `alwaysAllow: {}`
            // selects an authorizer by its presence.)
            Status::Refused if asks_nothing(child) => {}
            Status::Refused => review.refused.push(FieldError {
                object: object.clone(),
                path: child_path,
                message: format!(
                    "is not implemented by kops6 ({}); remove it to go on",
                    entry.note
                ),
            }),
            Status::Acted => match child {
                serde_json::Value::Array(items) => {
                    let item_pattern = format!("{child_pattern}[]");
                    for (i, item) in items.iter().enumerate() {
                        let item_path = format!("{child_path}[{i}]");
                        walk(review, object, table, &item_path, &item_pattern, item);
                    }
                }
                _ => walk(review, object, table, &child_path, &child_pattern, child),
            },
        }
    }
}

/// The Markdown tables of `docs/api-fields.md`: every row of both field tables.
pub fn docs_tables() -> String {
    let mut out = String::new();
    for (title, table) in [
        ("Cluster", CLUSTER_FIELDS),
        ("InstanceGroup", INSTANCE_GROUP_FIELDS),
    ] {
        out.push_str(&format!(
            "### {title}\n\n| field | status | note |\n|---|---|---|\n"
        ));
        for f in table {
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                f.path,
                f.status.label(),
                f.note
            ));
        }
        out.push('\n');
    }
    out
}
