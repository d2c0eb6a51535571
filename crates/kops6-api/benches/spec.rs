//! Reading a spec set the way every command does: parse the YAML, group it into a
//! `ClusterSpecSet`, complete and validate it.
//!
//! (a) the 3-zone IPv6 cluster `create cluster --ipv6` writes; (b) a large generated cluster of
//! 100 subnets over 4 zones and 300 instance groups, to catch work that grows faster than the
//! spec. The YAML is generated once, outside the timed loop.
//!
//! Then kOps-shaped input, as `create -f` reads it (parse, group, complete, validate, and the
//! field review that prints warnings): (c) `aws-ipv6-complex.yaml`, the size of kOps' largest
//! integration input; (d) `every-field.yaml`, every field of the API set once (44 KB; it is
//! invalid, so its validation reports errors, which is timed too).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use kops6_api::complete::Completed;
use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::*;
use kops6_api::validate::ValidationContext;
use kops6_api::{parse_documents, write_documents, ClusterSpecSet, Format, Ipv6CidrSpec};

const NAME: &str = "ipv6.example.com";
const ZONES: [&str; 4] = ["us-test-1a", "us-test-1b", "us-test-1c", "us-test-1d"];

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

fn yaml(set: &ClusterSpecSet) -> String {
    write_documents(&set.documents(), Format::Yaml).expect("spec prints")
}

/// (a): `create cluster --ipv6 --zones us-test-1a,us-test-1b,us-test-1c`.
fn three_zone_yaml() -> String {
    let new = new_cluster(&options(&ZONES[..3])).expect("valid options");
    yaml(&ClusterSpecSet::new(new.cluster, new.instance_groups).expect("valid set"))
}

/// (b): 100 subnets (Private, DualStack, Utility and Public in turn, over 4 zones; IPv6
/// ranges alternately literal and `/64#N`) and 300 instance groups (3 control plane, 297 node
/// groups naming one to three subnets each).
fn large_yaml() -> String {
    let new = new_cluster(&NewClusterOptions {
        control_plane_count: Some(3),
        ..options(&ZONES)
    })
    .expect("valid options");
    let mut cluster = new.cluster;
    let types = [
        SubnetType::Private,
        SubnetType::DualStack,
        SubnetType::Utility,
        SubnetType::Public,
    ];
    cluster.spec.subnets = (0..100u32)
        .map(|i| {
            let zone = ZONES[i as usize % ZONES.len()];
            let subnet_type = types[(i as usize / ZONES.len()) % types.len()];
            let ipv6 = if i % 2 == 0 {
                Ipv6CidrSpec::Allocated {
                    len: 64,
                    index: u128::from(i),
                }
            } else {
                Ipv6CidrSpec::Literal(format!("2001:db8:0:{i:x}::/64").parse().unwrap())
            };
            ClusterSubnetSpec {
                additional_routes: Vec::new(),
                cidr: (subnet_type != SubnetType::Private)
                    .then(|| format!("172.20.{i}.0/24").parse().unwrap()),
                egress: None,
                id: None,
                ipv6_cidr: Some(ipv6),
                name: format!("{}-{i:03}-{zone}", subnet_type.to_string().to_lowercase()),
                public_ip: None,
                subnet_type,
                zone: zone.to_string(),
                ..Default::default()
            }
        })
        .collect();
    let names_of = |t: SubnetType| -> Vec<String> {
        cluster
            .spec
            .subnets
            .iter()
            .filter(|s| s.subnet_type == t)
            .map(|s| s.name.clone())
            .collect()
    };
    let private = names_of(SubnetType::Private);
    let dualstack = names_of(SubnetType::DualStack);
    let template = new.instance_groups[0].clone();
    let mut groups: Vec<InstanceGroup> = new
        .instance_groups
        .iter()
        .filter(|g| g.spec.role == InstanceGroupRole::Master)
        .cloned()
        .enumerate()
        .map(|(k, mut g)| {
            g.spec.subnets = vec![dualstack[k].clone()];
            g
        })
        .collect();
    for k in 0..(300 - groups.len()) {
        let mut g = template.clone();
        g.metadata.name = format!("nodes-{k:03}");
        g.spec.role = InstanceGroupRole::Node;
        g.spec.min_size = Some(1);
        g.spec.max_size = Some(10);
        g.spec.subnets = (0..=k % 3)
            .map(|j| {
                if j == 2 {
                    dualstack[k % dualstack.len()].clone()
                } else {
                    private[(k + j) % private.len()].clone()
                }
            })
            .collect();
        groups.push(g);
    }
    let set = ClusterSpecSet::new(cluster, groups).expect("valid set");
    assert_eq!(set.cluster.spec.subnets.len(), 100);
    assert_eq!(set.instance_groups.len(), 300);
    yaml(&set)
}

