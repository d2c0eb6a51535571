//! Preflight for machine types (issue 7's bad input): every launch template's instance type
//! must be offered in each zone of its autoscaling group's subnets, or the group could never
//! launch there. One DescribeInstanceTypeOfferings (by zone, filtered to the types and zones
//! the cluster uses) answers for the whole cluster, before any change is made.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::types::{Filter, LocationType};
use kops6_model::{ResourceGraph, Spec, Value};

use crate::connect::Aws;
use crate::error::{api_error, AwsError};

/// One instance group's need: its machine type in these zones.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Need {
    instance_group: String,
    machine_type: String,
    zones: BTreeSet<String>,
}

/// What each autoscaling group needs, with the zones of shared subnets (given by ID) read
/// with one DescribeSubnets.
async fn needs(aws: &Aws, graph: &ResourceGraph) -> Result<Vec<Need>, AwsError> {
    let mut shared: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    let mut pending: Vec<(Need, Vec<String>)> = Vec::new();
    for r in &graph.resources {
        let Spec::AutoscalingGroup(asg) = &r.spec else {
            continue;
        };
        let Some(Spec::LaunchTemplate(lt)) = (match &asg.launch_template {
            Value::Ref(k) => graph.get(k).map(|r| &r.spec),
            _ => None,
        }) else {
            continue;
        };
        let mut need = Need {
            instance_group: lt.instance_group.clone(),
            machine_type: lt.instance_type.clone(),
            zones: BTreeSet::new(),
        };
        let mut ids = Vec::new();
        for s in &asg.subnets {
            match s {
                Value::Ref(k) => {
                    if let Some(Spec::Subnet(sub)) = graph.get(k).map(|r| &r.spec) {
                        need.zones.insert(sub.zone.clone());
                    }
                }
                Value::Shared(id) => {
                    shared.insert(id.clone());
                    ids.push(id.clone());
                }
                Value::Lookup(_) => {}
            }
        }
        pending.push((need, ids));
    }
    let mut zone_of: BTreeMap<String, String> = BTreeMap::new();
    if !shared.is_empty() {
        let what = "the instance groups' shared subnets";
        let subnets = aws
            .ec2
            .describe_subnets()
            .set_subnet_ids(Some(shared.into_iter().collect()))
            .send()
            .await
            .map_err(|e| api_error(e, "reading", &what, &aws.endpoint))?;
        for s in subnets.subnets() {
            if let (Some(id), Some(z)) = (s.subnet_id(), s.availability_zone()) {
                zone_of.insert(id.to_string(), z.to_string());
            }
        }
    }
    for (mut need, ids) in pending {
        need.zones
            .extend(ids.iter().filter_map(|id| zone_of.get(id).cloned()));
        out.push(need);
    }
    Ok(out)
}

/// [`AwsError::InstanceTypeNotOffered`] for each instance group and zone where AWS does not
/// offer the group's machine type; `Err` only when AWS could not be asked.
pub async fn check_offered(aws: &Aws, graph: &ResourceGraph) -> Result<Vec<AwsError>, AwsError> {
    let needs = needs(aws, graph).await?;
    if needs.is_empty() {
        return Ok(Vec::new());
    }
    let types: BTreeSet<&str> = needs.iter().map(|n| n.machine_type.as_str()).collect();
    let zones: BTreeSet<&str> = needs
        .iter()
        .flat_map(|n| n.zones.iter().map(String::as_str))
        .collect();
    let what = "the instance groups' machine types";
    let offered = aws
        .ec2
        .describe_instance_type_offerings()
        .location_type(LocationType::AvailabilityZone)
        .filters(
            Filter::builder()
                .name("instance-type")
                .set_values(Some(types.iter().map(|t| t.to_string()).collect()))
                .build(),
        )
        .filters(
            Filter::builder()
                .name("location")
                .set_values(Some(zones.iter().map(|z| z.to_string()).collect()))
                .build(),
        )
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| api_error(e, "checking", &what, &aws.endpoint))?;
    let offered: BTreeSet<(String, String)> = offered
        .iter()
        .filter_map(|o| {
            Some((
                o.instance_type()?.as_str().to_string(),
                o.location()?.to_string(),
            ))
        })
        .collect();
    Ok(needs
        .iter()
        .flat_map(|n| n.zones.iter().map(move |z| (n, z)))
        .filter(|(n, z)| !offered.contains(&(n.machine_type.clone(), (*z).clone())))
        .map(|(n, z)| AwsError::InstanceTypeNotOffered {
            instance_group: n.instance_group.clone(),
            machine_type: n.machine_type.clone(),
            zone: z.clone(),
            region: aws.region.clone(),
        })
        .collect())
}
