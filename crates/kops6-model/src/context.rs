//! What every SPEC 7 builder shares: the cluster, its groups, the names kOps gives things, and
//! the resource list they append to.

use kops6_api::types::{ClusterSpec, InstanceGroup, InstanceGroupRole};

use crate::graph::{Key, Kind, Resource, Spec, Tags, Value, Why};
use crate::network::ModelError;
use crate::specs::Role;

pub(crate) struct Ctx<'a> {
    pub name: &'a str,
    pub region: &'a str,
    pub spec: &'a ClusterSpec,
    pub groups: &'a [InstanceGroup],
    pub vpc: Value,
    pub resources: Vec<Resource>,
}

impl Role {
    pub fn of(role: InstanceGroupRole) -> Self {
        match role {
            InstanceGroupRole::Master => Role::ControlPlane,
            InstanceGroupRole::ApiServer => Role::ApiServer,
            InstanceGroupRole::Node => Role::Node,
            InstanceGroupRole::Bastion => Role::Bastion,
        }
    }

    /// The `k8s.io/role/<role>` tags kOps puts on a role's instances and volumes.
    pub fn role_tags(self) -> &'static [&'static str] {
        match self {
            Role::ControlPlane => &["control-plane", "master"],
            Role::ApiServer => &["apiserver"],
            Role::Node => &["node"],
            Role::Bastion => &["bastion"],
        }
    }

    /// The IAM role and instance profile name prefix (`masters.<C>`, ...).
    pub fn iam_prefix(self) -> &'static str {
        match self {
            Role::ControlPlane => "masters",
            Role::ApiServer => "apiservers",
            Role::Node => "nodes",
            Role::Bastion => "bastions",
        }
    }

    /// The security group prefix: API servers share the control plane's group, as in kOps.
    pub fn security_group_prefix(self) -> &'static str {
        match self {
            Role::ControlPlane | Role::ApiServer => "masters",
            Role::Node => "nodes",
            Role::Bastion => "bastion",
        }
    }

    /// Whether instances of the role join the cluster (and so run the bootstrap).
    pub fn bootstraps(self) -> bool {
        !matches!(self, Role::Bastion)
    }
}

impl<'a> Ctx<'a> {
    pub fn tags(&self, name: &str) -> Tags {
        Tags::from([
            ("KubernetesCluster".to_string(), self.name.to_string()),
            ("Name".to_string(), name.to_string()),
            (
                format!("kubernetes.io/cluster/{}", self.name),
                "owned".to_string(),
            ),
        ])
    }

    /// `<prefix>.<C>`.
    pub fn named(&self, prefix: &str) -> String {
        format!("{prefix}.{}", self.name)
    }

    pub fn push(&mut self, key: Key, spec: Spec, tags: Tags, why: Why) -> Key {
        self.resources.push(Resource {
            key: key.clone(),
            spec,
            tags,
            why,
            after: Vec::new(),
        });
        key
    }

    /// Pushes a resource tagged with its own name.
    pub fn push_tagged(&mut self, key: Key, spec: Spec, why: Why) -> Key {
        let tags = self.tags(&key.name);
        self.push(key, spec, tags, why)
    }

    /// The roles that have at least one instance group, in a fixed order.
    pub fn roles(&self) -> Vec<Role> {
        [
            Role::ControlPlane,
            Role::ApiServer,
            Role::Node,
            Role::Bastion,
        ]
        .into_iter()
        .filter(|r| self.groups.iter().any(|g| Role::of(g.spec.role) == *r))
        .collect()
    }

    pub fn security_group_key(&self, prefix: &str) -> Key {
        Key::new(Kind::SecurityGroup, self.named(prefix))
    }

    pub fn instance_profile_key(&self, role: Role) -> Key {
        Key::new(Kind::IamInstanceProfile, self.iam_name(role))
    }

    /// The IAM role, inline policy and instance profile name of a role: `masters.<C>`, cut
    /// to AWS's 64 characters with a hash when the cluster name is long (kOps' `IAMName`).
    pub fn iam_name(&self, role: Role) -> String {
        iam_name(self.name, role)
    }

    /// The subnet an instance group names, with its index in `spec.subnets`.
    pub fn group_subnet(
        &self,
        group: &InstanceGroup,
        k: usize,
    ) -> Result<(usize, &'a kops6_api::types::ClusterSubnetSpec), ModelError> {
        let name = &group.spec.subnets[k];
        let spec: &'a ClusterSpec = self.spec;
        spec.subnets
            .iter()
            .enumerate()
            .find(|(_, s)| &s.name == name)
            .ok_or_else(|| ModelError::Field {
                field: format!("instancegroup/{}: spec.subnets[{k}]", group.metadata.name),
                message: format!("{name:?} is not a subnet of the cluster"),
            })
    }

    /// A cluster subnet's ID value: ours, or the shared one.
    pub fn subnet_value(&self, s: &kops6_api::types::ClusterSubnetSpec) -> Value {
        match &s.id {
            Some(id) => Value::Shared(id.clone()),
            None => Value::Ref(Key::new(Kind::Subnet, self.named(&s.name))),
        }
    }
}

/// AWS's limit on IAM role, instance profile and role policy names (kOps' `MaxLengthIAMRoleName`).
pub const IAM_NAME_MAX: usize = 64;

