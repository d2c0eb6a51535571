//! Launch templates (SPEC 7: one per instance group). Only the name is replace-only. Every
//! attribute of the template's data (image, machine type, root volume, security groups,
//! instance profile, key pair, the IPv6 address and metadata settings, user data, instance
//! tags) changes in place as one new **version** (CreateLaunchTemplateVersion, then made the
//! default), never a new template: the autoscaling group moves to that version, and the
//! instances already running are out of date until they are rolled. The attributes mirror
//! the Terraform renderer's `aws_launch_template`.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{
    InstanceType, LaunchTemplateBlockDeviceMappingRequest, LaunchTemplateEbsBlockDeviceRequest,
    LaunchTemplateHttpTokensState, LaunchTemplateIamInstanceProfileSpecificationRequest,
    LaunchTemplateInstanceMetadataEndpointState, LaunchTemplateInstanceMetadataOptionsRequest,
    LaunchTemplateInstanceMetadataProtocolIpv6,
    LaunchTemplateInstanceNetworkInterfaceSpecificationRequest,
    LaunchTemplateTagSpecificationRequest, LaunchTemplatesMonitoringRequest,
    RequestLaunchTemplateData, ResourceType, ResponseLaunchTemplateData, VolumeType,
};
use kops6_model::graph::Tags;
use kops6_model::specs::LaunchTemplateSpec;
use kops6_model::{Key, Kind, Resource, Spec, Value};

use super::{aws_tags, describe_owned, not_updatable, tag_spec, tags_of, wrong_spec};
use crate::actual::{Found, Observed};
use crate::compare::{or_unknown, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, ImageFacts, Resolve};
use crate::discover::is_owned;
use crate::error::{api_error, AwsError};
use crate::kind::{AwsKind, BoxFuture, Discovered, Name};
use crate::wait::is_gone;

pub struct LaunchTemplate;

/// The field of a change to the template's data: applied as one new version.
pub const NEW_VERSION: &str = "launchTemplateData";

/// The resource types whose tags the template sets at launch, as the Terraform renderer.
const LAUNCH_TAGGED: [ResourceType; 3] = [
    ResourceType::Instance,
    ResourceType::Volume,
    ResourceType::NetworkInterface,
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchTemplateObserved {
    pub name: String,
    pub default_version: i64,
    pub latest_version: i64,
    /// The default version's data.
    pub data: TemplateData,
}

/// A launch template version's data, as kops6 manages it. Built from what AWS answers when
/// discovered, and from the spec (with IDs as far as known) to compare.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TemplateData {
    pub image_id: String,
    pub instance_type: String,
    pub key_name: Option<String>,
    pub instance_profile: String,
    /// Sorted.
    pub security_groups: Vec<String>,
    pub ipv6_address_count: i32,
    pub associate_public_ip: bool,
    pub http_tokens: String,
    pub hop_limit: i32,
    pub ipv6_metadata_endpoint: bool,
    pub root_device: String,
    pub root_volume_size: i32,
    pub root_volume_type: String,
    pub root_volume_iops: Option<i32>,
    pub root_volume_throughput: Option<i32>,
    pub root_volume_encrypted: bool,
    /// Base64, as AWS keeps it.
    pub user_data: Option<String>,
    /// Tags given at launch, by resource type (`instance`, `volume`, `network-interface`).
    pub launch_tags: BTreeMap<String, Tags>,
}

