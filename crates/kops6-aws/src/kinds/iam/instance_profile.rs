//! Instance profiles: how instances take their role. The role in it changes in place (remove
//! the old, add the new).

use kops6_model::{Key, Kind, Resource, Spec};

use super::{iam_tags, is_cluster_name, tags_of};
use crate::actual::{Found, Observed};
use crate::compare::{or_unknown, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::discover::is_owned;
use crate::error::{api_error, AwsError};
use crate::kind::{AwsKind, BoxFuture, Discovered, Name};
use crate::kinds::ec2::{not_updatable, wrong_spec};
use crate::wait::{fresh, is_gone};

pub struct IamInstanceProfile;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileObserved {
    pub roles: Vec<String>,
}

async fn add_role(cx: &Ctx<'_>, key: &Key, profile: &str, role: &str) -> Result<(), AwsError> {
    fresh(|| async {
        cx.aws
            .iam
            .add_role_to_instance_profile()
            .instance_profile_name(profile)
            .role_name(role)
            .send()
            .await
            .map_err(|e| cx.err(e, "adding the role to", key))
    })
    .await
    .map(|_| ())
}

async fn remove_role(cx: &Ctx<'_>, key: &Key, profile: &str, role: &str) -> Result<(), AwsError> {
    let r = cx
        .aws
        .iam
        .remove_role_from_instance_profile()
        .instance_profile_name(profile)
        .role_name(role)
        .send()
        .await
        .map_err(|e| cx.err(e, "removing the role from", key));
    match r {
        Err(e) if is_gone(&e) => Ok(()),
        other => other.map(|_| ()),
    }
}

impl AwsKind for IamInstanceProfile {
    fn kind(&self) -> Kind {
        Kind::IamInstanceProfile
    }

    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async move {
            let ep = aws.endpoint.as_str();
            let what = format!("instance profiles of cluster {cluster}");
            let profiles = aws
                .iam
                .list_instance_profiles()
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>()
                .await
                .map_err(|e| api_error(e, "listing", &what, ep))?;
            let mut out = Vec::new();
            for p in profiles {
                let name = p.instance_profile_name().to_string();
                if !is_cluster_name(&name, cluster) {
                    continue;
                }
                // GetInstanceProfile, unlike the list, returns the tags.
                let full = aws
                    .iam
                    .get_instance_profile()
                    .instance_profile_name(&name)
                    .send()
                    .await
                    .map_err(|e| api_error(e, "reading the tags of", &name, ep))?;
                let tags = tags_of(
                    full.instance_profile()
                        .map(|p| p.tags())
                        .unwrap_or_default(),
                );
                if !is_owned(&tags, cluster) {
                    continue;
                }
                let roles: Vec<String> = p
                    .roles()
                    .iter()
                    .map(|r| r.role_name().to_string())
                    .collect();
                out.push(Discovered {
                    kind: Kind::IamInstanceProfile,
                    name: Name::from_tags(&tags),
                    found: Found {
                        id: name,
                        tags,
                        refs: roles.clone(),
                        observed: Observed::new(ProfileObserved { roles }),
                    },
                });
            }
            Ok(out)
        })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::IamInstanceProfile { role }, Some(a)) =
            (&desired.spec, found.observed.get::<ProfileObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.immutable("name", &found.id, &desired.key.name);
        c.mutable("role", a.roles.join(","), or_unknown(cx.id(role)));
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::IamInstanceProfile { role } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let role = cx.value(&r.key, role)?;
            cx.aws
                .iam
                .create_instance_profile()
                .instance_profile_name(&r.key.name)
                .set_tags(Some(iam_tags(&r.tags)))
                .send()
                .await
                .map_err(|e| cx.err(e, "creating", &r.key))?;
            add_role(cx, &r.key, &r.key.name, &role).await?;
            Ok(r.key.name.clone())
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
            let Spec::IamInstanceProfile { role } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            match change.field {
                "tags" => cx
                    .aws
                    .iam
                    .tag_instance_profile()
                    .instance_profile_name(id)
                    .set_tags(Some(iam_tags(&r.tags)))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| cx.err(e, "tagging", &r.key)),
                "role" => {
                    // A profile holds at most one role.
                    for old in change.from.split(',').filter(|s| !s.is_empty()) {
                        remove_role(cx, &r.key, id, old).await?;
                    }
                    add_role(cx, &r.key, id, &cx.value(&r.key, role)?).await
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
            if let Some(p) = found.observed.get::<ProfileObserved>() {
                for role in &p.roles {
                    remove_role(cx, key, &found.id, role).await?;
                }
            }
            cx.aws
                .iam
                .delete_instance_profile()
                .instance_profile_name(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}
