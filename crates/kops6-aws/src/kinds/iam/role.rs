//! IAM roles: the trust policy changes in place (UpdateAssumeRolePolicy). The role's inline
//! policies are read with it ([`super::role_policy`]). IDs are role names, which every IAM
//! call takes.

use aws_sdk_iam::types::EntityType;
use kops6_model::{Key, Kind, Resource, Spec};

use super::role_policy::PolicyObserved;
use super::{iam_tags, is_cluster_name, same_policy, tags_of};
use crate::actual::{Found, Observed};
use crate::compare::{Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::discover::is_owned;
use crate::error::{api_error, AwsError};
use crate::kind::{AwsKind, BoxFuture, Discovered, Name};
use crate::kinds::ec2::{not_updatable, wrong_spec};

pub struct IamRole;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleObserved {
    /// As IAM returns it (percent-encoded by the real API).
    pub assume_role_policy: String,
}

/// One GetAccountAuthorizationDetails (and its pages) answers for every role its trust
/// policy, tags and inline policies, where ListRoles would need ListRoleTags, ListRolePolicies
/// and GetRolePolicy for each role: a no-op apply reads IAM roles in one call, not ten.
async fn discover_roles(aws: &Aws, cluster: &str) -> Result<Vec<Discovered>, AwsError> {
    let ep = aws.endpoint.as_str();
    let what = format!("IAM roles of cluster {cluster}");
    let pages = aws
        .iam
        .get_account_authorization_details()
        .filter(EntityType::Role)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| api_error(e, "listing", &what, ep))?;
    let mut out = Vec::new();
    for role in pages.iter().flat_map(|p| p.role_detail_list()) {
        let name = role.role_name().unwrap_or_default().to_string();
        if !is_cluster_name(&name, cluster) {
            continue;
        }
        let tags = tags_of(role.tags());
        if !is_owned(&tags, cluster) {
            continue;
        }
        for policy in role.role_policy_list() {
            let policy_name = policy.policy_name().unwrap_or_default().to_string();
            out.push(Discovered {
                kind: Kind::IamRolePolicy,
                name: Name::Given(policy_name.clone()),
                found: Found {
                    id: format!("{name}/{policy_name}"),
                    tags: Default::default(),
                    refs: vec![name.clone()],
                    observed: Observed::new(PolicyObserved {
                        role: name.clone(),
                        policy_name,
                        document: policy.policy_document().unwrap_or_default().to_string(),
                    }),
                },
            });
        }
        out.push(Discovered {
            kind: Kind::IamRole,
            name: Name::from_tags(&tags),
            found: Found {
                id: name,
                tags,
                refs: vec![],
                observed: Observed::new(RoleObserved {
                    assume_role_policy: role
                        .assume_role_policy_document()
                        .unwrap_or_default()
                        .to_string(),
                }),
            },
        });
    }
    Ok(out)
}

impl AwsKind for IamRole {
    fn kind(&self) -> Kind {
        Kind::IamRole
    }

    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(discover_roles(aws, cluster))
    }

    fn compare(&self, desired: &Resource, found: &Found, _cx: &Resolve<'_>) -> Compare {
        let (Spec::IamRole { assume_role_policy }, Some(a)) =
            (&desired.spec, found.observed.get::<RoleObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        if !same_policy(&a.assume_role_policy, assume_role_policy) {
            c.mutable(
                "assumeRolePolicy",
                "(a different trust policy)",
                assume_role_policy,
            );
        }
        c.immutable("name", &found.id, &desired.key.name);
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::IamRole { assume_role_policy } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            cx.aws
                .iam
                .create_role()
                .role_name(&r.key.name)
                .assume_role_policy_document(assume_role_policy)
                .set_tags(Some(iam_tags(&r.tags)))
                .send()
                .await
                .map_err(|e| cx.err(e, "creating", &r.key))?;
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
            let Spec::IamRole { assume_role_policy } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            match change.field {
                "tags" => cx
                    .aws
                    .iam
                    .tag_role()
                    .role_name(id)
                    .set_tags(Some(iam_tags(&r.tags)))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| cx.err(e, "tagging", &r.key)),
                "assumeRolePolicy" => cx
                    .aws
                    .iam
                    .update_assume_role_policy()
                    .role_name(id)
                    .policy_document(assume_role_policy)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| cx.err(e, "updating the trust policy of", &r.key)),
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
            cx.aws
                .iam
                .delete_role()
                .role_name(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}
