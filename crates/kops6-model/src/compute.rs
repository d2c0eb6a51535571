//! Key pair, etcd volumes, launch templates and autoscaling groups (SPEC 7), after kOps'
//! `pkg/model/awsmodel/autoscalinggroup.go` and `pkg/model/master_volumes.go`.

use std::collections::BTreeMap;

use kops6_api::types::{InstanceGroup, SubnetType};

use crate::context::Ctx;
use crate::graph::{Key, Kind, Lookup, Spec, Tags, Value, Why};
use crate::network::ModelError;
use crate::specs::{
    AutoscalingGroupSpec, EbsVolumeSpec, ImageRule, LaunchTemplateSpec, MetadataOptions, Role,
    RootVolume,
};
use crate::ssh_key::SshPublicKey;

const COMPUTE_RULE: &str = "SPEC 7";

/// The launch templates' user data, from the bootstrap layer.
pub(crate) struct UserData<'a> {
    pub by_group: &'a BTreeMap<String, String>,
    /// Set when the user data are templates filled with this load balancer's DNS name.
    pub api_load_balancer: Option<&'a Key>,
}

/// kOps' image owner aliases (`awsup.resolveImage`).
fn owner_alias(owner: &str) -> &str {
    match owner {
        "amazon" | "amazon.com" => "137112412989",
        "debian" => "136693071363",
        "flatcar" => "075585003325",
        "redhat" | "redhat.com" => "309956199498",
        "ubuntu" => "099720109477",
        other => other,
    }
}

/// `spec.image`: an `ami-` id, or `OWNER/NAME` (the newest AMI of that owner with that name;
/// the name may hold `*` wildcards).
pub fn image_value(image: &str) -> Option<Value> {
    if image.starts_with("ami-") {
        return Some(Value::Shared(image.to_string()));
    }
    let (owner, name) = image.split_once('/')?;
    if owner.is_empty() || name.is_empty() {
        return None;
    }
    Some(Value::Lookup(Lookup::Image {
        owner: owner_alias(owner).to_string(),
        name: name.to_string(),
    }))
}

/// The name kOps gives a group's launch template and autoscaling group.
pub fn instance_group_resource_name(cluster: &str, group: &InstanceGroup) -> String {
    if group.spec.role.is_control_plane() {
        format!("{}.masters.{cluster}", group.metadata.name)
    } else {
        format!("{}.{cluster}", group.metadata.name)
    }
}

