//! Removing owned resources: for `delete cluster`, and for what an update no longer needs.
//! Most dependent first (routes and associations, NAT gateways before their Elastic IPs and
//! subnets, the VPC last but for its DHCP options), retrying while AWS still sees a dependency.

use std::collections::BTreeMap;

use kops6_model::{Key, Kind};
use tokio::sync::Semaphore;

use crate::actual::{Actual, Found, Observed};
use crate::apply::{delete_rank, ApplyOptions, Progress};
use crate::connect::Aws;
use crate::diff::{route_destination, Step};
use crate::discover::discover;
use crate::error::{api_error, AwsError};
use crate::ops::{fresh, retry_on, DEPENDENCY_WAIT};

/// Errors that mean "something still uses it; try again shortly".
const STILL_IN_USE: [&str; 3] = [
    "DependencyViolation",
    "InvalidIPAddress.InUse",
    "AuthFailure.AddressInUse",
];

/// Deletes the resources of `steps` (all `Step::Delete`), rank by rank, each rank in parallel.
pub async fn remove(
    aws: &Aws,
    steps: Vec<Step>,
    opts: &ApplyOptions,
    progress: &Progress,
) -> Result<(), AwsError> {
    let mut ranks: BTreeMap<u8, Vec<(Key, Found)>> = BTreeMap::new();
    for s in steps {
        if let Step::Delete { key, found, .. } = s {
            ranks
                .entry(delete_rank(key.kind))
                .or_default()
                .push((key, found));
        }
    }
    let limit = Semaphore::new(opts.parallelism.max(1));
    let mut errors = Vec::new();
    for (_, items) in ranks {
        let results = futures_all(items.iter().map(|(key, found)| async {
            let _permit = limit.acquire().await;
            progress.step("deleting", key);
            delete_one(aws, key, found, opts).await
        }))
        .await;
        errors.extend(
            results
                .into_iter()
                .filter_map(Result::err)
                .map(|e| e.to_string()),
        );
        if !errors.is_empty() {
            // Later ranks depend on this one being gone.
            break;
        }
    }
    match errors.len() {
        0 => Ok(()),
        n => Err(AwsError::Failed { count: n, errors }),
    }
}

