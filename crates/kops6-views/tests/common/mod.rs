//! Specs as `create cluster` writes them, edited the way a user would, completed and built
//! into the views' [`Topology`].

#![allow(dead_code)]

use kops6_api::complete::Completed;
use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::*;
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_model::{build_cluster, ClusterInputs, ResourceGraph};
use kops6_views::Input;

pub const C: &str = "ipv6.example.com";
pub const A: &str = "us-east-1a";
pub const B: &str = "us-east-1b";
pub const ZONES3: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];

pub fn options(zones: &[&str]) -> NewClusterOptions {
    NewClusterOptions {
        name: C.into(),
        zones: zones.iter().map(|z| z.to_string()).collect(),
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        ..Default::default()
    }
}

pub fn set_from(opts: &NewClusterOptions) -> ClusterSpecSet {
    let new = new_cluster(opts).expect("create cluster options are valid");
    ClusterSpecSet::new(new.cluster, new.instance_groups).expect("new cluster is a valid set")
}

/// `create cluster --ipv6`: per zone `<Z>` (Private, IPv6-only), `dualstack-<Z>`, `utility-<Z>`.
pub fn private_ipv6(zones: &[&str]) -> ClusterSpecSet {
    set_from(&options(zones))
}

/// The HA cluster: three zones, a control plane in each.
pub fn ha_three_zones() -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        control_plane_zones: ZONES3.iter().map(|z| z.to_string()).collect(),
        control_plane_count: Some(3),
        ..options(&ZONES3)
    })
}

/// `create cluster --ipv6 --topology public`: one Public subnet `<Z>` per zone.
pub fn public_ipv6(zones: &[&str]) -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        topology: Some(Topology::Public),
        ..options(zones)
    })
}

/// `create cluster --topology private` without `--ipv6`.
pub fn private_ipv4(zones: &[&str]) -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        ipv6: false,
        topology: Some(Topology::Private),
        ..options(zones)
    })
}

pub fn subnet<'a>(set: &'a mut ClusterSpecSet, name: &str) -> &'a mut ClusterSubnetSpec {
    set.cluster
        .spec
        .subnets
        .iter_mut()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no subnet {name}"))
}

pub struct Built {
    pub completed: Completed,
    pub graph: ResourceGraph,
}

impl Built {
    pub fn input(&self) -> Input<'_> {
        Input {
            graph: &self.graph,
            cluster: &self.completed.cluster,
            instance_groups: &self.completed.instance_groups,
            vpc_ipv6: None,
        }
    }

    pub fn topology(&self) -> kops6_views::Topology {
        kops6_views::Topology::new(&self.input())
    }

    pub fn topology_in(&self, vpc_ipv6: &str) -> kops6_views::Topology {
        kops6_views::Topology::new(&Input {
            vpc_ipv6: Some(vpc_ipv6.parse().unwrap()),
            ..self.input()
        })
    }
}

#[track_caller]
pub fn build(set: &ClusterSpecSet) -> Built {
    let completed = set
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("expected a valid spec, got:\n{e}"));
    let graph = build_cluster(
        &completed.cluster,
        &completed.instance_groups,
        &ClusterInputs::default(),
    )
    .unwrap_or_else(|e| panic!("model: {e}"));
    Built { completed, graph }
}
