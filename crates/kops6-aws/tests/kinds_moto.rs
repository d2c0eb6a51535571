//! Every registered kind against moto: applying what direct apply handles of the 2-zone
//! private IPv6 Calico cluster (which has one or more of each registered kind) makes
//! discovery find every registered kind, meets SPEC 7's security group, IAM, etcd volume and API load balancer expectations
//! (shared with the Terraform tests), a second apply is a no-op, and deleting the cluster leaves
//! discovery nothing. A kind whose discovery or delete is missing or broken fails here: apply
//! would create it again, delete would leave it.

use std::collections::BTreeSet;

use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::DnsType;
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_aws::discover::discover;
use kops6_aws::registry::{direct_part, KINDS};
use kops6_aws::{apply, delete_cluster, ApplyOptions, ApplyReport, Aws};
use kops6_model::{build_cluster, ClusterInputs, Kind, ResourceGraph, SshPublicKey};
use kops6_testsupport::cluster::{
    expect_dns, expect_etcd_volumes, expect_iam, expect_load_balancer, expect_security_groups,
    Shape,
};
use kops6_testsupport::network::C;
use kops6_testsupport::{aws, Moto};

const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIQwK1dGq1bieOaTQjNMCz/eFc1FnKZ9QnNO+j70v8Ld test@kops6";

const DNS_ZONE: &str = "example.com";

fn two_zone_private_calico() -> ResourceGraph {
    let new = new_cluster(&NewClusterOptions {
        name: C.into(),
        zones: vec!["us-east-1a".into(), "us-east-1b".into()],
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        // The api.<C> records: made in moto before the first apply.
        dns: Some(DnsType::Public),
        dns_zone: Some(DNS_ZONE.into()),
        ..Default::default()
    })
    .expect("valid options");
    let set = ClusterSpecSet::new(new.cluster, new.instance_groups).expect("valid set");
    let completed = set
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("the test's spec is invalid:\n{e}"));
    let graph = build_cluster(
        &completed.cluster,
        &completed.instance_groups,
        &ClusterInputs {
            ssh_public_key: Some(SshPublicKey::parse(KEY).expect("a valid key")),
            ..ClusterInputs::default()
        },
    )
    .expect("the cluster builds");
    direct_part(&graph).0
}

#[test]
fn every_registered_kind_round_trips_through_apply_discover_and_delete() {
    let moto = Moto::start();
    // The only test in this binary, so no other thread reads the environment meanwhile.
    std::env::set_var("AWS_ENDPOINT_URL", moto.endpoint());
    std::env::set_var("AWS_ACCESS_KEY_ID", "test");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    std::env::remove_var("AWS_PROFILE");
    aws(&moto.endpoint(), &["hosted-zone", "--name", DNS_ZONE]);
    let graph = two_zone_private_calico();
    let in_graph: BTreeSet<Kind> = graph.resources.iter().map(|r| r.key.kind).collect();
    let registered: BTreeSet<Kind> = KINDS.iter().map(|k| k.kind()).collect();
    assert_eq!(
        in_graph, registered,
        "the test cluster should have every registered kind (add a scenario for a new one)"
    );

    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let vpc_id = runtime.block_on(async {
        let aws = Aws::connect(Some(&graph.region)).await;
        let opts = ApplyOptions {
            progress: false,
            ..ApplyOptions::default()
        };
        let report = apply(&aws, &graph, &opts).await.expect("first apply");
        assert_eq!(report.created, graph.resources.len());

        let actual = discover(&aws, &graph.cluster).await.expect("discovery");
        let found: BTreeSet<Kind> = actual.resources.keys().map(|k| k.kind).collect();
        assert_eq!(found, registered, "discovery finds every registered kind");
        assert_eq!(
            apply(&aws, &graph, &opts).await.expect("second apply"),
            ApplyReport::default(),
            "a second apply changes nothing"
        );
        let (_, vpc) = actual.of_kind(Kind::Vpc).next().expect("a VPC");
        vpc.id.clone()
    });

    let got = aws(&moto.endpoint(), &["cluster", "--cluster", C]);
    let shape = Shape {
        groups: &[],
        load_balancer_subnets: &["utility-us-east-1a", "utility-us-east-1b"],
        etcd_zones: &["us-east-1a"],
        calico: true,
        dns_zone: Some(DNS_ZONE),
        image_id: "",
        key_pair: "",
    };
    expect_security_groups(&got, &shape);
    expect_iam(&got);
    expect_etcd_volumes(&got, &shape);
    expect_dns(&got, &shape);
    let net = aws(&moto.endpoint(), &["network", "--vpc-id", &vpc_id]);
    expect_load_balancer(&got, &net, &shape);

    runtime.block_on(async {
        let aws = Aws::connect(Some(&graph.region)).await;
        let opts = ApplyOptions {
            progress: false,
            ..ApplyOptions::default()
        };
        let deleted = delete_cluster(&aws, &graph.cluster, &opts)
            .await
            .expect("delete");
        assert!(deleted > 0);
        let left = discover(&aws, &graph.cluster).await.expect("discovery");
        assert!(left.is_empty(), "delete left {:#?}", left.resources.keys());
    });
}
