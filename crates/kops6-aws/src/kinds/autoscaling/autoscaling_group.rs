//! Autoscaling groups (SPEC 7: one per instance group, kOps' tags propagated at launch). The
//! name is replace-only. The size, the subnets and the launch template version change in
//! place (UpdateAutoScalingGroup), the target groups by attaching and detaching. The group
//! runs a numbered version of its launch template, as the Terraform renderer's
//! `latest_version`: when the template gets a new version, the group is moved to it in the
//! same apply. Delete is forced (the instances go with the group) and waits until the group
//! is gone, so its launch template, subnets and security groups can go after it.

use std::time::Duration;

use aws_sdk_autoscaling::types::{Filter, LaunchTemplateSpecification};
use kops6_model::graph::Tags;
use kops6_model::{Key, Kind, Resource, Spec};

use super::group_tags;
use crate::actual::{Found, Observed};
use crate::compare::{or_unknown, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::discover::{is_owned, owned_tag};
use crate::error::{api_error, AwsError};
use crate::kind::{AwsKind, BoxFuture, Discovered, Name, Op, QUICK_STEP_SECS};
use crate::kinds::ec2::launch_template::{default_version, version_after_apply};
use crate::kinds::ec2::{not_updatable, wrong_spec};
use crate::wait::{until, Patience, Poll};

pub struct AutoscalingGroup;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupObserved {
    pub name: String,
    pub min_size: i32,
    pub max_size: i32,
    /// Sorted.
    pub subnets: Vec<String>,
    pub launch_template_id: String,
    pub launch_template_version: String,
    /// Sorted.
    pub target_groups: Vec<String>,
    /// Keys of tags that do not propagate to the instances.
    pub not_propagated: Vec<String>,
}

/// How long a forced delete may take: AWS terminates the instances first.
const DELETE_TIMEOUT: Duration = Duration::from_secs(900);

fn size(min: impl ToString, max: impl ToString) -> String {
    format!("min {} max {}", min.to_string(), max.to_string())
}

/// A list as compared and shown: sorted, comma-separated.
fn list(mut items: Vec<String>) -> String {
    items.sort();
    items.join(",")
}

fn split(list: &str) -> Vec<String> {
    list.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl AwsKind for AutoscalingGroup {
    fn kind(&self) -> Kind {
        Kind::AutoscalingGroup
    }

    /// A forced delete terminates the group's instances and is waited for until the group
    /// is gone: minutes.
    fn typical_secs(&self, op: Op) -> f64 {
        match op {
            Op::Delete => 180.0,
            Op::Create | Op::Update => QUICK_STEP_SECS,
        }
    }

    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async move {
            let what = format!("autoscaling groups of cluster {cluster}");
            let all = aws
                .autoscaling
                .describe_auto_scaling_groups()
                .filters(
                    Filter::builder()
                        .name(format!("tag:{}", owned_tag(cluster)))
                        .values("owned")
                        .build(),
                )
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>()
                .await
                .map_err(|e| api_error(e, "listing", &what, &aws.endpoint))?;
            let mut out = Vec::new();
            for g in all {
                let tags: Tags = g
                    .tags()
                    .iter()
                    .filter_map(|t| {
                        Some((
                            t.key()?.to_string(),
                            t.value().unwrap_or_default().to_string(),
                        ))
                    })
                    .collect();
                if !is_owned(&tags, cluster) {
                    continue;
                }
                let name = g.auto_scaling_group_name().unwrap_or_default().to_string();
                let lt = g.launch_template();
                let launch_template_id = lt
                    .and_then(|l| l.launch_template_id())
                    .unwrap_or_default()
                    .to_string();
                let subnets = split(g.vpc_zone_identifier().unwrap_or_default());
                let mut target_groups = g.target_group_arns().to_vec();
                target_groups.sort();
                let mut refs = vec![launch_template_id.clone()];
                refs.extend(subnets.iter().cloned());
                refs.extend(target_groups.iter().cloned());
                let mut sorted_subnets = subnets;
                sorted_subnets.sort();
                out.push(Discovered {
                    kind: Kind::AutoscalingGroup,
                    name: Name::from_tags(&tags),
                    found: Found {
                        id: name.clone(),
                        refs,
                        observed: Observed::new(GroupObserved {
                            name,
                            min_size: g.min_size().unwrap_or(0),
                            max_size: g.max_size().unwrap_or(0),
                            subnets: sorted_subnets,
                            launch_template_id,
                            launch_template_version: lt
                                .and_then(|l| l.version())
                                .unwrap_or_default()
                                .to_string(),
                            target_groups,
                            not_propagated: g
                                .tags()
                                .iter()
                                .filter(|t| t.propagate_at_launch() != Some(true))
                                .filter_map(|t| t.key().map(str::to_string))
                                .collect(),
                        }),
                        tags,
                    },
                });
            }
            Ok(out)
        })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::AutoscalingGroup(s), Some(a)) =
            (&desired.spec, found.observed.get::<GroupObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.immutable("name", &a.name, &desired.key.name);
        // The version first: capacity a bigger size adds is then launched from it.
        c.mutable(
            "launchTemplate",
            format!(
                "{} version {}",
                a.launch_template_id, a.launch_template_version
            ),
            format!(
                "{} version {}",
                or_unknown(cx.id(&s.launch_template)),
                version_after_apply(&s.launch_template, cx)
            ),
        );
        c.mutable(
            "size",
            size(a.min_size, a.max_size),
            size(s.min_size, s.max_size),
        );
        c.mutable(
            "subnets",
            list(a.subnets.clone()),
            list(s.subnets.iter().map(|v| or_unknown(cx.id(v))).collect()),
        );
        c.mutable(
            "targetGroups",
            list(a.target_groups.clone()),
            list(
                s.target_groups
                    .iter()
                    .map(|v| or_unknown(cx.id(v)))
                    .collect(),
            ),
        );
        c.tags(&found.tags, &desired.tags);
        if !c.fields.iter().any(|f| f.field == "tags")
            && desired.tags.keys().any(|k| a.not_propagated.contains(k))
        {
            c.fields.push(FieldChange {
                field: "tags",
                from: "(not propagated at launch)".into(),
                to: "(propagated at launch)".into(),
            });
        }
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::AutoscalingGroup(s) = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let name = r.key.name.as_str();
            let mut subnets = Vec::new();
            for v in &s.subnets {
                subnets.push(cx.value(&r.key, v)?);
            }
            let mut target_groups = Vec::new();
            for v in &s.target_groups {
                target_groups.push(cx.value(&r.key, v)?);
            }
            cx.aws
                .autoscaling
                .create_auto_scaling_group()
                .auto_scaling_group_name(name)
                .launch_template(template(cx, r, &s.launch_template).await?)
                .min_size(s.min_size as i32)
                .max_size(s.max_size as i32)
                .vpc_zone_identifier(subnets.join(","))
                .set_target_group_arns(Some(target_groups))
                .set_tags(Some(group_tags(name, &r.tags)))
                .send()
                .await
                .map_err(|e| cx.err(e, "creating", &r.key))?;
            Ok(name.to_string())
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
            let Spec::AutoscalingGroup(s) = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let update = cx
                .aws
                .autoscaling
                .update_auto_scaling_group()
                .auto_scaling_group_name(id);
            let update = match change.field {
                "size" => update
                    .min_size(s.min_size as i32)
                    .max_size(s.max_size as i32),
                "subnets" => {
                    let mut subnets = Vec::new();
                    for v in &s.subnets {
                        subnets.push(cx.value(&r.key, v)?);
                    }
                    update.vpc_zone_identifier(subnets.join(","))
                }
                "launchTemplate" => {
                    update.launch_template(template(cx, r, &s.launch_template).await?)
                }
                "targetGroups" => return target_groups(cx, r, id, change).await,
                "tags" => {
                    return cx
                        .aws
                        .autoscaling
                        .create_or_update_tags()
                        .set_tags(Some(group_tags(id, &r.tags)))
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|e| cx.err(e, "tagging", &r.key))
                }
                other => return Err(not_updatable(&r.key, other)),
            };
            update
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, &format!("changing {} of", change.field), &r.key))
        })
    }

    fn delete<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        key: &'a Key,
        found: &'a Found,
    ) -> BoxFuture<'a, Result<(), AwsError>> {
        Box::pin(async move {
            let name = found.id.as_str();
            match cx
                .aws
                .autoscaling
                .delete_auto_scaling_group()
                .auto_scaling_group_name(name)
                .force_delete(true)
                .send()
                .await
                .map_err(|e| cx.err(e, "deleting", key))
            {
                Err(e) if !is_not_found(&e) => return Err(e),
                _ => {}
            }
            let patience = Patience {
                timeout: DELETE_TIMEOUT,
                max_doublings: 4,
            };
            until(
                &format!("{key} ({name}) to be deleted"),
                patience,
                || async {
                    let out = cx
                        .aws
                        .autoscaling
                        .describe_auto_scaling_groups()
                        .auto_scaling_group_names(name)
                        .send()
                        .await
                        .map_err(|e| cx.err(e, "reading the state of", key))?;
                    Ok(match out.auto_scaling_groups().first() {
                        None => Poll::Ready(()),
                        Some(g) => Poll::Pending(g.status().unwrap_or("present").to_string()),
                    })
                },
            )
            .await
        })
    }
}

