//! Bad input for instance groups, against moto through the counting proxy: an image that
//! matches no AMI, an `ami-` id that does not exist, an AMI whose real name breaks the image
//! rules, and a machine type AWS does not offer in a group's zone. Each is a typed error
//! naming the instance group and the field, raised in preflight with no mutating call.

use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_aws::{apply, ApplyOptions, Aws, AwsError};
use kops6_model::{build_cluster, ClusterInputs, ResourceGraph};
use kops6_testsupport::network::C;
use kops6_testsupport::{aws, Moto, Proxy};

fn cluster() -> ClusterSpecSet {
    let new = new_cluster(&NewClusterOptions {
        name: C.into(),
        zones: vec!["us-east-1a".into(), "us-east-1b".into()],
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        ..Default::default()
    })
    .expect("valid options");
    ClusterSpecSet::new(new.cluster, new.instance_groups).expect("valid set")
}

type Change = Box<dyn FnOnce(&mut kops6_api::types::InstanceGroup)>;

/// The cluster with one change to the group `name`.
fn with_group(
    name: &str,
    change: impl FnOnce(&mut kops6_api::types::InstanceGroup) + 'static,
) -> ResourceGraph {
    with_groups(vec![(name, Box::new(change))])
}

/// The cluster with a change to each of the groups named.
fn with_groups(changes: Vec<(&str, Change)>) -> ResourceGraph {
    let mut set = cluster();
    for (name, change) in changes {
        let g = set
            .instance_groups
            .iter_mut()
            .find(|g| g.metadata.name == name)
            .expect("the group");
        change(g);
    }
    let completed = set
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("the test's spec is invalid:\n{e}"));
    let graph = build_cluster(
        &completed.cluster,
        &completed.instance_groups,
        &ClusterInputs::default(),
    )
    .expect("the cluster builds");
    kops6_aws::registry::direct_part(&graph).0
}

#[test]
fn bad_images_and_machine_types_are_refused_before_any_change() {
    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint(), 0.0, 1);
    // The only test in this binary, so no other thread reads the environment meanwhile.
    std::env::set_var("AWS_ENDPOINT_URL", proxy.endpoint());
    std::env::set_var("AWS_ACCESS_KEY_ID", "test");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    std::env::remove_var("AWS_PROFILE");
    // An AMI whose name says Debian, named by its id (so only its resolved name can break
    // the rule: validation cannot see it).
    let debian = aws(
        &moto.endpoint(),
        &["image", "--name", "debian-12-amd64-20250301-2040"],
    );
    let debian_id = debian["imageId"].as_str().expect("id").to_string();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let opts = ApplyOptions {
        progress: false,
        ..ApplyOptions::default()
    };
    let refused = |graph: ResourceGraph| -> AwsError {
        proxy.reset();
        let e = runtime.block_on(async {
            let aws = Aws::connect(Some(&graph.region)).await;
            apply(&aws, &graph, &opts).await
        });
        assert_eq!(
            proxy.mutating_calls(),
            Vec::<String>::new(),
            "refused before any change"
        );
        e.expect_err("the apply is refused")
    };

    let e = refused(with_group("nodes-us-east-1b", |g| {
        g.spec.image =
            Some("099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-none-*".into())
    }));
    assert!(
        matches!(&e, AwsError::ImageNotFound { instance_group, .. } if instance_group == "nodes-us-east-1b"),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "instancegroup/nodes-us-east-1b: spec.image \
         \"099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-none-*\" matches no \
         AMI: searched images owned by 099720109477 named \
         ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-none-* in us-east-1; nothing was changed"
    );

    let e = refused(with_group("control-plane-us-east-1a", |g| {
        g.spec.image = Some("ami-0123456789abcdef0".into())
    }));
    assert_eq!(
        e.to_string(),
        "instancegroup/control-plane-us-east-1a: spec.image \"ami-0123456789abcdef0\" matches no \
         AMI: searched the image ami-0123456789abcdef0 in us-east-1; nothing was changed"
    );

    let named = debian_id.clone();
    let e = refused(with_group("nodes-us-east-1a", move |g| {
        g.spec.image = Some(named)
    }));
    assert!(
        matches!(&e, AwsError::ImageRuleBroken { instance_group, ami, .. }
            if instance_group == "nodes-us-east-1a" && *ami == debian_id),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(
        text.starts_with(&format!(
            "instancegroup/nodes-us-east-1a: spec.image \"{debian_id}\" resolved to {debian_id} (\"debian-12-amd64-20250301-2040\"), whose name is Debian"
        )),
        "{text}"
    );

    // moto answers DescribeInstanceTypeOfferings from AWS's own data: trn1.32xlarge is
    // offered in us-east-1b but not in us-east-1a.
    let e = refused(with_group("nodes-us-east-1a", |g| {
        g.spec.machine_type = Some("trn1.32xlarge".into())
    }));
    assert_eq!(
        e.to_string(),
        "instancegroup/nodes-us-east-1a: spec.machineType trn1.32xlarge is not offered in \
         us-east-1a (us-east-1); choose a type AWS offers in every zone of the group's subnets; \
         nothing was changed"
    );

    // Three groups wrong at once: one run names all three, each with its group and field.
    let e = refused(with_groups(vec![
        (
            "nodes-us-east-1a",
            Box::new(|g| g.spec.machine_type = Some("trn1.32xlarge".into())),
        ),
        (
            "nodes-us-east-1b",
            Box::new(|g| {
                g.spec.image = Some("099720109477/ubuntu/images/ubuntu-noble-24.04-none-*".into())
            }),
        ),
        (
            "control-plane-us-east-1a",
            Box::new(|g| g.spec.image = Some("ami-0123456789abcdef0".into())),
        ),
    ]));
    let AwsError::Preflight { problems } = &e else {
        panic!("every problem in one error: {e:?}");
    };
    let mut groups: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| match p {
            AwsError::ImageNotFound { instance_group, .. } => (instance_group.as_str(), "image"),
            AwsError::InstanceTypeNotOffered { instance_group, .. } => {
                (instance_group.as_str(), "machineType")
            }
            other => panic!("not an instance group's problem: {other:?}"),
        })
        .collect();
    groups.sort();
    assert_eq!(
        groups,
        vec![
            ("control-plane-us-east-1a", "image"),
            ("nodes-us-east-1a", "machineType"),
            ("nodes-us-east-1b", "image"),
        ]
    );
    assert_eq!(
        e.to_string(),
        "3 problems in the spec, found before any change; nothing was changed:\n  \
         - instancegroup/control-plane-us-east-1a: spec.image \"ami-0123456789abcdef0\" matches \
         no AMI: searched the image ami-0123456789abcdef0 in us-east-1\n  \
         - instancegroup/nodes-us-east-1b: spec.image \
         \"099720109477/ubuntu/images/ubuntu-noble-24.04-none-*\" matches no AMI: searched \
         images owned by 099720109477 named ubuntu/images/ubuntu-noble-24.04-none-* in \
         us-east-1\n  \
         - instancegroup/nodes-us-east-1a: spec.machineType trn1.32xlarge is not offered in \
         us-east-1a (us-east-1); choose a type AWS offers in every zone of the group's subnets"
    );

    let offered_elsewhere = with_group("nodes-us-east-1b", |g| {
        g.spec.machine_type = Some("trn1.32xlarge".into())
    });
    runtime.block_on(async {
        let aws = Aws::connect(Some(&offered_elsewhere.region)).await;
        let preview = kops6_aws::preview(&aws, &offered_elsewhere)
            .await
            .expect("offered in us-east-1b, so preflight passes");
        assert!(!preview.steps.is_empty());
    });
}
