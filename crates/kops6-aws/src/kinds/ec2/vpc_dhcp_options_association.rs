//! Which DHCP options the VPC uses: a setting of the VPC, read with it
//! ([`super::vpc`]) and never deleted on its own (the VPC's deletion ends it).

use kops6_model::{Key, Kind, Resource, Spec};

use super::{not_updatable, wrong_spec};
use crate::actual::Found;
use crate::compare::{opt, or_unknown, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::error::AwsError;
use crate::kind::{AwsKind, BoxFuture, Discovered, Discovery, Lifetime};
use crate::wait::fresh;

pub struct VpcDhcpOptionsAssociation;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Association {
    pub vpc_id: String,
    pub dhcp_options_id: Option<String>,
}

async fn associate(cx: &Ctx<'_>, key: &Key, vpc: &str, dhcp: &str) -> Result<(), AwsError> {
    fresh(|| async {
        cx.aws
            .ec2
            .associate_dhcp_options()
            .vpc_id(vpc)
            .dhcp_options_id(dhcp)
            .send()
            .await
            .map_err(|e| cx.err(e, "associating", key))
    })
    .await
    .map(|_| ())
}

impl AwsKind for VpcDhcpOptionsAssociation {
    fn kind(&self) -> Kind {
        Kind::VpcDhcpOptionsAssociation
    }

    fn discovery(&self) -> Discovery {
        Discovery::With(Kind::Vpc)
    }

    fn lifetime(&self) -> Lifetime {
        Lifetime::SettingOf(Kind::Vpc)
    }

    fn discover<'a>(
        &'a self,
        _aws: &'a Aws,
        _cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::VpcDhcpOptionsAssociation { dhcp_options, .. }, Some(a)) =
            (&desired.spec, found.observed.get::<Association>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.mutable(
            "dhcpOptions",
            opt(&a.dhcp_options_id),
            or_unknown(cx.id(dhcp_options)),
        );
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::VpcDhcpOptionsAssociation { vpc, dhcp_options } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let vpc = cx.value(&r.key, vpc)?;
            associate(cx, &r.key, &vpc, &cx.value(&r.key, dhcp_options)?).await?;
            Ok(vpc)
        })
    }

    fn update<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
        _id: &'a str,
        change: &'a FieldChange,
    ) -> BoxFuture<'a, Result<(), AwsError>> {
        Box::pin(async move {
            let Spec::VpcDhcpOptionsAssociation { vpc, dhcp_options } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            match change.field {
                "dhcpOptions" => {
                    let vpc = cx.value(&r.key, vpc)?;
                    associate(cx, &r.key, &vpc, &cx.value(&r.key, dhcp_options)?).await
                }
                other => Err(not_updatable(&r.key, other)),
            }
        })
    }

    fn delete<'a>(
        &'a self,
        _cx: &'a Ctx<'a>,
        _key: &'a Key,
        _found: &'a Found,
    ) -> BoxFuture<'a, Result<(), AwsError>> {
        // Ends with the VPC; nothing to call.
        Box::pin(async { Ok(()) })
    }
}