impl Ctx<'_> {
    /// The key pair `kubernetes.<C>-<fingerprint>`, or the existing `sshKeyName`; None when
    /// neither was given.
    pub(crate) fn key_pair(&mut self, key: Option<&SshPublicKey>) -> Option<Value> {
        if let Some(existing) = &self.spec.ssh_key_name {
            return Some(Value::Shared(existing.clone()));
        }
        let key = key?;
        let tags = self.tags(self.name);
        let k = self.push(
            Key::new(Kind::KeyPair, key.key_pair_name(self.name)),
            Spec::KeyPair {
                public_key: key.openssh().to_string(),
            },
            tags,
            Why::new(
                "--ssh-public-key",
                format!("{COMPUTE_RULE}: the admin SSH key, as kOps names it"),
            ),
        );
        Some(Value::Ref(k))
    }

    /// One encrypted gp3 volume per member of the `main` etcd cluster, in its control-plane
    /// group's zone, tagged `k8s.io/etcd/main=<member>/<all members>` so the instance that
    /// boots there finds and attaches it.
    pub(crate) fn etcd_volumes(&mut self) -> Result<(), ModelError> {
        let spec = self.spec;
        let groups = self.groups;
        let Some((i, main)) = spec
            .etcd_clusters
            .iter()
            .enumerate()
            .find(|(_, e)| e.name == "main")
        else {
            return Ok(());
        };
        let all: Vec<&str> = main.etcd_members.iter().map(|m| m.name.as_str()).collect();
        let mut placed: Vec<(String, String, &kops6_api::types::EtcdMemberSpec, usize)> =
            Vec::new();
        for (j, m) in main.etcd_members.iter().enumerate() {
            let group = groups
                .iter()
                .find(|g| g.metadata.name == m.instance_group)
                .ok_or_else(|| ModelError::Field {
                    field: format!("spec.etcdClusters[{i}].etcdMembers[{j}].instanceGroup"),
                    message: format!("no instance group {:?}", m.instance_group),
                })?;
            let (_, subnet) = self.group_subnet(group, 0)?;
            placed.push((subnet.zone.clone(), m.name.clone(), m, j));
        }
        for (zone, member, m, j) in &placed {
            let alone = placed.iter().filter(|(z, ..)| z == zone).count() == 1;
            // Several members in one zone (`a-1`, `a-2`, ...) keep the zone name plus their number.
            let prefix = if alone {
                zone.clone()
            } else {
                let n = member.rsplit_once('-').map_or(member.as_str(), |(_, n)| n);
                format!("{zone}-{n}")
            };
            let key = Key::new(Kind::EbsVolume, format!("{prefix}.etcd-main.{}", self.name));
            let mut tags = self.tags(&key.name);
            tags.insert(
                "k8s.io/etcd/main".into(),
                format!("{member}/{}", all.join(",")),
            );
            for role in Role::ControlPlane.role_tags() {
                tags.insert(format!("k8s.io/role/{role}"), "1".into());
            }
            let volume_type = m.volume_type.clone().unwrap_or_else(|| "gp3".into());
            let gp3 = volume_type == "gp3";
            self.push(
                key,
                Spec::EbsVolume(EbsVolumeSpec {
                    zone: zone.clone(),
                    size_gib: m.volume_size.unwrap_or(20),
                    iops: if gp3 { 3000 } else { 0 },
                    throughput: if gp3 { 125 } else { 0 },
                    volume_type,
                    encrypted: m.encrypted_volume.unwrap_or(true),
                }),
                tags,
                Why::new(
                    format!("spec.etcdClusters[{i}].etcdMembers[{j}]"),
                    format!("{COMPUTE_RULE}: etcd data of the control plane in {zone} outlives its instance"),
                ),
            );
        }
        Ok(())
    }

    /// A launch template and an autoscaling group per instance group.
    pub(crate) fn instance_groups(
        &mut self,
        key_pair: Option<Value>,
        api_target_group: Option<&Key>,
        bastion_target_group: Option<&Key>,
        user_data: &UserData,
    ) -> Result<(), ModelError> {
        let groups = self.groups;
        for group in groups {
            let role = Role::of(group.spec.role);
            let name = instance_group_resource_name(self.name, group);
            let lt = self.launch_template(group, role, &name, key_pair.clone(), user_data)?;
            let mut subnets = Vec::new();
            for k in 0..group.spec.subnets.len() {
                let (_, s) = self.group_subnet(group, k)?;
                subnets.push(self.subnet_value(s));
            }
            let target_groups = match (role, api_target_group, bastion_target_group) {
                (Role::ControlPlane | Role::ApiServer, Some(tg), _) => {
                    vec![Value::Ref(tg.clone())]
                }
                // kOps registers bastions in the bastion load balancer's target group.
                (Role::Bastion, _, Some(tg)) => vec![Value::Ref(tg.clone())],
                _ => vec![],
            };
            let tags = self.instance_group_tags(group, role, &name);
            self.push(
                Key::new(Kind::AutoscalingGroup, name),
                Spec::AutoscalingGroup(AutoscalingGroupSpec {
                    instance_group: group.metadata.name.clone(),
                    launch_template: Value::Ref(lt),
                    min_size: group.spec.min_size.unwrap_or(1),
                    max_size: group.spec.max_size.unwrap_or(1),
                    subnets,
                    target_groups,
                }),
                tags,
                Why::new(
                    format!(
                        "instancegroup/{}: spec.minSize, spec.maxSize, spec.subnets",
                        group.metadata.name
                    ),
                    format!("{COMPUTE_RULE}: one autoscaling group per instance group"),
                ),
            );
        }
        Ok(())
    }

    /// kOps' instance group tags: cluster, name, role, group and the group's `cloudLabels`.
    fn instance_group_tags(&self, group: &InstanceGroup, role: Role, name: &str) -> Tags {
        let mut tags = self.tags(name);
        for (k, v) in &group.spec.cloud_labels {
            tags.insert(k.clone(), v.clone());
        }
        for r in role.role_tags() {
            tags.insert(format!("k8s.io/role/{r}"), "1".into());
        }
        tags.insert(
            "kops.k8s.io/instancegroup".into(),
            group.metadata.name.clone(),
        );
        tags
    }

    fn launch_template(
        &mut self,
        group: &InstanceGroup,
        role: Role,
        name: &str,
        key_pair: Option<Value>,
        user_data: &UserData,
    ) -> Result<Key, ModelError> {
        let at = |field: &str| format!("instancegroup/{}: {field}", group.metadata.name);
        let image_text = group.spec.image.as_deref().unwrap_or_default();
        let image = image_value(image_text).ok_or_else(|| ModelError::Field {
            field: at("spec.image"),
            message: format!("{image_text:?} is neither an ami- id nor OWNER/NAME"),
        })?;
        let mut any_ipv6 = false;
        let mut all_public = true;
        for k in 0..group.spec.subnets.len() {
            let (_, s) = self.group_subnet(group, k)?;
            any_ipv6 |= s.ipv6_cidr.is_some();
            all_public &= matches!(s.subnet_type, SubnetType::Public | SubnetType::Utility);
        }
        let imds = group.spec.instance_metadata.clone().unwrap_or_default();
        let default_size = match role {
            Role::ControlPlane | Role::ApiServer => 64,
            Role::Node => 128,
            Role::Bastion => 32,
        };
        let volume_type = group
            .spec
            .root_volume_type
            .clone()
            .unwrap_or_else(|| "gp3".into());
        let gp3 = volume_type == "gp3";
        let tags = self.instance_group_tags(group, role, name);
        let mut image_rules = Vec::new();
        if self.spec.is_ipv6() {
            image_rules.push(ImageRule::NotDebian);
            if self
                .spec
                .networking
                .as_ref()
                .is_some_and(|n| n.calico.is_some())
            {
                image_rules.push(ImageRule::CalicoIpv6Os);
            }
        }
        let spec = LaunchTemplateSpec {
            instance_group: group.metadata.name.clone(),
            role,
            image,
            image_rules,
            instance_type: group.spec.machine_type.clone().unwrap_or_default(),
            root_volume: RootVolume {
                size_gib: group.spec.root_volume_size.unwrap_or(default_size),
                iops: gp3.then_some(3000),
                throughput: gp3.then_some(125),
                volume_type,
                encrypted: true,
            },
            security_groups: vec![Value::Ref(
                self.security_group_key(role.security_group_prefix()),
            )],
            instance_profile: Value::Ref(self.instance_profile_key(role)),
            key_pair,
            ipv6_address_count: u32::from(any_ipv6),
            associate_public_ip: all_public && group.spec.associate_public_ip.unwrap_or(true),
            metadata: MetadataOptions {
                http_tokens: imds.http_tokens.unwrap_or_else(|| "required".into()),
                hop_limit: imds.http_put_response_hop_limit.unwrap_or(1),
                ipv6_endpoint: any_ipv6,
            },
            user_data: user_data.by_group.get(&group.metadata.name).cloned(),
            user_data_api_load_balancer: user_data
                .api_load_balancer
                .filter(|_| user_data.by_group.contains_key(&group.metadata.name))
                .map(|k| Value::Ref(k.clone())),
            instance_tags: tags.clone(),
        };
        Ok(self.push(
            Key::new(Kind::LaunchTemplate, name),
            Spec::LaunchTemplate(Box::new(spec)),
            tags,
            Why::new(
                at("spec.image, spec.machineType, spec.subnets"),
                format!(
                    "{COMPUTE_RULE}: a launch template per instance group{}",
                    if any_ipv6 {
                        "; IPv6 address and IPv6 metadata endpoint on IPv6 subnets"
                    } else {
                        ""
                    }
                ),
            ),
        ))
    }
}
