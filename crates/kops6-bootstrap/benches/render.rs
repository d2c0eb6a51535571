//! Rendering every bootstrap artefact (user data per group, kubeadm and kubelet configuration,
//! addon manifests) for the HA 3-zone IPv6 cluster (3 control-plane groups, 3 node groups),
//! with Calico and with Cilium. The spec is completed and validated once, outside the loop.
//! The user-data size of each group is printed once, before timing.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use kops6_api::complete::Completed;
use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_bootstrap::{render, ApiEndpoint, Inputs, StateStoreLocation};

const NAME: &str = "v6.example.org";
const LB: &str = "api-v6-example-org-0123456789abcdef.elb.us-east-1.amazonaws.com";

fn ha(networking: &str) -> Completed {
    let new = new_cluster(&NewClusterOptions {
        name: NAME.into(),
        zones: ["us-east-1a", "us-east-1b", "us-east-1c"]
            .map(String::from)
            .to_vec(),
        ipv6: true,
        networking: Some(networking.into()),
        kubernetes_version: Some("v1.35.0".into()),
        control_plane_count: Some(3),
        ..Default::default()
    })
    .expect("valid options");
    ClusterSpecSet::new(new.cluster, new.instance_groups)
        .expect("valid set")
        .check(&ValidationContext::default())
        .expect("valid spec")
}

fn inputs() -> Inputs {
    Inputs {
        api: ApiEndpoint {
            name: LB.into(),
            load_balancer: Some(LB.into()),
        },
        state_store: StateStoreLocation::from_url("s3://kops6-state/clusters", NAME, "us-east-1"),
    }
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    for cni in ["calico", "cilium"] {
        let spec = ha(cni);
        let out = render(&spec, &inputs).expect("renders");
        for g in &out.groups {
            eprintln!(
                "user data {cni} {}: {} bytes",
                g.instance_group,
                g.user_data.len()
            );
        }
        let addons: usize = out.addons.iter().map(|a| a.yaml.len()).sum();
        eprintln!(
            "addon manifests {cni}: {} files, {addons} bytes",
            out.addons.len()
        );
        c.bench_function(&format!("bootstrap_render_ha_3_zones_{cni}"), |b| {
            b.iter(|| render(black_box(&spec), black_box(&inputs)).expect("renders"))
        });
    }
    // No DNS zone, `--target terraform`: the templates, escaped and size-checked with the
    // longest NLB DNS name filled in.
    let spec = ha("calico");
    let template = || {
        kops6_bootstrap::template::render(black_box(&spec), inputs.state_store.clone(), "us-east-1")
            .expect("renders")
    };
    let longest = kops6_bootstrap::template::longest_load_balancer_dns_name("us-east-1");
    for g in &template().groups {
        let filled = kops6_bootstrap::template::fill(&g.user_data, &longest).expect("fills");
        eprintln!(
            "user data template calico {}: {} bytes, {} filled with the longest LB name",
            g.instance_group,
            g.user_data.len(),
            filled.len()
        );
    }
    c.bench_function(
        "bootstrap_render_ha_3_zones_calico_terraform_template",
        |b| b.iter(template),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