/// Auto Scaling says a group does not exist with a `ValidationError` naming it "not found".
fn is_not_found(e: &AwsError) -> bool {
    matches!(e, AwsError::Api { code: Some(c), message, .. }
        if c == "ValidationError" && message.contains("not found"))
}

/// The launch template and the version the group runs: the template's default version as
/// it is now (after a new version, if this apply made one).
async fn template(
    cx: &Ctx<'_>,
    r: &Resource,
    lt: &kops6_model::Value,
) -> Result<LaunchTemplateSpecification, AwsError> {
    let id = cx.value(&r.key, lt)?;
    let version = default_version(cx, &r.key, &id).await?;
    Ok(LaunchTemplateSpecification::builder()
        .launch_template_id(id)
        .version(version.to_string())
        .build())
}

/// Attaches the desired target groups and detaches the ones the group has but the spec no
/// longer names (`change.from` is the list found).
async fn target_groups(
    cx: &Ctx<'_>,
    r: &Resource,
    id: &str,
    change: &FieldChange,
) -> Result<(), AwsError> {
    let Spec::AutoscalingGroup(s) = &r.spec else {
        return Err(wrong_spec(&r.key));
    };
    let mut want = Vec::new();
    for v in &s.target_groups {
        want.push(cx.value(&r.key, v)?);
    }
    let extra: Vec<String> = split(&change.from)
        .into_iter()
        .filter(|a| !want.contains(a))
        .collect();
    if !want.is_empty() {
        cx.aws
            .autoscaling
            .attach_load_balancer_target_groups()
            .auto_scaling_group_name(id)
            .set_target_group_arns(Some(want))
            .send()
            .await
            .map_err(|e| cx.err(e, "attaching target groups to", &r.key))?;
    }
    if !extra.is_empty() {
        cx.aws
            .autoscaling
            .detach_load_balancer_target_groups()
            .auto_scaling_group_name(id)
            .set_target_group_arns(Some(extra))
            .send()
            .await
            .map_err(|e| cx.err(e, "detaching target groups from", &r.key))?;
    }
    Ok(())
}
