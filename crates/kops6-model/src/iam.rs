//! IAM roles, inline policies and instance profiles per role (SPEC 7), after kOps'
//! `pkg/model/iam/iam_builder.go`, granting less: no `s3:*`, state-store reads by key prefix.

use serde_json::{json, Value as Json};

use crate::context::Ctx;
use crate::graph::{Key, Kind, Spec, Value, Why};
use crate::specs::Role;

const IAM_RULE: &str = "SPEC 7: IAM";

/// Which state-store objects each role may read (S3 stores only), as keys inside the bucket:
/// a prefix ending in `/` (`clusters/<C>/pki/` for the control plane) or one exact object
/// (the nodes' join kubeconfig); the bootstrap layer decides them
/// (`kops6_bootstrap::permissions::state_store_reads`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateStoreAccess {
    pub bucket: String,
    pub control_plane_read: Vec<String>,
    pub node_read: Vec<String>,
}

/// The AWS partition of a region, for ARNs.
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// The trust policy of every instance role: EC2 may assume it.
pub fn assume_role_policy() -> String {
    let doc = json!({
        "Statement": [{
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": { "Service": "ec2.amazonaws.com" },
        }],
        "Version": "2012-10-17",
    });
    pretty(&doc)
}

fn pretty(doc: &Json) -> String {
    // Serialising a json! value cannot fail: keys are strings.
    serde_json::to_string_pretty(doc).unwrap_or_default()
}

impl Ctx<'_> {
    pub(crate) fn iam(&mut self, store: Option<&StateStoreAccess>) {
        for role in self.roles() {
            let name = self.iam_name(role);
            let why =
                |what: &str| Why::new("spec.instanceGroups[].role", format!("{IAM_RULE}: {what}"));
            let role_key = self.push_tagged(
                Key::new(Kind::IamRole, name.clone()),
                Spec::IamRole {
                    assume_role_policy: assume_role_policy(),
                },
                why("one role per instance role"),
            );
            let statements = self.statements(role, store);
            if !statements.is_empty() {
                let doc = json!({ "Statement": statements, "Version": "2012-10-17" });
                self.push(
                    Key::new(Kind::IamRolePolicy, name.clone()),
                    Spec::IamRolePolicy {
                        role: Value::Ref(role_key.clone()),
                        policy: pretty(&doc),
                    },
                    Default::default(),
                    why("the least the role's instances need"),
                );
            }
            self.push_tagged(
                Key::new(Kind::IamInstanceProfile, name),
                Spec::IamInstanceProfile {
                    role: Value::Ref(role_key),
                },
                why("instances take the role through an instance profile"),
            );
        }
    }

    fn statements(&self, role: Role, store: Option<&StateStoreAccess>) -> Vec<Json> {
        let mut out = Vec::new();
        let ipv6 = self.spec.is_ipv6();
        let unconditional = match role {
            Role::ControlPlane | Role::ApiServer => {
                let mut actions: Vec<&str> = CONTROL_PLANE_DESCRIBE.to_vec();
                if ipv6 {
                    // The bootstrap asks for the instance's IPv6 prefix; kops6 reads node
                    // interfaces to find each node's delegated prefix.
                    actions.extend(["ec2:AssignIpv6Addresses", "ec2:DescribeNetworkInterfaces"]);
                }
                actions.sort_unstable();
                actions.dedup();
                actions
            }
            Role::Node if ipv6 => vec!["ec2:AssignIpv6Addresses"],
            Role::Node | Role::Bastion => vec![],
        };
        match unconditional.as_slice() {
            [] => {}
            [one] => out.push(json!({ "Action": one, "Effect": "Allow", "Resource": "*" })),
            many => out.push(json!({ "Action": many, "Effect": "Allow", "Resource": "*" })),
        }
        if matches!(role, Role::ControlPlane | Role::ApiServer) {
            out.extend(self.control_plane_tagged());
        }
        if let Some(store) = store {
            let prefixes = match role {
                Role::ControlPlane | Role::ApiServer => &store.control_plane_read,
                Role::Node => &store.node_read,
                Role::Bastion => &Vec::new(),
            };
            out.extend(self.state_store_read(&store.bucket, prefixes));
        }
        let ecr = self
            .spec
            .iam
            .as_ref()
            .and_then(|i| i.allow_container_registry)
            .unwrap_or(false);
        if ecr && role.bootstraps() {
            out.push(json!({ "Action": ECR_READ, "Effect": "Allow", "Resource": "*" }));
        }
        out
    }

    /// Mutations the cloud controller manager and the EBS CSI driver need, limited to
    /// resources tagged (or being created tagged) for this cluster.
    fn control_plane_tagged(&self) -> Vec<Json> {
        let p = partition(self.region);
        let c = self.name;
        vec![
            json!({
                "Action": "ec2:AttachVolume",
                "Condition": { "StringEquals": {
                    "aws:ResourceTag/KubernetesCluster": c,
                    "aws:ResourceTag/k8s.io/role/control-plane": "1",
                }},
                "Effect": "Allow",
                "Resource": ["*"],
            }),
            json!({
                "Action": CONTROL_PLANE_MUTATE_TAGGED,
                "Condition": { "StringEquals": { "aws:ResourceTag/KubernetesCluster": c } },
                "Effect": "Allow",
                "Resource": "*",
            }),
            json!({
                "Action": CONTROL_PLANE_CREATE_TAGGED,
                "Condition": { "StringEquals": { "aws:RequestTag/KubernetesCluster": c } },
                "Effect": "Allow",
                "Resource": "*",
            }),
            json!({
                "Action": "ec2:CreateSecurityGroup",
                "Effect": "Allow",
                "Resource": format!("arn:{p}:ec2:*:*:vpc/*"),
            }),
            json!({
                "Action": "ec2:CreateTags",
                "Condition": { "StringEquals": {
                    "aws:RequestTag/KubernetesCluster": c,
                    "ec2:CreateAction": ["CreateSecurityGroup", "CreateVolume"],
                }},
                "Effect": "Allow",
                "Resource": [
                    format!("arn:{p}:ec2:*:*:security-group/*"),
                    format!("arn:{p}:ec2:*:*:volume/*"),
                ],
            }),
            json!({
                "Action": ["kms:CreateGrant"],
                "Condition": { "Bool": { "kms:GrantIsForAWSResource": "true" } },
                "Effect": "Allow",
                "Resource": "*",
            }),
        ]
    }

    /// `s3:GetObject` on each prefix, and listing the bucket under those prefixes only.
    fn state_store_read(&self, bucket: &str, prefixes: &[String]) -> Vec<Json> {
        if prefixes.is_empty() {
            return Vec::new();
        }
        let p = partition(self.region);
        // A prefix (`.../pki/`) grants what is under it; any other key grants that one object
        // only, so a node's `.../kubeconfig` does not also match `.../kubeconfig-old`.
        let pattern = |k: &String| {
            if k.ends_with('/') {
                format!("{k}*")
            } else {
                k.clone()
            }
        };
        let objects: Vec<String> = prefixes
            .iter()
            .map(|k| format!("arn:{p}:s3:::{bucket}/{}", pattern(k)))
            .collect();
        let listed: Vec<String> = prefixes.iter().map(pattern).collect();
        vec![
            json!({ "Action": ["s3:GetObject"], "Effect": "Allow", "Resource": objects }),
            json!({
                "Action": ["s3:GetBucketLocation", "s3:ListBucket"],
                "Condition": { "StringLike": { "s3:prefix": listed } },
                "Effect": "Allow",
                "Resource": [format!("arn:{p}:s3:::{bucket}")],
            }),
        ]
    }
}