/// Runs futures concurrently on the current task (they may wait on each other through
/// channels) and returns their outputs in order.
pub(crate) async fn futures_all<T, F: std::future::Future<Output = T>>(
    futures: impl Iterator<Item = F>,
) -> Vec<T> {
    let mut set: Vec<(usize, std::pin::Pin<Box<F>>)> = futures.map(Box::pin).enumerate().collect();
    let mut out: Vec<Option<T>> = (0..set.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        set.retain_mut(|(i, f)| match f.as_mut().poll(cx) {
            std::task::Poll::Ready(v) => {
                out[*i] = Some(v);
                false
            }
            std::task::Poll::Pending => true,
        });
        if set.is_empty() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out.into_iter().flatten().collect()
}

/// A delete that AWS reports as already done counts as done.
fn gone(e: &AwsError) -> bool {
    e.code().is_some_and(|c| {
        c.ends_with(".NotFound") || c == "InvalidAssociationID.NotFound" || c.ends_with("NotFound")
    })
}

async fn delete_one(
    aws: &Aws,
    key: &Key,
    found: &Found,
    opts: &ApplyOptions,
) -> Result<(), AwsError> {
    let ec2 = &aws.ec2;
    let ep = aws.endpoint.as_str();
    let id = found.id.as_str();
    let result = retry_on(&STILL_IN_USE, DEPENDENCY_WAIT, || async {
        match key.kind {
            Kind::Route => {
                let dest = match &found.observed {
                    Observed::Route { destination, .. } => Some(*destination),
                    _ => route_destination(key),
                };
                let b = ec2.delete_route().route_table_id(id);
                let b = match dest {
                    Some(ipnet::IpNet::V4(n)) => b.destination_cidr_block(n.to_string()),
                    Some(ipnet::IpNet::V6(n)) => b.destination_ipv6_cidr_block(n.to_string()),
                    None => {
                        return Err(AwsError::Other(format!("{key}: no destination to delete")))
                    }
                };
                b.send()
                    .await
                    .map(|_| ())
                    .map_err(|e| api_error(e, "deleting", key, ep))
            }
            Kind::RouteTableAssociation => ec2
                .disassociate_route_table()
                .association_id(id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| api_error(e, "removing", key, ep)),
            Kind::NatGateway => {
                ec2.delete_nat_gateway()
                    .nat_gateway_id(id)
                    .send()
                    .await
                    .map_err(|e| api_error(e, "deleting", key, ep))?;
                let ops = crate::ops::Ops {
                    aws,
                    run_token: String::new(),
                };
                ops.wait_nat_gateway(key, id, "deleted", opts.nat_gateway_wait)
                    .await
            }
            Kind::ElasticIp => ec2
                .release_address()
                .allocation_id(id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| api_error(e, "releasing", key, ep)),
            Kind::RouteTable => ec2
                .delete_route_table()
                .route_table_id(id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| api_error(e, "deleting", key, ep)),
            Kind::Subnet => ec2
                .delete_subnet()
                .subnet_id(id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| api_error(e, "deleting", key, ep)),
            Kind::EgressOnlyInternetGateway => ec2
                .delete_egress_only_internet_gateway()
                .egress_only_internet_gateway_id(id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| api_error(e, "deleting", key, ep)),
            Kind::InternetGateway => {
                if let Observed::InternetGateway { attached_vpcs } = &found.observed {
                    for vpc in attached_vpcs {
                        let r = ec2
                            .detach_internet_gateway()
                            .internet_gateway_id(id)
                            .vpc_id(vpc)
                            .send()
                            .await
                            .map_err(|e| api_error(e, "detaching", key, ep));
                        if let Err(e) = r {
                            if !gone(&e) && e.code() != Some("Gateway.NotAttached") {
                                return Err(e);
                            }
                        }
                    }
                }
                ec2.delete_internet_gateway()
                    .internet_gateway_id(id)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| api_error(e, "deleting", key, ep))
            }
            Kind::Vpc => ec2
                .delete_vpc()
                .vpc_id(id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| api_error(e, "deleting", key, ep)),
            Kind::DhcpOptions => ec2
                .delete_dhcp_options()
                .dhcp_options_id(id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| api_error(e, "deleting", key, ep)),
            Kind::VpcDhcpOptionsAssociation => Ok(()),
        }
    })
    .await;
    match result {
        Err(e) if gone(&e) => Ok(()),
        other => other,
    }
}

/// Everything `delete cluster` would remove: all resources tagged as owned by the cluster.
pub async fn owned_resources(aws: &Aws, cluster: &str) -> Result<Vec<(Key, Found)>, AwsError> {
    let actual = fresh(|| discover(aws, cluster)).await?;
    Ok(deletable(&actual))
}

/// Owned resources to delete, most dependent first. Routes go with their tables.
pub fn deletable(actual: &Actual) -> Vec<(Key, Found)> {
    let mut out: Vec<(Key, Found)> = actual
        .resources
        .iter()
        .filter(|(k, _)| !matches!(k.kind, Kind::Route | Kind::VpcDhcpOptionsAssociation))
        .flat_map(|(k, v)| v.iter().map(move |f| (k.clone(), f.clone())))
        .collect();
    out.sort_by_key(|(k, f)| (delete_rank(k.kind), k.name.clone(), f.id.clone()));
    out
}

/// Deletes every resource tagged as owned by the cluster; shared ones are never touched.
/// Returns how many were deleted (0 when the cluster is already gone).
pub async fn delete_cluster(
    aws: &Aws,
    cluster: &str,
    opts: &ApplyOptions,
) -> Result<usize, AwsError> {
    let items = owned_resources(aws, cluster).await?;
    let n = items.len();
    let steps = items
        .into_iter()
        .map(|(key, found)| Step::Delete {
            key,
            found,
            reason: "delete cluster".into(),
        })
        .collect();
    let progress = Progress::new(n, opts.progress);
    remove(aws, steps, opts, &progress).await?;
    Ok(n)
}