/// What the spec asks of the template's data, with the IDs `id` knows (unknown ones as
/// "not yet created") and the root device of the image preflight found.
pub fn desired_data(
    s: &LaunchTemplateSpec,
    id: impl Fn(&Value) -> Option<String>,
    images: &BTreeMap<String, ImageFacts>,
) -> TemplateData {
    let image_id = or_unknown(id(&s.image));
    let root_device = images
        .get(&image_id)
        .map(|i| i.root_device.clone())
        .unwrap_or_else(|| "(the image's root device)".into());
    let mut security_groups: Vec<String> = s
        .security_groups
        .iter()
        .map(|g| or_unknown(id(g)))
        .collect();
    security_groups.sort();
    let rv = &s.root_volume;
    TemplateData {
        image_id,
        instance_type: s.instance_type.clone(),
        key_name: s.key_pair.as_ref().map(|k| or_unknown(id(k))),
        instance_profile: or_unknown(id(&s.instance_profile)),
        security_groups,
        ipv6_address_count: s.ipv6_address_count as i32,
        associate_public_ip: s.associate_public_ip,
        http_tokens: s.metadata.http_tokens.clone(),
        hop_limit: s.metadata.hop_limit as i32,
        ipv6_metadata_endpoint: s.metadata.ipv6_endpoint,
        root_device,
        root_volume_size: rv.size_gib as i32,
        root_volume_type: rv.volume_type.clone(),
        root_volume_iops: rv.iops.map(|v| v as i32),
        root_volume_throughput: rv.throughput.map(|v| v as i32),
        root_volume_encrypted: rv.encrypted,
        user_data: s
            .user_data
            .as_ref()
            .map(|u| aws_smithy_types::base64::encode(u.as_bytes())),
        launch_tags: LAUNCH_TAGGED
            .iter()
            .map(|t| (t.as_str().to_string(), s.instance_tags.clone()))
            .collect(),
    }
}

/// The attributes that differ, as (name, found, desired).
pub fn data_changes(a: &TemplateData, d: &TemplateData) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    let mut field = |name: &'static str, from: String, to: String| {
        if from != to {
            out.push((name, from, to));
        }
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    let num = |v: Option<i32>| v.map_or_else(|| "(none)".into(), |n| n.to_string());
    field("imageId", a.image_id.clone(), d.image_id.clone());
    field(
        "instanceType",
        a.instance_type.clone(),
        d.instance_type.clone(),
    );
    field("keyName", opt(&a.key_name), opt(&d.key_name));
    field(
        "instanceProfile",
        a.instance_profile.clone(),
        d.instance_profile.clone(),
    );
    field(
        "securityGroups",
        a.security_groups.join(","),
        d.security_groups.join(","),
    );
    field(
        "ipv6AddressCount",
        a.ipv6_address_count.to_string(),
        d.ipv6_address_count.to_string(),
    );
    field(
        "associatePublicIpAddress",
        a.associate_public_ip.to_string(),
        d.associate_public_ip.to_string(),
    );
    field("httpTokens", a.http_tokens.clone(), d.http_tokens.clone());
    field(
        "httpPutResponseHopLimit",
        a.hop_limit.to_string(),
        d.hop_limit.to_string(),
    );
    field(
        "httpProtocolIpv6",
        enabled(a.ipv6_metadata_endpoint).into(),
        enabled(d.ipv6_metadata_endpoint).into(),
    );
    field("rootDevice", a.root_device.clone(), d.root_device.clone());
    field(
        "rootVolumeSize",
        a.root_volume_size.to_string(),
        d.root_volume_size.to_string(),
    );
    field(
        "rootVolumeType",
        a.root_volume_type.clone(),
        d.root_volume_type.clone(),
    );
    field(
        "rootVolumeIops",
        num(a.root_volume_iops),
        num(d.root_volume_iops),
    );
    field(
        "rootVolumeThroughput",
        num(a.root_volume_throughput),
        num(d.root_volume_throughput),
    );
    field(
        "rootVolumeEncrypted",
        a.root_volume_encrypted.to_string(),
        d.root_volume_encrypted.to_string(),
    );
    field("userData", digest(&a.user_data), digest(&d.user_data));
    field(
        "launchTags",
        format!("{:?}", a.launch_tags),
        format!("{:?}", d.launch_tags),
    );
    out
}

fn enabled(on: bool) -> &'static str {
    if on {
        "enabled"
    } else {
        "disabled"
    }
}

/// User data as a plan shows it: its size and a checksum, not 16 KB of base64.
fn digest(user_data: &Option<String>) -> String {
    use std::hash::{Hash, Hasher};
    match user_data {
        None => "(none)".into(),
        Some(u) => {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            u.hash(&mut h);
            format!("{} bytes base64 (#{:016x})", u.len(), h.finish())
        }
    }
}