/// What is timed: text to a completed, validated spec.
fn read_and_check(text: &str) -> Completed {
    let docs = parse_documents(text).expect("parses");
    let set = ClusterSpecSet::from_documents(docs).expect("one cluster and its groups");
    set.check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("benchmark spec must be valid:\n{e}"))
}

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/api");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).expect("fixture")
}

/// What `create -f` does before saving: text to a checked spec and its field review.
fn read_check_and_review(text: &str) -> (bool, kops6_api::support::Review) {
    let docs = parse_documents(text).expect("parses");
    let set = ClusterSpecSet::from_documents(docs).expect("one cluster and its groups");
    let valid = set.check(&ValidationContext::default()).is_ok();
    (
        valid,
        kops6_api::support::review(&set.cluster, &set.instance_groups),
    )
}

fn bench_kops_shaped(c: &mut Criterion) {
    let complex = fixture("aws-ipv6-complex.yaml");
    let every = fixture("every-field.yaml");
    assert!(
        read_check_and_review(&complex).0,
        "the complex fixture must be valid"
    );
    let mut group = c.benchmark_group("kOps-shaped spec: parse+complete+validate+review");
    group.bench_function("aws-ipv6-complex (7 KB, 3 zones, 5 groups)", |b| {
        b.iter(|| read_check_and_review(black_box(&complex)))
    });
    group.bench_function("every-field (44 KB, every API field)", |b| {
        b.iter(|| read_check_and_review(black_box(&every)))
    });
    group.finish();
}

fn bench(c: &mut Criterion) {
    let three_zones = three_zone_yaml();
    let large = large_yaml();
    // Both must validate, or the benchmark would time the error path.
    read_and_check(&three_zones);
    read_and_check(&large);

    let mut group = c.benchmark_group("parse+complete+validate");
    group.bench_function("3-zone IPv6 cluster", |b| {
        b.iter(|| read_and_check(black_box(&three_zones)))
    });
    group.bench_function("100 subnets, 300 instance groups", |b| {
        b.iter(|| read_and_check(black_box(&large)))
    });
    group.finish();

    // The same, split: how much of (b) is YAML parsing and how much is the rules.
    let set = ClusterSpecSet::from_documents(parse_documents(&large).unwrap()).unwrap();
    c.bench_function(
        "100 subnets, 300 instance groups: complete+validate only",
        |b| {
            b.iter(|| {
                black_box(&set)
                    .check(&ValidationContext::default())
                    .unwrap()
            })
        },
    );
}

criterion_group!(benches, bench, bench_kops_shaped);
criterion_main!(benches, split);

/// (c) and (d) by step: how much is YAML, how much typing, rules and review.
fn bench_split(c: &mut Criterion) {
    let every = fixture("every-field.yaml");
    let complex = fixture("aws-ipv6-complex.yaml");
    for (name, text) in [("every-field", &every), ("aws-ipv6-complex", &complex)] {
        c.bench_function(&format!("by step, {name}: YAML to values"), |b| {
            b.iter(|| serde_saphyr::from_multiple::<serde_json::Value>(black_box(text)).unwrap())
        });
        c.bench_function(&format!("by step, {name}: parse_documents"), |b| {
            b.iter(|| parse_documents(black_box(text)).unwrap())
        });
        let set = ClusterSpecSet::from_documents(parse_documents(text).unwrap()).unwrap();
        c.bench_function(&format!("by step, {name}: complete+validate"), |b| {
            b.iter(|| black_box(&set).check(&ValidationContext::default()).is_ok())
        });
        c.bench_function(&format!("by step, {name}: review"), |b| {
            b.iter(|| kops6_api::support::review(&set.cluster, &set.instance_groups))
        });
    }
}
criterion_group!(split, bench_split);
