//! Desired attributes of the cluster-infrastructure kinds (SPEC 7), as plain data. The
//! network kinds' attributes live in `graph.rs`.

use ipnet::{Ipv4Net, Ipv6Net};
use serde::Serialize;

use crate::graph::{Tags, Value};

/// Which way a security group rule lets traffic through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ingress => "ingress",
            Self::Egress => "egress",
        }
    }
}

/// An IP protocol of a security group rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Protocol {
    /// Every protocol (`-1`).
    All,
    Tcp,
    Udp,
    Icmp,
    Icmpv6,
    /// IP-in-IP (protocol number 4), which kOps opens for Calico.
    IpInIp,
}

impl Protocol {
    /// The protocol as EC2 and the Terraform provider write it.
    pub fn as_aws(self) -> &'static str {
        match self {
            Self::All => "-1",
            Self::Tcp => "tcp",
            Self::Udp => "udp",
            Self::Icmp => "icmp",
            Self::Icmpv6 => "icmpv6",
            Self::IpInIp => "4",
        }
    }
}

/// Where a rule's traffic comes from (ingress) or goes to (egress). One source per rule, so an
/// IPv4 and an IPv6 CIDR can never share a rule (kOps: "Cannot set more than 1 CIDR or
/// IPv6CIDR").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum RuleSource {
    Ipv4(Ipv4Net),
    Ipv6(Ipv6Net),
    /// An AWS managed prefix list (`pl-...`) from an access list.
    PrefixList(String),
    Group(Value),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecurityGroupRuleSpec {
    /// The group the rule belongs to.
    pub group: Value,
    pub direction: Direction,
    pub protocol: Protocol,
    /// Ports, or ICMP type (`from_port`) and code (`to_port`); -1 for every ICMP type.
    pub from_port: i32,
    pub to_port: i32,
    pub source: RuleSource,
}

/// The instance role, as it appears in tags (`k8s.io/role/<role>`) and names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Role {
    ControlPlane,
    ApiServer,
    Node,
    Bastion,
}

/// The root EBS volume of an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RootVolume {
    pub size_gib: u32,
    pub volume_type: String,
    /// gp3's baseline; None for types without provisioned IOPS.
    pub iops: Option<u32>,
    pub throughput: Option<u32>,
    pub encrypted: bool,
}

/// Instance metadata service options (IMDS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetadataOptions {
    /// `required` is IMDSv2 only.
    pub http_tokens: String,
    pub hop_limit: u32,
    /// The IPv6 endpoint `[fd00:ec2::254]`, for instances on IPv6 subnets.
    pub ipv6_endpoint: bool,
}

/// A rule the resolved image's AMI name must meet (SPEC 4.4, 4.6): checked on the real name
/// once `OWNER/NAME` or an `ami-` id is resolved (a Terraform postcondition, or after
/// DescribeImages when applying).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ImageRule {
    /// SPEC 4.4: Debian cannot run IPv6-only instances.
    NotDebian,
    /// SPEC 4.6: Calico with IPv6 needs Ubuntu 22.04 or later, or Flatcar.
    CalicoIpv6Os,
}

impl ImageRule {
    /// Whether an AMI of this name meets the rule.
    pub fn allows(self, ami_name: &str) -> bool {
        use kops6_api::validate::{image_os, ImageOs, ValidationContext};
        let os = image_os(ami_name, &ValidationContext::default());
        match self {
            Self::NotDebian => os != ImageOs::Debian,
            Self::CalicoIpv6Os => match os {
                ImageOs::Flatcar => true,
                ImageOs::Ubuntu { year, .. } => year >= 22,
                _ => false,
            },
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::NotDebian => "is Debian, which cannot run IPv6-only instances (SPEC 4.4): use Ubuntu 22.04+ or Flatcar",
            Self::CalicoIpv6Os => "is not Ubuntu 22.04+ or Flatcar, which Calico with IPv6 needs (SPEC 4.6)",
        }
    }
}

/// The one variable of a user data template: the API load balancer's DNS name.
pub const USER_DATA_API_LB_VARIABLE: &str = "api_lb_dns_name";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LaunchTemplateSpec {
    pub instance_group: String,
    pub role: Role,
    /// An `ami-` id (`Value::Shared`) or the newest match of `OWNER/NAME` (`Value::Lookup`).
    pub image: Value,
    /// What the resolved image's name must meet (empty outside IPv6 mode).
    pub image_rules: Vec<ImageRule>,
    pub instance_type: String,
    pub root_volume: RootVolume,
    pub security_groups: Vec<Value>,
    pub instance_profile: Value,
    pub key_pair: Option<Value>,
    /// IPv6 addresses on the primary interface: 1 on IPv6 subnets, else 0.
    pub ipv6_address_count: u32,
    pub associate_public_ip: bool,
    pub metadata: MetadataOptions,
    /// From the bootstrap layer (the model only carries it); None: no user data.
    pub user_data: Option<String>,
    /// Set when `user_data` is a Terraform template (`kops6_bootstrap::template`): the
    /// load balancer whose DNS name fills its `${api_lb_dns_name}` at apply time. Only
    /// Terraform renders such a template; direct apply leaves the launch template out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_data_api_load_balancer: Option<Value>,
    /// Tags of the instances, volumes and interfaces launched from the template.
    pub instance_tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AutoscalingGroupSpec {
    pub instance_group: String,
    pub launch_template: Value,
    pub min_size: u32,
    pub max_size: u32,
    pub subnets: Vec<Value>,
    /// Target groups the instances register in (the API's, for the control plane).
    pub target_groups: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EbsVolumeSpec {
    pub zone: String,
    pub size_gib: u32,
    pub volume_type: String,
    pub iops: u32,
    pub throughput: u32,
    pub encrypted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadBalancerSpec {
    /// The AWS name: at most 32 letters, digits and dashes.
    pub aws_name: String,
    pub internal: bool,
    /// `dualstack` (IPv4 and IPv6) when every subnet has an IPv6 range, else `ipv4`.
    pub dualstack: bool,
    pub subnets: Vec<Value>,
    pub security_groups: Vec<Value>,
    pub cross_zone: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetGroupSpec {
    /// The AWS name: at most 32 letters, digits and dashes.
    pub aws_name: String,
    pub vpc: Value,
    pub port: u16,
    /// TCP; the health check is TCP too.
    pub healthy_threshold: u32,
    pub unhealthy_threshold: u32,
    pub interval_seconds: u32,
    pub deregistration_delay_seconds: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RecordType {
    A,
    Aaaa,
}

impl RecordType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::Aaaa => "AAAA",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DnsRecordSpec {
    pub zone: Value,
    /// The fully qualified name, without the trailing dot.
    pub name: String,
    pub record_type: RecordType,
    /// The load balancer the alias points at.
    pub alias_to: Value,
}
