//! SPEC 7's `api.<C>` records against moto, with the HA 3-zone cluster and `--dns-zone`: a
//! `dnsZone` Route53 does not have stops the apply before any mutating call; once the zone
//! exists, the A and AAAA aliases are read back through the Route53 API, a second apply makes
//! no mutating call, and `delete_cluster` removes the records and leaves the zone and its other
//! records as they were.

use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::DnsType;
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_aws::discover::{discover, discover_with_records, record_names};
use kops6_aws::registry::direct_part;
use kops6_aws::{
    apply, delete_cluster, delete_cluster_with_records, ApplyOptions, ApplyReport, Aws, AwsError,
};
use kops6_model::{build_cluster, ClusterInputs, Kind, ResourceGraph};
use kops6_testsupport::cluster::{expect_dns, Shape};
use kops6_testsupport::network::C;
use kops6_testsupport::{aws, Moto, Proxy};

const ZONE: &str = "example.com";

fn ha_three_zone_with_dns_zone() -> ResourceGraph {
    graph_with(DnsType::Public, ZONE, |_| {})
}

/// The HA 3-zone cluster with records in `zone` (`dns` public or private), changed by `change`.
fn graph_with(dns: DnsType, zone: &str, change: impl FnOnce(&mut ClusterSpecSet)) -> ResourceGraph {
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
        dns: Some(dns),
        dns_zone: Some(zone.into()),
        ..Default::default()
    })
    .expect("valid options");
    let mut set = ClusterSpecSet::new(new.cluster, new.instance_groups).expect("valid set");
    change(&mut set);
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

    public_name_outside_the_cluster_domain(&moto, &proxy, &runtime);
    private_zone_of_the_same_name(&moto, &proxy, &runtime);
}

fn with_runtime<T>(runtime: &tokio::runtime::Runtime, f: impl AsyncFnOnce(&Aws) -> T) -> T {
    runtime.block_on(async {
        let aws = Aws::connect(Some("us-east-1")).await;
        f(&aws).await
    })
}

fn dns_records(actual: &kops6_aws::actual::Actual) -> Vec<String> {
    actual
        .of_kind(Kind::DnsRecord)
        .map(|(k, f)| format!("{} {}", k.name, f.id))
        .collect()
}

/// `spec.api.publicName` in a zone that cannot hold `api.<C>`: discovery finds its records
/// (the spec names them and they alias the cluster's load balancer), so the second apply is
/// a no-op and delete removes them; a record of that name pointing elsewhere is not the
/// cluster's.
fn public_name_outside_the_cluster_domain(
    moto: &Moto,
    proxy: &Proxy,
    runtime: &tokio::runtime::Runtime,
) {
    const OTHER: &str = "example.org";
    const NAME: &str = "k8s.example.org";
    let graph = graph_with(DnsType::Public, OTHER, |set| {
        set.cluster
            .spec
            .api
            .get_or_insert_with(Default::default)
            .public_name = Some(NAME.into());
    });
    let names = record_names(&graph);
    assert_eq!(names, [NAME]);
    aws(
        &moto.endpoint(),
        &[
            "hosted-zone",
            "--name",
            OTHER,
            "--record",
            "www.example.org=192.0.2.11",
        ],
    );
    let before = aws(&moto.endpoint(), &["zones"]);
    with_runtime(runtime, async |aws| {
        apply(aws, &graph, &opts()).await.expect("first apply");
    });
    let zones = aws(&moto.endpoint(), &["zones"]);
    let mut made: Vec<String> = zones["example.org."]
        .as_array()
        .expect("the zone's records")
        .iter()
        .filter(|r| r["name"] == "k8s.example.org.")
        .map(|r| {
            format!(
                "{} {}",
                r["type"].as_str().unwrap_or(""),
                !r["alias"].is_null()
            )
        })
        .collect();
    made.sort();
    assert_eq!(made, ["A true", "AAAA true"]);

    proxy.reset();
    with_runtime(runtime, async |aws| {
        assert_eq!(
            apply(aws, &graph, &opts()).await.expect("second apply"),
            ApplyReport::default()
        );
    });
    assert_eq!(proxy.mutating_calls(), Vec::<String>::new());

    with_runtime(runtime, async |aws| {
        let deleted = delete_cluster_with_records(aws, &graph.cluster, &names, &opts())
            .await
            .expect("delete");
        assert!(deleted >= 2, "at least the two records: {deleted}");
        let left = discover_with_records(aws, &graph.cluster, &names)
            .await
            .expect("discovery");
        assert!(left.is_empty(), "delete left {:#?}", left.resources.keys());
    });
    assert_eq!(aws(&moto.endpoint(), &["zones"]), before);

    // A record of the spec's name that does not alias the cluster's load balancer is the
    // user's: discovery leaves it out, so delete never touches it.
    aws(
        &moto.endpoint(),
        &[
            "hosted-zone",
            "--name",
            "k8s.example.org",
            "--record",
            "k8s.example.org=192.0.2.12",
        ],
    );
    with_runtime(runtime, async |aws| {
        let found = discover_with_records(aws, &graph.cluster, &names)
            .await
            .expect("discovery");
        assert_eq!(dns_records(&found), Vec::<String>::new());
    });
}