/// What the AWS cloud controller manager and the EBS CSI driver read (kOps' list, without the
/// node-termination-handler's SQS actions: kops6 does not run it).
const CONTROL_PLANE_DESCRIBE: &[&str] = &[
    "autoscaling:DescribeAutoScalingGroups",
    "autoscaling:DescribeAutoScalingInstances",
    "autoscaling:DescribeLaunchConfigurations",
    "autoscaling:DescribeTags",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeImages",
    "ec2:DescribeInstanceTopology",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeInstances",
    "ec2:DescribeRegions",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeTags",
    "ec2:DescribeVolumes",
    "ec2:DescribeVolumesModifications",
    "ec2:DescribeVpcs",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeLoadBalancerPolicies",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth",
    "iam:CreateServiceLinkedRole",
    "kms:DescribeKey",
];

const CONTROL_PLANE_MUTATE_TAGGED: &[&str] = &[
    "ec2:AttachVolume",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:DeleteSecurityGroup",
    "ec2:DeleteVolume",
    "ec2:DetachVolume",
    "ec2:ModifyInstanceAttribute",
    "ec2:ModifyVolume",
    "ec2:RevokeSecurityGroupIngress",
    "elasticloadbalancing:AddTags",
    "elasticloadbalancing:ApplySecurityGroupsToLoadBalancer",
    "elasticloadbalancing:AttachLoadBalancerToSubnets",
    "elasticloadbalancing:ConfigureHealthCheck",
    "elasticloadbalancing:CreateLoadBalancerListeners",
    "elasticloadbalancing:CreateLoadBalancerPolicy",
    "elasticloadbalancing:DeleteListener",
    "elasticloadbalancing:DeleteLoadBalancer",
    "elasticloadbalancing:DeleteLoadBalancerListeners",
    "elasticloadbalancing:DeleteTargetGroup",
    "elasticloadbalancing:DeregisterInstancesFromLoadBalancer",
    "elasticloadbalancing:DeregisterTargets",
    "elasticloadbalancing:DetachLoadBalancerFromSubnets",
    "elasticloadbalancing:ModifyListener",
    "elasticloadbalancing:ModifyLoadBalancerAttributes",
    "elasticloadbalancing:ModifyTargetGroup",
    "elasticloadbalancing:ModifyTargetGroupAttributes",
    "elasticloadbalancing:RegisterInstancesWithLoadBalancer",
    "elasticloadbalancing:RegisterTargets",
    "elasticloadbalancing:SetLoadBalancerPoliciesForBackendServer",
    "elasticloadbalancing:SetLoadBalancerPoliciesOfListener",
];

const CONTROL_PLANE_CREATE_TAGGED: &[&str] = &[
    "ec2:CreateSecurityGroup",
    "ec2:CreateVolume",
    "elasticloadbalancing:CreateListener",
    "elasticloadbalancing:CreateLoadBalancer",
    "elasticloadbalancing:CreateTargetGroup",
];

/// `iam.allowContainerRegistry`: pull images from ECR.
const ECR_READ: &[&str] = &[
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:DescribeRepositories",
    "ecr:GetAuthorizationToken",
    "ecr:GetDownloadUrlForLayer",
    "ecr:GetRepositoryPolicy",
    "ecr:ListImages",
];
