//! Route tables (SPEC 6's table per subnet type and zone). One Describe also gives their
//! routes ([`super::route`]) and subnet associations ([`super::route_table_association`]).

use aws_sdk_ec2::types::ResourceType;
use ipnet::IpNet;
use kops6_model::graph::Tags;
use kops6_model::{Key, Kind, Resource, Spec};

use super::route::RouteObserved;
use super::route_table_association::AssociationObserved;
use super::{describe_owned, not_updatable, tag_spec, tags_of, wrong_spec};
use crate::actual::{Found, Observed};
use crate::compare::{Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::discover::is_owned;
use crate::error::AwsError;
use crate::kind::{AwsKind, BoxFuture, Discovered, Name};
use crate::wait::fresh;

pub struct RouteTable;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableObserved {
    pub vpc_id: String,
}

/// A route table's routes and associations, as their own kinds.
fn contents(t: &aws_sdk_ec2::types::RouteTable, table: &Name, id: &str) -> Vec<Discovered> {
    let mut out = Vec::new();
    let table_name = match table {
        Name::Given(n) => n.clone(),
        _ => format!("(no Name tag) {id}"),
    };
    for r in t.routes() {
        // Only routes someone made: not the VPC's local routes.
        let created = r.origin().is_some_and(|o| o.as_str() == "CreateRoute");
        let dest = r
            .destination_cidr_block()
            .or(r.destination_ipv6_cidr_block())
            .and_then(|d| d.parse::<IpNet>().ok());
        let target = r
            .nat_gateway_id()
            .or(r.egress_only_internet_gateway_id())
            .or(r.transit_gateway_id())
            .or(r.instance_id())
            .or(r.vpc_peering_connection_id())
            .or(r.gateway_id());
        if let (true, Some(destination), Some(target)) = (created, dest, target) {
            out.push(Discovered {
                kind: Kind::Route,
                name: Name::Given(format!("{table_name}/{destination}")),
                found: Found {
                    id: id.to_string(),
                    tags: Tags::new(),
                    refs: vec![id.to_string(), target.to_string()],
                    observed: Observed::new(RouteObserved {
                        destination,
                        target: target.to_string(),
                    }),
                },
            });
        }
    }
    for a in t.associations() {
        let (Some(subnet), Some(assoc)) = (a.subnet_id(), a.route_table_association_id()) else {
            continue;
        };
        out.push(Discovered {
            kind: Kind::RouteTableAssociation,
            name: Name::SameAs {
                kind: Kind::Subnet,
                id: subnet.to_string(),
            },
            found: Found {
                id: assoc.to_string(),
                tags: Tags::new(),
                refs: vec![subnet.to_string(), id.to_string()],
                observed: Observed::new(AssociationObserved {
                    subnet_id: subnet.to_string(),
                    table_id: id.to_string(),
                }),
            },
        });
    }
    out
}

impl AwsKind for RouteTable {
    fn kind(&self) -> Kind {
        Kind::RouteTable
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
                describe_route_tables,
                "listing route tables of"
            )?;
            let mut out = Vec::new();
            for t in all {
                let id = t.route_table_id().unwrap_or_default().to_string();
                let tags = tags_of(t.tags());
                if !is_owned(&tags, cluster) {
                    continue;
                }
                let name = Name::from_tags(&tags);
                out.extend(contents(&t, &name, &id));
                let vpc_id = t.vpc_id().unwrap_or_default().to_string();
                out.push(Discovered {
                    kind: Kind::RouteTable,
                    name,
                    found: Found {
                        id,
                        tags,
                        refs: vec![vpc_id.clone()],
                        observed: Observed::new(TableObserved { vpc_id }),
                    },
                });
            }
            Ok(out)
        })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::RouteTable { vpc }, Some(a)) =
            (&desired.spec, found.observed.get::<TableObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.id("vpc", &a.vpc_id, cx.id(vpc));
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::RouteTable { vpc } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let vpc = cx.value(&r.key, vpc)?;
            let out = fresh(|| async {
                cx.aws
                    .ec2
                    .create_route_table()
                    .vpc_id(&vpc)
                    .client_token(cx.token(&r.key))
                    .tag_specifications(tag_spec(ResourceType::RouteTable, &r.tags))
                    .send()
                    .await
                    .map_err(|e| cx.err(e, "creating", &r.key))
            })
            .await?;
            Ok(out
                .route_table()
                .and_then(|t| t.route_table_id())
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
            match change.field {
                "tags" => super::create_tags(cx, &r.key, id, &r.tags).await,
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
                .ec2
                .delete_route_table()
                .route_table_id(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}
