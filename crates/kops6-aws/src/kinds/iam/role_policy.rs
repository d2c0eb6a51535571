//! A role's inline policy (kOps' least privilege per role, `ec2:AssignIpv6Addresses` for the
//! bootstrapping roles in IPv6 mode): the document changes in place (PutRolePolicy). Read with
//! its role ([`super::role`]); deleted before it.

use kops6_model::{Key, Kind, Resource, Spec};

use super::same_policy;
use crate::actual::Found;
use crate::compare::{or_unknown, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::error::AwsError;
use crate::kind::{AwsKind, BoxFuture, Discovered, Discovery};
use crate::kinds::ec2::{not_updatable, wrong_spec};
use crate::wait::fresh;

pub struct IamRolePolicy;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyObserved {
    pub role: String,
    pub policy_name: String,
    /// As IAM returns it (percent-encoded by the real API).
    pub document: String,
}

async fn put(cx: &Ctx<'_>, r: &Resource) -> Result<String, AwsError> {
    let Spec::IamRolePolicy { role, policy } = &r.spec else {
        return Err(wrong_spec(&r.key));
    };
    let role = cx.value(&r.key, role)?;
    fresh(|| async {
        cx.aws
            .iam
            .put_role_policy()
            .role_name(&role)
            .policy_name(&r.key.name)
            .policy_document(policy)
            .send()
            .await
            .map_err(|e| cx.err(e, "putting", &r.key))
    })
    .await?;
    Ok(format!("{role}/{}", r.key.name))
}

impl AwsKind for IamRolePolicy {
    fn kind(&self) -> Kind {
        Kind::IamRolePolicy
    }

    fn discovery(&self) -> Discovery {
        Discovery::With(Kind::IamRole)
    }

    fn discover<'a>(
        &'a self,
        _aws: &'a Aws,
        _cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::IamRolePolicy { role, policy }, Some(a)) =
            (&desired.spec, found.observed.get::<PolicyObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.immutable("role", &a.role, or_unknown(cx.id(role)));
        if !same_policy(&a.document, policy) {
            c.mutable("document", "(a different policy)", "(the spec's policy)");
        }
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(put(cx, r))
    }

    fn update<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
        _id: &'a str,
        change: &'a FieldChange,
    ) -> BoxFuture<'a, Result<(), AwsError>> {
        Box::pin(async move {
            match change.field {
                "document" => put(cx, r).await.map(|_| ()),
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
            let Some(p) = found.observed.get::<PolicyObserved>() else {
                return Err(wrong_spec(key));
            };
            cx.aws
                .iam
                .delete_role_policy()
                .role_name(&p.role)
                .policy_name(&p.policy_name)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}
