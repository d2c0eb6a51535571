//! `reach` and `diagram` on the HA 3-zone private IPv6 cluster (a control plane in each zone),
//! built with `build_cluster`, so security groups are checked. Targets (issue 9): `reach` < 1 ms
//! per query, `diagram` < 20 ms. The spec is completed and the graph built once, outside the
//! timed loop; each timed run gathers the topology itself, as the CLI does.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use kops6_api::complete::Completed;
use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_model::{build_cluster, ClusterInputs, ResourceGraph};
use kops6_views::reach::{From, To};
use kops6_views::{diagram, reach, Input, Query, Topology};

fn ha() -> (Completed, ResourceGraph) {
    let zones: Vec<String> = ["us-east-1a", "us-east-1b", "us-east-1c"]
        .map(String::from)
        .to_vec();
    let new = new_cluster(&NewClusterOptions {
        name: "ipv6.example.com".into(),
        zones: zones.clone(),
        control_plane_zones: zones,
        control_plane_count: Some(3),
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        ..Default::default()
    })
    .expect("valid options");
    let set = ClusterSpecSet::new(new.cluster, new.instance_groups).expect("valid set");
    let completed = set
        .check(&ValidationContext::default())
        .expect("valid spec");
    let graph = build_cluster(
        &completed.cluster,
        &completed.instance_groups,
        &ClusterInputs::default(),
    )
    .expect("model");
    (completed, graph)
}

fn benches(c: &mut Criterion) {
    let (completed, graph) = ha();
    let input = Input {
        graph: &graph,
        cluster: &completed.cluster,
        instance_groups: &completed.instance_groups,
        vpc_ipv6: None,
    };
    // The longest path: DNS64, NAT64 at the zone's NAT gateway, then the utility table.
    let query = Query {
        from: From::Subnet("us-east-1c".into()),
        to: To::Name {
            name: "registry.example.org".into(),
            a: vec!["192.0.2.10".parse().unwrap()],
            aaaa: vec![],
        },
        port: Some(443),
        protocol: Default::default(),
        group: None,
    };
    c.bench_function("reach/ha-3-zone/dns64-nat64 (with topology)", |b| {
        b.iter(|| {
            let topo = Topology::new(black_box(&input));
            reach(&topo, black_box(&query)).expect("answer")
        })
    });
    let topo = Topology::new(&input);
    c.bench_function("reach/ha-3-zone/dns64-nat64 (query only)", |b| {
        b.iter(|| reach(black_box(&topo), black_box(&query)).expect("answer"))
    });
    // Security groups both ends: the nodes' egress, then the control plane's ingress rules.
    let etcd = Query {
        from: From::Subnet("nodes-us-east-1a".into()),
        to: To::Name {
            name: "control-plane-us-east-1b".into(),
            a: vec![],
            aaaa: vec![],
        },
        port: Some(2380),
        protocol: Default::default(),
        group: None,
    };
    c.bench_function("reach/ha-3-zone/node-to-control-plane (query only)", |b| {
        b.iter(|| reach(black_box(&topo), black_box(&etcd)).expect("answer"))
    });
    let api = Query {
        from: From::Internet,
        to: To::Name {
            name: "dualstack-us-east-1a".into(),
            a: vec![],
            aaaa: vec![],
        },
        port: Some(443),
        protocol: Default::default(),
        group: None,
    };
    c.bench_function("reach/ha-3-zone/internet-api-lb (query only)", |b| {
        b.iter(|| reach(black_box(&topo), black_box(&api)).expect("answer"))
    });
    c.bench_function("diagram/ha-3-zone/svg", |b| {
        b.iter(|| diagram::svg(&Topology::new(black_box(&input))))
    });
    c.bench_function("diagram/ha-3-zone/mermaid", |b| {
        b.iter(|| diagram::mermaid(&Topology::new(black_box(&input))))
    });
}

criterion_group!(views, benches);
criterion_main!(views);