/// The IAM role, inline policy and instance profile name of `role` in `cluster`: `<prefix>.<C>`
/// (`masters.<C>`, `nodes.<C>`, ...) cut to 64 characters with kOps' hash (`IAMName`).
pub fn iam_name(cluster: &str, role: Role) -> String {
    truncate_name(
        &format!("{}.{cluster}", role.iam_prefix()),
        IAM_NAME_MAX,
        false,
    )
}

/// kOps' `truncate.TruncateString` with its default six-character hash: `s` itself when it fits
/// (and no hash is forced), else its first characters, `-` and the FNV-1a hash of the whole, so
/// names stay distinct and match the ones kOps gives the same cluster.
pub fn truncate_name(s: &str, max: usize, always_hash: bool) -> String {
    const HASH_LEN: usize = 6;
    if !always_hash && s.len() <= max {
        return s.to_string();
    }
    let hash = fnv1a_base32hex(s.as_bytes(), HASH_LEN);
    let base = max.saturating_sub(HASH_LEN + 1);
    // Cut on a character boundary: cluster names are DNS names (ASCII), but be safe.
    let mut cut = base.min(s.len());
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{hash}", &s[..cut])
}

/// kOps' `truncate.HashString`: FNV-1a (32 bits, big-endian), base32 "extended hex" lower case,
/// its first `len` characters.
fn fnv1a_base32hex(data: &[u8], len: usize) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
    let mut h: u32 = 0x811c_9dc5;
    for b in data {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    // 32 bits give 7 base32 digits (the last padded with zero bits); kOps keeps at most 6.
    let v = u64::from(h) << 3;
    (0..len.min(7))
        .map(|i| char::from(ALPHABET[((v >> (30 - 5 * i)) & 31) as usize]))
        .collect()
}

/// kOps' `awsup.GetResourceName32`: `<prefix>-<cluster with dots as dashes>`, always with the
/// hash, at most 32 characters (the bastion's load balancer and target group names).
pub fn resource_name32(cluster: &str, prefix: &str) -> String {
    truncate_name(&format!("{prefix}-{}", cluster.replace('.', "-")), 32, true)
}

/// An AWS name of at most 32 letters, digits and dashes (load balancers, target groups): the
/// name itself when it fits, else its first characters and a short hash of the whole, so
/// long cluster names still give distinct, stable names (kOps does the same).
pub fn aws_short_name(full: &str) -> String {
    use md5::{Digest, Md5};
    const MAX: usize = 32;
    let clean: String = full
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    if clean.len() <= MAX {
        return clean;
    }
    let digest = Md5::digest(full.as_bytes());
    // Six base-36 digits of the hash: about 31 bits, enough to keep truncated names apart.
    let mut n = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) as u64;
    let mut hash = String::new();
    for _ in 0..6 {
        let d = (n % 36) as u32;
        hash.push(char::from_digit(d, 36).unwrap_or('0'));
        n /= 36;
    }
    format!("{}--{hash}", &clean[..MAX - 8])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cases of kOps' `pkg/truncate/truncate_test.go`.
    #[test]
    fn truncation_matches_kops() {
        assert_eq!(truncate_name("foo", 64, false), "foo");
        let s33 = "this_string_is_33_characters_long";
        assert_eq!(truncate_name(s33, 64, false), s33);
        assert_eq!(
            truncate_name(s33, 64, true),
            "this_string_is_33_characters_long-t4mk8d"
        );
        let s46 = "this_string_is_longer_it_is_46_characters_long";
        assert_eq!(
            truncate_name(s46, 32, false),
            "this_string_is_longer_it_-ha2gug"
        );
        assert_eq!(
            truncate_name(s46, 32, true),
            "this_string_is_longer_it_-ha2gug"
        );
        assert_eq!(
            truncate_name(
                "this_string_is_even_longer_due_to_extreme_verbosity_it_is_in_fact_84_characters_long",
                64,
                false
            ),
            "this_string_is_even_longer_due_to_extreme_verbosity_it_is-7mc0g6"
        );
    }

    /// Names from kOps' golden `kubernetes.tf` files (`privatecalico`, `minimal-ipv6`).
    #[test]
    fn resource_names_32_match_kops_golden_output() {
        assert_eq!(
            resource_name32("privatecalico.example.com", "bastion"),
            "bastion-privatecalico-exa-hocohm"
        );
        assert_eq!(
            resource_name32("minimal-ipv6.example.com", "tcp"),
            "tcp-minimal-ipv6-example--bne5ih"
        );
        assert_eq!(
            resource_name32("a.b", "bastion").len(),
            "bastion-a-b".len() + 7
        );
    }

    #[test]
    fn short_names_are_kept_and_long_ones_hashed_to_32() {
        assert_eq!(
            aws_short_name("api-ipv6.example.com"),
            "api-ipv6-example-com"
        );
        let long = aws_short_name("api-a-very-long-cluster-name.example.com");
        assert_eq!(long.len(), 32, "{long}");
        assert!(long.starts_with("api-a-very-long-cluster-"), "{long}");
        assert_ne!(
            long,
            aws_short_name("api-a-very-long-cluster-name.example.org")
        );
    }
}