/// `topology.dns.type: Private` with a public and a private zone of the same name: the
/// records go in the private one, the cluster's VPC is associated with it, a second apply
/// changes nothing, and delete removes the records and the association, leaving the zone
/// with the VPC it was made with and the public zone as it was.
fn private_zone_of_the_same_name(moto: &Moto, proxy: &Proxy, runtime: &tokio::runtime::Runtime) {
    let graph = graph_with(DnsType::Private, ZONE, |_| {});
    let theirs = aws(&moto.endpoint(), &["vpc"])["vpcId"]
        .as_str()
        .expect("vpc id")
        .to_string();
    let zone = aws(
        &moto.endpoint(),
        &["hosted-zone", "--name", ZONE, "--private-vpc", &theirs],
    )["id"]
        .as_str()
        .expect("zone id")
        .to_string();
    let before = aws(&moto.endpoint(), &["zones"]);
    let vpc = with_runtime(runtime, async |aws| {
        apply(aws, &graph, &opts()).await.expect("first apply");
        let found = discover(aws, &graph.cluster).await.expect("discovery");
        let (_, vpc) = found.of_kind(Kind::Vpc).next().expect("the cluster's VPC");
        vpc.id.clone()
    });
    let zones = aws(&moto.endpoint(), &["zones"]);
    assert_eq!(
        zones["example.com."], before["example.com."],
        "the public zone of the same name is untouched"
    );
    let api = format!("api.{C}.");
    let mut made: Vec<String> = zones["example.com. (private)"]
        .as_array()
        .expect("the private zone's records")
        .iter()
        .filter(|r| r["name"] == api.as_str() && !r["alias"].is_null())
        .map(|r| r["type"].as_str().unwrap_or("").to_string())
        .collect();
    made.sort();
    assert_eq!(made, ["A", "AAAA"]);
    let mut both = vec![theirs.clone(), vpc.clone()];
    both.sort();
    assert_eq!(
        aws(&moto.endpoint(), &["zone-vpcs", "--id", &zone]),
        serde_json::json!(both),
        "the cluster's VPC is associated with the private zone"
    );

    proxy.reset();
    with_runtime(runtime, async |aws| {
        assert_eq!(
            apply(aws, &graph, &opts()).await.expect("second apply"),
            ApplyReport::default()
        );
    });
    assert_eq!(proxy.mutating_calls(), Vec::<String>::new());

    with_runtime(runtime, async |aws| {
        delete_cluster(aws, &graph.cluster, &opts())
            .await
            .expect("delete");
    });
    assert_eq!(aws(&moto.endpoint(), &["zones"]), before);
    assert_eq!(
        aws(&moto.endpoint(), &["zone-vpcs", "--id", &zone]),
        serde_json::json!([theirs]),
        "only the cluster's association is removed"
    );

    // The same private zone named by its ID (`--dns-zone Z...`): whether it is private is
    // read from Route53, and the VPC is associated and removed again just the same.
    let by_id = graph_with(DnsType::Private, &zone, |_| {});
    let vpc = with_runtime(runtime, async |aws| {
        apply(aws, &by_id, &opts())
            .await
            .expect("apply with the zone's ID");
        let found = discover(aws, &by_id.cluster).await.expect("discovery");
        let (_, vpc) = found.of_kind(Kind::Vpc).next().expect("the cluster's VPC");
        vpc.id.clone()
    });
    let mut both = vec![theirs.clone(), vpc];
    both.sort();
    assert_eq!(
        aws(&moto.endpoint(), &["zone-vpcs", "--id", &zone]),
        serde_json::json!(both)
    );
    with_runtime(runtime, async |aws| {
        delete_cluster(aws, &by_id.cluster, &opts())
            .await
            .expect("delete");
    });
    assert_eq!(
        aws(&moto.endpoint(), &["zone-vpcs", "--id", &zone]),
        serde_json::json!([theirs])
    );
    assert_eq!(aws(&moto.endpoint(), &["zones"]), before);
}
