//! Routes, inside their route table (found with it, [`super::route_table`]); the target
//! changes in place with ReplaceRoute.

use ipnet::IpNet;
use kops6_model::{Key, Kind, Resource, Spec};

use super::{not_updatable, wrong_spec};
use crate::actual::Found;
use crate::compare::{or_unknown, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::error::AwsError;
use crate::kind::{AwsKind, BoxFuture, Discovered, Discovery, Lifetime};
use crate::wait::fresh;

pub struct Route;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteObserved {
    pub destination: IpNet,
    /// The target's ID (`igw-`, `nat-`, `eigw-`, `tgw-`, ...).
    pub target: String,
}

/// Creates (or, with `replace`, retargets) a route.
async fn put(
    cx: &Ctx<'_>,
    key: &Key,
    table: &str,
    destination: IpNet,
    target: &str,
    replace: bool,
) -> Result<(), AwsError> {
    // CreateRoute and ReplaceRoute take the same fields on different builders.
    macro_rules! route {
        ($b:expr) => {{
            let b = $b.route_table_id(table);
            let b = match destination {
                IpNet::V4(n) => b.destination_cidr_block(n.to_string()),
                IpNet::V6(n) => b.destination_ipv6_cidr_block(n.to_string()),
            };
            match target.split('-').next().unwrap_or_default() {
                "nat" => b.nat_gateway_id(target),
                "eigw" => b.egress_only_internet_gateway_id(target),
                "tgw" => b.transit_gateway_id(target),
                "i" => b.instance_id(target),
                "pcx" => b.vpc_peering_connection_id(target),
                "vpce" => b.vpc_endpoint_id(target),
                _ => b.gateway_id(target),
            }
        }};
    }
    if replace {
        let b = route!(cx.aws.ec2.replace_route());
        fresh(|| async {
            b.clone()
                .send()
                .await
                .map_err(|e| cx.err(e, "retargeting", key))
        })
        .await?;
    } else {
        let b = route!(cx.aws.ec2.create_route());
        fresh(|| async {
            b.clone()
                .send()
                .await
                .map_err(|e| cx.err(e, "creating", key))
        })
        .await?;
    }
    Ok(())
}

impl AwsKind for Route {
    fn kind(&self) -> Kind {
        Kind::Route
    }

    fn discovery(&self) -> Discovery {
        Discovery::With(Kind::RouteTable)
    }

    fn lifetime(&self) -> Lifetime {
        Lifetime::Inside(Kind::RouteTable)
    }

    fn discover<'a>(
        &'a self,
        _aws: &'a Aws,
        _cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::Route { target, .. }, Some(a)) =
            (&desired.spec, found.observed.get::<RouteObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.mutable("target", &a.target, or_unknown(cx.target(target)));
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::Route {
                table,
                destination,
                target,
            } = &r.spec
            else {
                return Err(wrong_spec(&r.key));
            };
            let table = cx.value(&r.key, table)?;
            let target = cx.target(&r.key, target)?;
            put(cx, &r.key, &table, *destination, &target, false).await?;
            Ok(table)
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
            let Spec::Route {
                table,
                destination,
                target,
            } = &r.spec
            else {
                return Err(wrong_spec(&r.key));
            };
            match change.field {
                "target" => {
                    let table = cx.value(&r.key, table)?;
                    let target = cx.target(&r.key, target)?;
                    put(cx, &r.key, &table, *destination, &target, true).await
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
            let Some(route) = found.observed.get::<RouteObserved>() else {
                return Err(wrong_spec(key));
            };
            let b = cx.aws.ec2.delete_route().route_table_id(&found.id);
            let b = match route.destination {
                IpNet::V4(n) => b.destination_cidr_block(n.to_string()),
                IpNet::V6(n) => b.destination_ipv6_cidr_block(n.to_string()),
            };
            b.send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}
