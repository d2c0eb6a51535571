//! Which route table a subnet uses (found with the tables, [`super::route_table`], and named
//! after its subnet). The table changes in place; the subnet is replace-only.

use kops6_model::{Key, Kind, Resource, Spec};

use super::{not_updatable, wrong_spec};
use crate::actual::Found;
use crate::compare::{or_unknown, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::error::AwsError;
use crate::kind::{AwsKind, BoxFuture, Discovered, Discovery};
use crate::wait::fresh;

pub struct RouteTableAssociation;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssociationObserved {
    pub subnet_id: String,
    pub table_id: String,
}

impl AwsKind for RouteTableAssociation {
    fn kind(&self) -> Kind {
        Kind::RouteTableAssociation
    }

    fn discovery(&self) -> Discovery {
        Discovery::With(Kind::RouteTable)
    }

    fn discover<'a>(
        &'a self,
        _aws: &'a Aws,
        _cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::RouteTableAssociation { subnet, table }, Some(a)) =
            (&desired.spec, found.observed.get::<AssociationObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.id("subnet", &a.subnet_id, cx.id(subnet));
        c.mutable("routeTable", &a.table_id, or_unknown(cx.id(table)));
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::RouteTableAssociation { subnet, table } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let (table, subnet) = (cx.value(&r.key, table)?, cx.value(&r.key, subnet)?);
            let out = fresh(|| async {
                cx.aws
                    .ec2
                    .associate_route_table()
                    .route_table_id(&table)
                    .subnet_id(&subnet)
                    .send()
                    .await
                    .map_err(|e| cx.err(e, "creating", &r.key))
            })
            .await?;
            Ok(out.association_id().unwrap_or_default().to_string())
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
            let Spec::RouteTableAssociation { table, .. } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            if change.field != "routeTable" {
                return Err(not_updatable(&r.key, change.field));
            }
            let table = cx.value(&r.key, table)?;
            fresh(|| async {
                cx.aws
                    .ec2
                    .replace_route_table_association()
                    .association_id(id)
                    .route_table_id(&table)
                    .send()
                    .await
                    .map_err(|e| cx.err(e, "moving", &r.key))
            })
            .await
            .map(|_| ())
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
                .ec2
                .disassociate_route_table()
                .association_id(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "removing", key))
        })
    }
}
