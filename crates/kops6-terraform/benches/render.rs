//! Rendering `kubernetes.tf` from a network graph, alone and together with building the graph.
//!
//! (a) the 3-zone private IPv6 cluster `create cluster --ipv6` writes; (b) a large generated
//! cluster: 6 zones x 4 subnet types (Public, Private, DualStack, Utility in every zone) and 50
//! instance groups, to catch work that grows faster than the spec. Specs are generated,
//! completed and validated once, outside the timed loop. The same specs are built alone in
//! `kops6-model`'s `model` bench.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use ipnet::Ipv4Net;
use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::*;
use kops6_api::validate::ValidationContext;
use kops6_api::{ClusterSpecSet, Ipv6CidrSpec};
use kops6_model::{build_cluster, build_network, ClusterInputs};
use kops6_terraform::{render, render_all, Resolved};

const NAME: &str = "ipv6.example.com";
const ZONES: [&str; 6] = [
    "us-east-1a",
    "us-east-1b",
    "us-east-1c",
    "us-east-1d",
    "us-east-1e",
    "us-east-1f",
];

fn options(zones: &[&str]) -> NewClusterOptions {
    NewClusterOptions {
        name: NAME.into(),
        zones: zones.iter().map(|z| z.to_string()).collect(),
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        ..Default::default()
    }
}

fn completed(set: &ClusterSpecSet) -> Cluster {
    completed_with_groups(set).0
}

fn completed_with_groups(set: &ClusterSpecSet) -> (Cluster, Vec<InstanceGroup>) {
    let c = set
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("benchmark spec is invalid:\n{e}"));
    (c.cluster, c.instance_groups)
}

/// (a): `create cluster --ipv6 --zones us-east-1a,us-east-1b,us-east-1c`.
fn three_zones() -> Cluster {
    let new = new_cluster(&options(&ZONES[..3])).expect("valid options");
    completed(&ClusterSpecSet::new(new.cluster, new.instance_groups).expect("valid set"))
}

/// (b): per zone `public-<Z>`, `<Z>` (Private, IPv6-only), `dualstack-<Z>`, `utility-<Z>`, with
/// literal IPv4 ranges from 10.0.0.0/8 and `/64#N` IPv6 ranges; 3 control-plane groups and 47
/// node groups spread over the Public, Private and DualStack subnets.
fn large() -> Cluster {
    large_with(50).0
}

/// The large cluster with `count` instance groups, completed.
fn large_with(count: usize) -> (Cluster, Vec<InstanceGroup>) {
    let new = new_cluster(&NewClusterOptions {
        control_plane_count: Some(3),
        network_cidr: Some("10.0.0.0/8".parse().unwrap()),
        ..options(&ZONES)
    })
    .expect("valid options");
    let mut cluster = new.cluster;
    let types = [
        SubnetType::Public,
        SubnetType::Private,
        SubnetType::DualStack,
        SubnetType::Utility,
    ];
    let mut subnets = Vec::new();
    for (z, zone) in ZONES.iter().enumerate() {
        for (t, subnet_type) in types.into_iter().enumerate() {
            let index = subnets.len() as u128;
            let name = match subnet_type {
                SubnetType::Private => zone.to_string(),
                _ => format!("{}-{zone}", subnet_type.to_string().to_lowercase()),
            };
            let cidr = (subnet_type != SubnetType::Private)
                .then(|| Ipv4Net::new([10, z as u8, (t * 16) as u8, 0].into(), 20).unwrap());
            subnets.push(ClusterSubnetSpec {
                additional_routes: Vec::new(),
                cidr,
                egress: None,
                id: None,
                ipv6_cidr: Some(Ipv6CidrSpec::Allocated { len: 64, index }),
                name,
                public_ip: None,
                subnet_type,
                zone: zone.to_string(),
            });
        }
    }
    let homes: Vec<String> = subnets
        .iter()
        .filter(|s| s.subnet_type != SubnetType::Utility)
        .map(|s| s.name.clone())
        .collect();
    cluster.spec.subnets = subnets;
    let mut groups = new.instance_groups;
    let template = groups
        .iter()
        .find(|g| g.spec.role == InstanceGroupRole::Node)
        .expect("a node group")
        .clone();
    groups.retain(|g| g.spec.role.is_control_plane());
    for i in 0..(count - groups.len()) {
        let mut g = template.clone();
        g.metadata.name = format!("nodes-{i:03}");
        g.spec.subnets = vec![homes[i % homes.len()].clone()];
        groups.push(g);
    }
    assert_eq!(groups.len(), count);
    completed_with_groups(&ClusterSpecSet::new(cluster, groups).expect("valid set"))
}

/// The whole cluster (SPEC 6 and 7) with 300 instance groups, each with user data: model +
/// render, the target being under 20 ms.
fn bench_cluster(c: &mut Criterion) {
    let (cluster, groups) = large_with(300);
    let inputs = ClusterInputs {
        user_data: groups
            .iter()
            .map(|g| {
                (
                    g.metadata.name.clone(),
                    format!("#cloud-config\n# {}\n", g.metadata.name),
                )
            })
            .collect(),
        ..Default::default()
    };
    let graph = build_cluster(&cluster, &groups, &inputs).expect("the cluster builds");
    let r = render_all(&graph, &Resolved::default()).expect("the graph renders");
    eprintln!(
        "cluster_300_groups: {} resources, {} bytes of HCL, {} data files",
        graph.resources.len(),
        r.main.len(),
        r.files.len()
    );
    c.bench_function("build_cluster/300_groups", |b| {
        b.iter(|| build_cluster(black_box(&cluster), black_box(&groups), &inputs).expect("builds"))
    });
    c.bench_function("render/300_groups", |b| {
        b.iter(|| render_all(black_box(&graph), &Resolved::default()).expect("renders"))
    });
    c.bench_function("build_cluster+render/300_groups", |b| {
        b.iter(|| {
            let graph = build_cluster(black_box(&cluster), black_box(&groups), &inputs)
                .expect("the cluster builds");
            render_all(&graph, &Resolved::default()).expect("the graph renders")
        })
    });
}

fn bench_render(c: &mut Criterion) {
    for (name, cluster) in [("three_zones", three_zones()), ("large", large())] {
        let graph = build_network(&cluster).expect("the network builds");
        let text = render(&graph).expect("the graph renders");
        eprintln!(
            "{name}: {} resources, {} bytes of HCL",
            graph.resources.len(),
            text.len()
        );
        c.bench_function(&format!("render/{name}"), |b| {
            b.iter(|| render(black_box(&graph)).expect("the graph renders"))
        });
        c.bench_function(&format!("build_network+render/{name}"), |b| {
            b.iter(|| {
                let graph = build_network(black_box(&cluster)).expect("the network builds");
                render(&graph).expect("the graph renders")
            })
        });
    }
}

criterion_group!(benches, bench_render, bench_cluster);
criterion_main!(benches);