/// The data changes of `desired` against `found` (empty when no new version is needed).
fn changes_of(desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Option<FieldChange> {
    let (Spec::LaunchTemplate(s), Some(a)) = (
        &desired.spec,
        found.observed.get::<LaunchTemplateObserved>(),
    ) else {
        return None;
    };
    let d = desired_data(s, |v| cx.id(v), &cx.facts.images);
    let changes = data_changes(&a.data, &d);
    if changes.is_empty() {
        return None;
    }
    let side = |found: bool| {
        changes
            .iter()
            .map(|(name, from, to)| format!("{name}={}", if found { from } else { to }))
            .collect::<Vec<_>>()
            .join("; ")
    };
    Some(FieldChange {
        field: NEW_VERSION,
        from: format!("version {}: {}", a.default_version, side(true)),
        to: format!("a new version: {}", side(false)),
    })
}

/// The version an autoscaling group should run once this apply is done: the template's
/// default version, or "its new version" when the apply makes one. What is not found yet
/// (a template to create) starts at version 1.
pub fn version_after_apply(template: &Value, cx: &Resolve<'_>) -> String {
    let Value::Ref(key) = template else {
        return "(the template's default version)".into();
    };
    let (Some(desired), Some(found)) = (cx.graph.get(key), cx.actual.get(key)) else {
        return "1".into();
    };
    match (
        changes_of(desired, found, cx),
        found.observed.get::<LaunchTemplateObserved>(),
    ) {
        (None, Some(a)) => a.default_version.to_string(),
        _ => NEW_VERSION_TEXT.into(),
    }
}

/// What an autoscaling group's desired version reads as when the template gets a new one.
pub const NEW_VERSION_TEXT: &str = "(its new version)";

/// The default version of template `id` as AWS has it now.
pub(crate) async fn default_version(cx: &Ctx<'_>, key: &Key, id: &str) -> Result<i64, AwsError> {
    let out = crate::wait::fresh(|| async {
        cx.aws
            .ec2
            .describe_launch_templates()
            .launch_template_ids(id)
            .send()
            .await
            .map_err(|e| cx.err(e, "reading the launch template of", key))
    })
    .await?;
    Ok(out
        .launch_templates()
        .first()
        .and_then(|t| t.default_version_number())
        .unwrap_or(1))
}

fn observed_data(d: &ResponseLaunchTemplateData) -> TemplateData {
    let nic = d.network_interfaces().first();
    let md = d.metadata_options();
    let root = d.block_device_mappings().first();
    let ebs = root.and_then(|r| r.ebs());
    let mut security_groups: Vec<String> = nic.map(|n| n.groups().to_vec()).unwrap_or_default();
    security_groups.sort();
    let profile = d.iam_instance_profile();
    TemplateData {
        image_id: d.image_id().unwrap_or_default().to_string(),
        instance_type: d
            .instance_type()
            .map(|t| t.as_str().to_string())
            .unwrap_or_default(),
        key_name: d.key_name().map(str::to_string),
        // Terraform may give the profile by ARN; its name is the last part.
        instance_profile: profile
            .and_then(|p| p.name())
            .or_else(|| profile.and_then(|p| p.arn()?.rsplit('/').next()))
            .unwrap_or_default()
            .to_string(),
        security_groups,
        ipv6_address_count: nic.and_then(|n| n.ipv6_address_count()).unwrap_or(0),
        associate_public_ip: nic
            .and_then(|n| n.associate_public_ip_address())
            .unwrap_or(false),
        http_tokens: md
            .and_then(|m| m.http_tokens())
            .map(|t| t.as_str().to_string())
            .unwrap_or_default(),
        hop_limit: md
            .and_then(|m| m.http_put_response_hop_limit())
            .unwrap_or(0),
        ipv6_metadata_endpoint: md.and_then(|m| m.http_protocol_ipv6())
            == Some(&LaunchTemplateInstanceMetadataProtocolIpv6::Enabled),
        root_device: root
            .and_then(|r| r.device_name())
            .unwrap_or_default()
            .to_string(),
        root_volume_size: ebs.and_then(|e| e.volume_size()).unwrap_or(0),
        root_volume_type: ebs
            .and_then(|e| e.volume_type())
            .map(|t| t.as_str().to_string())
            .unwrap_or_default(),
        root_volume_iops: ebs.and_then(|e| e.iops()),
        root_volume_throughput: ebs.and_then(|e| e.throughput()),
        root_volume_encrypted: ebs.and_then(|e| e.encrypted()).unwrap_or(false),
        user_data: d.user_data().map(str::to_string),
        launch_tags: d
            .tag_specifications()
            .iter()
            .filter_map(|t| Some((t.resource_type()?.as_str().to_string(), tags_of(t.tags()))))
            .collect(),
    }
}

/// The data of a new template or version, from the spec with every ID known.
fn request_data(
    cx: &Ctx<'_>,
    r: &Resource,
    s: &LaunchTemplateSpec,
) -> Result<RequestLaunchTemplateData, AwsError> {
    let image_id = cx.value(&r.key, &s.image)?;
    let root_device = cx
        .facts()
        .images
        .get(&image_id)
        .map(|i| i.root_device.clone())
        .ok_or_else(|| AwsError::UnknownId {
            key: r.key.clone(),
            value: format!("the root device of image {image_id}"),
        })?;
    let rv = &s.root_volume;
    let ebs = LaunchTemplateEbsBlockDeviceRequest::builder()
        .delete_on_termination(true)
        .encrypted(rv.encrypted)
        .set_iops(rv.iops.map(|v| v as i32))
        .set_throughput(rv.throughput.map(|v| v as i32))
        .volume_size(rv.size_gib as i32)
        .volume_type(VolumeType::from(rv.volume_type.as_str()))
        .build();
    let mut groups = Vec::new();
    for g in &s.security_groups {
        groups.push(cx.value(&r.key, g)?);
    }
    let nic = LaunchTemplateInstanceNetworkInterfaceSpecificationRequest::builder()
        .device_index(0)
        .associate_public_ip_address(s.associate_public_ip)
        .delete_on_termination(true)
        .ipv6_address_count(s.ipv6_address_count as i32)
        .set_groups(Some(groups))
        .build();
    let metadata = LaunchTemplateInstanceMetadataOptionsRequest::builder()
        .http_endpoint(LaunchTemplateInstanceMetadataEndpointState::Enabled)
        .http_protocol_ipv6(if s.metadata.ipv6_endpoint {
            LaunchTemplateInstanceMetadataProtocolIpv6::Enabled
        } else {
            LaunchTemplateInstanceMetadataProtocolIpv6::Disabled
        })
        .http_put_response_hop_limit(s.metadata.hop_limit as i32)
        .http_tokens(LaunchTemplateHttpTokensState::from(
            s.metadata.http_tokens.as_str(),
        ))
        .build();
    let mut b = RequestLaunchTemplateData::builder()
        .block_device_mappings(
            LaunchTemplateBlockDeviceMappingRequest::builder()
                .device_name(root_device)
                .ebs(ebs)
                .build(),
        )
        .iam_instance_profile(
            LaunchTemplateIamInstanceProfileSpecificationRequest::builder()
                .name(cx.value(&r.key, &s.instance_profile)?)
                .build(),
        )
        .image_id(image_id)
        .instance_type(InstanceType::from(s.instance_type.as_str()))
        .metadata_options(metadata)
        .monitoring(
            LaunchTemplatesMonitoringRequest::builder()
                .enabled(false)
                .build(),
        )
        .network_interfaces(nic);
    if let Some(k) = &s.key_pair {
        b = b.key_name(cx.value(&r.key, k)?);
    }
    for t in LAUNCH_TAGGED {
        b = b.tag_specifications(
            LaunchTemplateTagSpecificationRequest::builder()
                .resource_type(t)
                .set_tags(Some(aws_tags(&s.instance_tags)))
                .build(),
        );
    }
    if let Some(u) = &s.user_data {
        b = b.user_data(aws_smithy_types::base64::encode(u.as_bytes()));
    }
    Ok(b.build())
}

impl AwsKind for LaunchTemplate {
    fn kind(&self) -> Kind {
        Kind::LaunchTemplate
    }

    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async move {
            let all = describe_owned!(
                aws,
                cluster,
                describe_launch_templates,
                "listing launch templates of"
            )?;
            let owned: Vec<_> = all
                .into_iter()
                .filter(|t| is_owned(&tags_of(t.tags()), cluster))
                .collect();
            if owned.is_empty() {
                return Ok(Vec::new());
            }
            // Without a template ID, DescribeLaunchTemplateVersions answers for every template
            // at once: one call (and its pages) instead of one per template.
            let what = format!("launch templates of cluster {cluster}");
            let versions = aws
                .ec2
                .describe_launch_template_versions()
                .versions("$Default")
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>()
                .await
                .map_err(|e| {
                    api_error(e, "reading the default versions of", &what, &aws.endpoint)
                })?;
            let mut out = Vec::new();
            for t in owned {
                let id = t.launch_template_id().unwrap_or_default().to_string();
                let tags = tags_of(t.tags());
                let data = versions
                    .iter()
                    .find(|v| v.launch_template_id() == Some(id.as_str()))
                    .and_then(|v| v.launch_template_data())
                    .map(observed_data)
                    .unwrap_or_default();
                let mut refs = data.security_groups.clone();
                refs.push(data.instance_profile.clone());
                refs.extend(data.key_name.clone());
                out.push(Discovered {
                    kind: Kind::LaunchTemplate,
                    name: Name::from_tags(&tags),
                    found: Found {
                        id,
                        tags,
                        refs,
                        observed: Observed::new(LaunchTemplateObserved {
                            name: t.launch_template_name().unwrap_or_default().to_string(),
                            default_version: t.default_version_number().unwrap_or(0),
                            latest_version: t.latest_version_number().unwrap_or(0),
                            data,
                        }),
                    },
                });
            }
            Ok(out)
        })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::LaunchTemplate(_), Some(a)) = (
            &desired.spec,
            found.observed.get::<LaunchTemplateObserved>(),
        ) else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.immutable("name", &a.name, &desired.key.name);
        c.fields.extend(changes_of(desired, found, cx));
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn rolls(&self, desired: &Resource, change: &FieldChange) -> Option<String> {
        match (&desired.spec, change.field) {
            (Spec::LaunchTemplate(s), NEW_VERSION) => Some(s.instance_group.clone()),
            _ => None,
        }
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::LaunchTemplate(s) = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let out = cx
                .aws
                .ec2
                .create_launch_template()
                .launch_template_name(&r.key.name)
                .launch_template_data(request_data(cx, r, s)?)
                .client_token(cx.token(&r.key))
                .tag_specifications(tag_spec(ResourceType::LaunchTemplate, &r.tags))
                .send()
                .await
                .map_err(|e| cx.err(e, "creating", &r.key))?;
            Ok(out
                .launch_template()
                .and_then(|t| t.launch_template_id())
                .unwrap_or_default()
                .to_string())
        })
    }

    fn update<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
        id: &'a str,
        change: &'a FieldChange,
    ) -> BoxFuture<'a, Result<(), AwsError>> {
        Box::pin(async move {
            let Spec::LaunchTemplate(s) = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            match change.field {
                "tags" => super::create_tags(cx, &r.key, id, &r.tags).await,
                NEW_VERSION => {
                    let out = cx
                        .aws
                        .ec2
                        .create_launch_template_version()
                        .launch_template_id(id)
                        .launch_template_data(request_data(cx, r, s)?)
                        .client_token(format!("{}-v", cx.token(&r.key)))
                        .send()
                        .await
                        .map_err(|e| cx.err(e, "adding a version to", &r.key))?;
                    let version = out
                        .launch_template_version()
                        .and_then(|v| v.version_number())
                        .ok_or_else(|| AwsError::ResourceFailed {
                            resource: format!("{} ({id})", r.key),
                            reason: "CreateLaunchTemplateVersion answered no version number".into(),
                        })?;
                    cx.aws
                        .ec2
                        .modify_launch_template()
                        .launch_template_id(id)
                        .default_version(version.to_string())
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|e| cx.err(e, "setting the default version of", &r.key))
                }
                other => Err(not_updatable(&r.key, other)),
            }
        })
    }

    fn delete<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        key: &'a Key,
        found: &'a Found,
    ) -> BoxFuture<'a, Result<(), AwsError>> {
        Box::pin(async move {
            match cx
                .aws
                .ec2
                .delete_launch_template()
                .launch_template_id(&found.id)
                .send()
                .await
                .map_err(|e| cx.err(e, "deleting", key))
            {
                Err(e) if !is_gone(&e) => Err(e),
                _ => Ok(()),
            }
        })
    }
}
