//! Every registered kind against moto: applying what direct apply handles of the 2-zone
//! private IPv6 Calico cluster (which has one or more of each registered kind) makes
//! discovery find every registered kind and meets SPEC 7's expectations (shared with the
//! Terraform tests: security groups, IAM, etcd volumes, the API load balancer, launch
//! templates and autoscaling groups); a second apply makes no mutating call; a changed size
//! and machine type update one instance group in place (a new launch template version, the
//! same template and group); deleting the cluster leaves discovery nothing. A kind whose
//! discovery or delete is missing or broken fails here: apply would create it again, delete
//! would leave it. All calls go through the counting proxy.

use std::collections::{BTreeMap, BTreeSet};

use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::DnsType;
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_aws::discover::discover;
use kops6_aws::registry::{direct_part, KINDS};
use kops6_aws::{apply, delete_cluster, ApplyOptions, ApplyReport, Aws};
use kops6_model::{build_cluster, ClusterInputs, Kind, ResourceGraph, SshPublicKey};
use kops6_testsupport::cluster::{
    expect_dns, expect_etcd_volumes, expect_iam, expect_instance_groups, expect_instances,
    expect_load_balancer, expect_security_groups, Group, Shape, DEFAULT_AMI,
};
use kops6_testsupport::network::C;
use kops6_testsupport::{aws, Moto, Proxy};
use serde_json::Value;

const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIQwK1dGq1bieOaTQjNMCz/eFc1FnKZ9QnNO+j70v8Ld test@kops6";

const DNS_ZONE: &str = "example.com";

fn two_zone_private_calico() -> ClusterSpecSet {
    let new = new_cluster(&NewClusterOptions {
        name: C.into(),
        zones: vec!["us-east-1a".into(), "us-east-1b".into()],
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        // The api.<C> records: their zone is made in moto before the first apply.
        dns: Some(DnsType::Public),
        dns_zone: Some(DNS_ZONE.into()),
        ..Default::default()
    })
    .expect("valid options");
    ClusterSpecSet::new(new.cluster, new.instance_groups).expect("valid set")
}

fn user_data(group: &str) -> String {
    format!("#cloud-config\n# {group}\n")
}

fn graph_of(set: &ClusterSpecSet) -> ResourceGraph {
    let completed = set
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("the test's spec is invalid:\n{e}"));
    let graph = build_cluster(
        &completed.cluster,
        &completed.instance_groups,
        &ClusterInputs {
            ssh_public_key: Some(SshPublicKey::parse(KEY).expect("a valid key")),
            user_data: set
                .instance_groups
                .iter()
                .map(|g| (g.metadata.name.clone(), user_data(&g.metadata.name)))
                .collect::<BTreeMap<_, _>>(),
            ..ClusterInputs::default()
        },
    )
    .expect("the cluster builds");
    direct_part(&graph).0
}

fn group<'a>(name: &'a str, control_plane: bool, subnets: &'a [&'a str], size: u64) -> Group<'a> {
    Group {
        name,
        control_plane,
        subnets,
        min: size,
        max: size,
        public: false,
        bastion: false,
    }
}

fn sorted(calls: Vec<String>) -> Vec<String> {
    let mut calls = calls;
    calls.sort();
    calls
}

