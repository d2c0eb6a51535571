//! SPEC 7's `api.<C>` records against moto, with the HA 3-zone cluster and `--dns-zone`: a
//! `dnsZone` Route53 does not have stops the apply before any mutating call; once the zone
//! exists, the A and AAAA aliases are read back through the Route53 API, a second apply makes
//! no mutating call, and `delete_cluster` removes the records and leaves the zone and its other
//! records as they were.

use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::DnsType;
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_aws::discover::discover;
use kops6_aws::registry::direct_part;
use kops6_aws::{apply, delete_cluster, ApplyOptions, ApplyReport, Aws, AwsError};
use kops6_model::{build_cluster, ClusterInputs, Kind, ResourceGraph};
use kops6_testsupport::cluster::{expect_dns, Shape};
use kops6_testsupport::network::C;
use kops6_testsupport::{aws, Moto, Proxy};

const ZONE: &str = "example.com";

fn ha_three_zone_with_dns_zone() -> ResourceGraph {
    let new = new_cluster(&NewClusterOptions {
        name: C.into(),
        zones: vec![
            "us-east-1a".into(),
            "us-east-1b".into(),
            "us-east-1c".into(),
        ],
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        control_plane_count: Some(3),
        dns: Some(DnsType::Public),
        dns_zone: Some(ZONE.into()),
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
        &ClusterInputs::default(),
    )
    .expect("the cluster builds");
    let mut part = direct_part(&graph).0;
    // The instances are kinds_moto's subject; what the records need is the network and the
    // load balancer, and no AMI has to be made in moto for them.
    part.resources
        .retain(|r| !matches!(r.key.kind, Kind::LaunchTemplate | Kind::AutoscalingGroup));
    part
}

fn opts() -> ApplyOptions {
    ApplyOptions {
        progress: false,
        ..ApplyOptions::default()
    }
}

#[test]
fn api_records_are_made_found_kept_and_removed_leaving_the_zone_alone() {
    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint(), 0.0, 1);
    // The only test in this binary, so no other thread reads the environment meanwhile.
    std::env::set_var("AWS_ENDPOINT_URL", proxy.endpoint());
    std::env::set_var("AWS_ACCESS_KEY_ID", "test");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    std::env::remove_var("AWS_PROFILE");
    let graph = ha_three_zone_with_dns_zone();
    assert_eq!(
        graph
            .resources
            .iter()
            .filter(|r| r.key.kind == Kind::DnsRecord)
            .count(),
        2
    );
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");

    // No zone yet: a typed error naming the field and the zone, and nothing changed.
    let err = runtime.block_on(async {
        let aws = Aws::connect(Some(&graph.region)).await;
        apply(&aws, &graph, &opts())
            .await
            .expect_err("no hosted zone")
    });
    assert!(
        matches!(&err, AwsError::HostedZoneNotFound { zone, private: false } if zone == ZONE),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.starts_with("spec.dnsZone: Route53 has no public hosted zone named example.com"),
        "{message}"
    );
    assert_eq!(proxy.mutating_calls(), Vec::<String>::new());

    aws(
        &moto.endpoint(),
        &[
            "hosted-zone",
            "--name",
            ZONE,
            "--record",
            "www.example.com=192.0.2.10",
        ],
    );
    let before = aws(&moto.endpoint(), &["zones"]);

    runtime.block_on(async {
        let aws = Aws::connect(Some(&graph.region)).await;
        let report = apply(&aws, &graph, &opts()).await.expect("first apply");
        assert_eq!(report.created, graph.resources.len());
    });
    let got = aws(&moto.endpoint(), &["cluster", "--cluster", C]);
    expect_dns(
        &got,
        &Shape {
            groups: &[],
            load_balancer_subnets: &[
                "utility-us-east-1a",
                "utility-us-east-1b",
                "utility-us-east-1c",
            ],
            etcd_zones: &["us-east-1a", "us-east-1b", "us-east-1c"],
            calico: true,
            dns_zone: Some(ZONE),
            image_id: "",
            key_pair: "",
        },
    );

    proxy.reset();
    runtime.block_on(async {
        let aws = Aws::connect(Some(&graph.region)).await;
        assert_eq!(
            apply(&aws, &graph, &opts()).await.expect("second apply"),
            ApplyReport::default()
        );
    });
    assert_eq!(proxy.mutating_calls(), Vec::<String>::new());
    let route53: Vec<String> = proxy
        .calls()
        .iter()
        .filter(|c| {
            c["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("/2013-04-01/"))
        })
        .map(|c| c["action"].as_str().unwrap_or_default().to_string())
        .collect();
    // The zone lookup, then one list of zones and one of the zone's records.
    assert_eq!(
        route53,
        [
            "ListHostedZonesByName",
            "ListHostedZones",
            "ListResourceRecordSets"
        ]
    );

    runtime.block_on(async {
        let aws = Aws::connect(Some(&graph.region)).await;
        let deleted = delete_cluster(&aws, &graph.cluster, &opts())
            .await
            .expect("delete");
        assert!(deleted >= 2, "at least the two records: {deleted}");
        let left = discover(&aws, &graph.cluster).await.expect("discovery");
        assert!(left.is_empty(), "delete left {:#?}", left.resources.keys());
    });
    let after = aws(&moto.endpoint(), &["zones"]);
    assert_eq!(
        after, before,
        "the zone and its other records are as they were"
    );
}
