//! The API listener: TCP on its port, forwarding to the target group, which changes in place
//! (ModifyListener). Read with its load balancer ([`super::load_balancer`]), and gone with it
//! when the cluster is deleted.

use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum, ProtocolEnum};
use kops6_model::{Key, Kind, Resource, Spec};

use crate::actual::Found;
use crate::compare::{opt, or_unknown, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::error::AwsError;
use crate::kind::{AwsKind, BoxFuture, Discovered, Discovery, Lifetime};
use crate::kinds::ec2::{not_updatable, wrong_spec};

pub struct Listener;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenerObserved {
    pub port: i32,
    pub target_group: Option<String>,
}

fn forward(target_group: String) -> Action {
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .target_group_arn(target_group)
        .build()
}

impl AwsKind for Listener {
    fn kind(&self) -> Kind {
        Kind::Listener
    }

    fn discovery(&self) -> Discovery {
        Discovery::With(Kind::LoadBalancer)
    }

    fn lifetime(&self) -> Lifetime {
        Lifetime::Inside(Kind::LoadBalancer)
    }

    fn discover<'a>(
        &'a self,
        _aws: &'a Aws,
        _cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (
            Spec::Listener {
                port, target_group, ..
            },
            Some(a),
        ) = (&desired.spec, found.observed.get::<ListenerObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.immutable("port", a.port, port);
        c.mutable(
            "targetGroup",
            opt(&a.target_group),
            or_unknown(cx.id(target_group)),
        );
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::Listener {
                load_balancer,
                port,
                target_group,
            } = &r.spec
            else {
                return Err(wrong_spec(&r.key));
            };
            let out = cx
                .aws
                .elbv2
                .create_listener()
                .load_balancer_arn(cx.value(&r.key, load_balancer)?)
                .protocol(ProtocolEnum::Tcp)
                .port((*port).into())
                .default_actions(forward(cx.value(&r.key, target_group)?))
                .send()
                .await
                .map_err(|e| cx.err(e, "creating", &r.key))?;
            Ok(out
                .listeners()
                .first()
                .and_then(|l| l.listener_arn())
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
            let Spec::Listener { target_group, .. } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            match change.field {
                "targetGroup" => cx
                    .aws
                    .elbv2
                    .modify_listener()
                    .listener_arn(id)
                    .default_actions(forward(cx.value(&r.key, target_group)?))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| cx.err(e, "retargeting", &r.key)),
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
                .elbv2
                .delete_listener()
                .listener_arn(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}