#[test]
fn every_registered_kind_round_trips_through_apply_discover_update_and_delete() {
    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint(), 0.0, 1);
    // The only test in this binary, so no other thread reads the environment meanwhile.
    std::env::set_var("AWS_ENDPOINT_URL", proxy.endpoint());
    std::env::set_var("AWS_ACCESS_KEY_ID", "test");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    std::env::remove_var("AWS_PROFILE");
    aws(&moto.endpoint(), &["hosted-zone", "--name", DNS_ZONE]);
    let mut set = two_zone_private_calico();
    let graph = graph_of(&set);
    let in_graph: BTreeSet<Kind> = graph.resources.iter().map(|r| r.key.kind).collect();
    let registered: BTreeSet<Kind> = KINDS.iter().map(|k| k.kind()).collect();
    assert_eq!(
        in_graph, registered,
        "the test cluster should have every registered kind (add a scenario for a new one)"
    );
    let opts = ApplyOptions {
        progress: false,
        ..ApplyOptions::default()
    };

    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let vpc_id = runtime.block_on(async {
        let aws = Aws::connect(Some(&graph.region)).await;
        let report = apply(&aws, &graph, &opts).await.expect("first apply");
        assert_eq!(report.created, graph.resources.len());
        assert!(report.needs_rolling.is_empty(), "{report:?}");

        let actual = discover(&aws, &graph.cluster).await.expect("discovery");
        let found: BTreeSet<Kind> = actual.resources.keys().map(|k| k.kind).collect();
        assert_eq!(found, registered, "discovery finds every registered kind");
        proxy.reset();
        assert_eq!(
            apply(&aws, &graph, &opts).await.expect("second apply"),
            ApplyReport::default(),
            "a second apply changes nothing"
        );
        assert_eq!(
            proxy.mutating_calls(),
            Vec::<String>::new(),
            "a second apply makes no mutating call"
        );
        let (_, vpc) = actual.of_kind(Kind::Vpc).next().expect("a VPC");
        vpc.id.clone()
    });

    let read = || {
        (
            aws(&moto.endpoint(), &["cluster", "--cluster", C]),
            aws(&moto.endpoint(), &["network", "--vpc-id", &vpc_id]),
        )
    };
    let (got, net) = read();
    let key_pair = SshPublicKey::parse(KEY).expect("key").key_pair_name(C);
    let groups = [
        group(
            "control-plane-us-east-1a",
            true,
            &["dualstack-us-east-1a"],
            1,
        ),
        group("nodes-us-east-1a", false, &["us-east-1a"], 1),
        group("nodes-us-east-1b", false, &["us-east-1b"], 1),
    ];
    let shape = Shape {
        groups: &groups,
        load_balancer_subnets: &["utility-us-east-1a", "utility-us-east-1b"],
        etcd_zones: &["us-east-1a"],
        calico: true,
        dns_zone: Some(DNS_ZONE),
        image_id: DEFAULT_AMI,
        key_pair: &key_pair,
    };
    expect_security_groups(&got, &shape);
    expect_iam(&got);
    expect_etcd_volumes(&got, &shape);
    expect_dns(&got, &shape);
    expect_load_balancer(&got, &net, &shape);
    expect_instance_groups(&got, &net, &shape);
    expect_instances(&got, &net, &shape);
    let lt = |got: &Value, name: &str| got["launchTemplates"][format!("{name}.{C}")].clone();
    for (g, group) in [
        (
            "control-plane-us-east-1a.masters",
            "control-plane-us-east-1a",
        ),
        ("nodes-us-east-1a", "nodes-us-east-1a"),
    ] {
        let data = &lt(&got, g)["data"];
        assert_eq!(
            data["BlockDeviceMappings"][0]["DeviceName"], "/dev/sda1",
            "{g}: the root volume settings are on the image's root device"
        );
        let decoded =
            aws_smithy_types::base64::decode(data["UserData"].as_str().expect("user data"))
                .expect("base64");
        assert_eq!(
            String::from_utf8(decoded).expect("utf-8"),
            user_data(group),
            "{g}: user data from the bootstrap layer"
        );
    }

    // One group grows and gets a bigger machine type: a new version of its template (same
    // template), and the same autoscaling group moved to it and resized.
    let ig = set
        .instance_groups
        .iter_mut()
        .find(|g| g.metadata.name == "nodes-us-east-1a")
        .expect("the group");
    ig.spec.min_size = Some(2);
    ig.spec.max_size = Some(2);
    ig.spec.machine_type = Some("t3.large".into());
    let changed = graph_of(&set);
    runtime.block_on(async {
        let aws = Aws::connect(Some(&changed.region)).await;
        proxy.reset();
        let report = apply(&aws, &changed, &opts)
            .await
            .expect("apply of the change");
        assert_eq!(
            report,
            ApplyReport {
                created: 0,
                updated: 2,
                deleted: 0,
                needs_rolling: vec!["nodes-us-east-1a".into()],
            }
        );
        assert_eq!(
            sorted(proxy.mutating_calls()),
            vec![
                "CreateLaunchTemplateVersion",
                "ModifyLaunchTemplate",
                "UpdateAutoScalingGroup",
                "UpdateAutoScalingGroup",
            ],
            "one new version, made the default; the group resized and moved to it"
        );
        proxy.reset();
        assert_eq!(
            apply(&aws, &changed, &opts).await.expect("apply again"),
            ApplyReport::default(),
            "the change is applied once"
        );
        assert_eq!(proxy.mutating_calls(), Vec::<String>::new());
    });
    let (after, net) = read();
    let changed_groups = [
        group(
            "control-plane-us-east-1a",
            true,
            &["dualstack-us-east-1a"],
            1,
        ),
        group("nodes-us-east-1a", false, &["us-east-1a"], 2),
        group("nodes-us-east-1b", false, &["us-east-1b"], 1),
    ];
    expect_instance_groups(
        &after,
        &net,
        &Shape {
            groups: &changed_groups,
            ..shape
        },
    );
    let (before_lt, after_lt) = (lt(&got, "nodes-us-east-1a"), lt(&after, "nodes-us-east-1a"));
    assert_eq!(after_lt["id"], before_lt["id"], "the same launch template");
    assert_eq!(
        (
            before_lt["latestVersion"].as_i64(),
            after_lt["latestVersion"].as_i64()
        ),
        (Some(1), Some(2)),
        "a new version"
    );
    assert_eq!(after_lt["data"]["InstanceType"], "t3.large");
    let asg = &after["autoscalingGroups"][format!("nodes-us-east-1a.{C}")];
    assert_eq!(
        asg["launchTemplate"]["Version"], "2",
        "the group runs the new version"
    );
    // The instance that was running keeps its version (so the group needs rolling); the one
    // the bigger size added is launched from the new version.
    let launched: Vec<(&str, &str)> = asg["instances"]
        .as_array()
        .expect("instances")
        .iter()
        .map(|i| {
            (
                i["launchTemplateVersion"].as_str().unwrap_or(""),
                i["type"].as_str().unwrap_or(""),
            )
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(launched, vec![("1", "t3.medium"), ("2", "t3.large")]);
    for other in ["nodes-us-east-1b", "control-plane-us-east-1a.masters"] {
        assert_eq!(lt(&after, other), lt(&got, other), "{other} is left alone");
        let name = format!("{other}.{C}");
        assert_eq!(
            after["autoscalingGroups"][&name], got["autoscalingGroups"][&name],
            "{other} is left alone"
        );
    }

    runtime.block_on(async {
        let aws = Aws::connect(Some(&changed.region)).await;
        let deleted = delete_cluster(&aws, &changed.cluster, &opts)
            .await
            .expect("delete");
        assert!(deleted > 0);
        let left = discover(&aws, &changed.cluster).await.expect("discovery");
        assert!(left.is_empty(), "delete left {:#?}", left.resources.keys());
    });
    let gone = aws(&moto.endpoint(), &["cluster", "--cluster", C]);
    assert_eq!(
        gone["launchTemplates"],
        serde_json::json!({}),
        "no launch template left"
    );
    assert_eq!(
        gone["autoscalingGroups"],
        serde_json::json!({}),
        "no autoscaling group left"
    );
}
