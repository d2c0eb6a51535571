//! The compare of launch templates and autoscaling groups, without AWS: one test per rule
//! (what is replace-only, what changes in place, and which change is a new template version
//! that leaves the group's instances to be rolled), on hand-made graphs and discoveries.

use std::collections::BTreeMap;

use kops6_aws::actual::{Actual, Found, Observed};
use kops6_aws::context::ImageFacts;
use kops6_aws::diff::{diff, Facts, FieldChange, Step};
use kops6_aws::kinds::autoscaling::autoscaling_group::GroupObserved;
use kops6_aws::kinds::ec2::launch_template::{LaunchTemplateObserved, TemplateData, NEW_VERSION};
use kops6_aws::registry;
use kops6_model::graph::Tags;
use kops6_model::specs::{
    AutoscalingGroupSpec, LaunchTemplateSpec, MetadataOptions, Role, RootVolume,
};
use kops6_model::{Key, Kind, Resource, ResourceGraph, Spec, Value, VpcSource, Why};

const C: &str = "c.example.com";
const LT: &str = "nodes-us-east-1a.c.example.com";

fn tags(name: &str) -> Tags {
    BTreeMap::from([
        ("Name".to_string(), name.to_string()),
        (format!("kubernetes.io/cluster/{C}"), "owned".to_string()),
        (
            "kops.k8s.io/instancegroup".to_string(),
            "nodes-us-east-1a".to_string(),
        ),
    ])
}

fn resource(kind: Kind, spec: Spec) -> Resource {
    Resource {
        key: Key::new(kind, LT),
        spec,
        tags: tags(LT),
        why: Why::new("spec", "test"),
        after: vec![],
    }
}

fn lt_spec() -> LaunchTemplateSpec {
    LaunchTemplateSpec {
        instance_group: "nodes-us-east-1a".into(),
        role: Role::Node,
        image: Value::Shared("ami-1".into()),
        image_rules: vec![],
        instance_type: "t3.medium".into(),
        root_volume: RootVolume {
            size_gib: 128,
            volume_type: "gp3".into(),
            iops: Some(3000),
            throughput: Some(125),
            encrypted: true,
        },
        security_groups: vec![Value::Shared("sg-nodes".into())],
        instance_profile: Value::Shared(format!("nodes.{C}")),
        key_pair: None,
        ipv6_address_count: 1,
        associate_public_ip: false,
        metadata: MetadataOptions {
            http_tokens: "required".into(),
            hop_limit: 1,
            ipv6_endpoint: true,
        },
        user_data: Some("#cloud-config\n".into()),
        user_data_api_load_balancer: None,
        instance_tags: tags(LT),
    }
}

fn asg_spec() -> AutoscalingGroupSpec {
    AutoscalingGroupSpec {
        instance_group: "nodes-us-east-1a".into(),
        launch_template: Value::Ref(Key::new(Kind::LaunchTemplate, LT)),
        min_size: 1,
        max_size: 1,
        subnets: vec![Value::Shared("subnet-a".into())],
        target_groups: vec![],
    }
}

/// What AWS holds for `lt_spec()`, as discovery reads it.
fn lt_seen() -> LaunchTemplateObserved {
    LaunchTemplateObserved {
        name: LT.into(),
        default_version: 1,
        latest_version: 1,
        data: TemplateData {
            image_id: "ami-1".into(),
            instance_type: "t3.medium".into(),
            key_name: None,
            instance_profile: format!("nodes.{C}"),
            security_groups: vec!["sg-nodes".into()],
            ipv6_address_count: 1,
            associate_public_ip: false,
            http_tokens: "required".into(),
            hop_limit: 1,
            ipv6_metadata_endpoint: true,
            root_device: "/dev/sda1".into(),
            root_volume_size: 128,
            root_volume_type: "gp3".into(),
            root_volume_iops: Some(3000),
            root_volume_throughput: Some(125),
            root_volume_encrypted: true,
            // base64 of "#cloud-config\n"
            user_data: Some("I2Nsb3VkLWNvbmZpZwo=".into()),
            launch_tags: ["instance", "volume", "network-interface"]
                .iter()
                .map(|t| (t.to_string(), tags(LT)))
                .collect(),
        },
    }
}

fn asg_seen() -> GroupObserved {
    GroupObserved {
        name: LT.into(),
        min_size: 1,
        max_size: 1,
        subnets: vec!["subnet-a".into()],
        launch_template_id: "lt-1".into(),
        launch_template_version: "1".into(),
        target_groups: vec![],
        not_propagated: vec![],
    }
}

fn found<T: kops6_aws::actual::Observation>(id: &str, o: T) -> Found {
    Found {
        id: id.into(),
        tags: tags(LT),
        refs: vec![],
        observed: Observed::new(o),
    }
}

fn facts() -> Facts {
    Facts {
        images: BTreeMap::from([(
            "ami-1".to_string(),
            ImageFacts {
                name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305".into(),
                root_device: "/dev/sda1".into(),
            },
        )]),
        ..Facts::default()
    }
}

fn graph(lt: LaunchTemplateSpec, asg: AutoscalingGroupSpec) -> ResourceGraph {
    ResourceGraph {
        cluster: C.into(),
        region: "us-east-1".into(),
        vpc: VpcSource::Shared("vpc-1".into()),
        resources: vec![
            resource(Kind::LaunchTemplate, Spec::LaunchTemplate(Box::new(lt))),
            resource(Kind::AutoscalingGroup, Spec::AutoscalingGroup(asg)),
        ],
    }
}

fn actual(lt: LaunchTemplateObserved, asg: GroupObserved) -> Actual {
    let mut a = Actual::default();
    a.insert(Key::new(Kind::LaunchTemplate, LT), found("lt-1", lt));
    a.insert(Key::new(Kind::AutoscalingGroup, LT), found(LT, asg));
    a
}

fn steps(g: &ResourceGraph, a: &Actual) -> Vec<Step> {
    diff(g, a, &facts()).expect("both kinds are registered")
}

/// The fields of the one update of `kind`, or a panic naming the steps.
fn fields_of(steps: &[Step], kind: Kind) -> Vec<FieldChange> {
    steps
        .iter()
        .find_map(|s| match s {
            Step::Update { key, fields, .. } if key.kind == kind => Some(fields.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no update of {kind}: {steps:#?}"))
}

#[test]
fn an_instance_group_found_as_specified_needs_no_step() {
    let g = graph(lt_spec(), asg_spec());
    assert_eq!(steps(&g, &actual(lt_seen(), asg_seen())), vec![]);
}

/// One change to a launch template's spec.
type Edit = Box<dyn Fn(&mut LaunchTemplateSpec)>;

#[test]
fn each_data_change_is_one_new_version_never_a_replacement() {
    let changes: Vec<(&str, Edit)> = vec![
        (
            "instanceType",
            Box::new(|s| s.instance_type = "t3.large".into()),
        ),
        (
            "imageId",
            Box::new(|s| s.image = Value::Shared("ami-2".into())),
        ),
        (
            "userData",
            Box::new(|s| s.user_data = Some("#cloud-config\n# v2\n".into())),
        ),
        (
            "securityGroups",
            Box::new(|s| s.security_groups.push(Value::Shared("sg-extra".into()))),
        ),
        (
            "httpTokens",
            Box::new(|s| s.metadata.http_tokens = "optional".into()),
        ),
        (
            "httpPutResponseHopLimit",
            Box::new(|s| s.metadata.hop_limit = 2),
        ),
        (
            "httpProtocolIpv6",
            Box::new(|s| s.metadata.ipv6_endpoint = false),
        ),
        ("ipv6AddressCount", Box::new(|s| s.ipv6_address_count = 0)),
        ("rootVolumeSize", Box::new(|s| s.root_volume.size_gib = 200)),
    ];
    for (attribute, change) in changes {
        let mut lt = lt_spec();
        change(&mut lt);
        let g = graph(lt, asg_spec());
        let steps = steps(&g, &actual(lt_seen(), asg_seen()));
        assert!(
            !steps.iter().any(|s| matches!(s, Step::Replace { .. })),
            "{attribute}: {steps:#?}"
        );
        let fields = fields_of(&steps, Kind::LaunchTemplate);
        assert_eq!(fields.len(), 1, "{attribute}: one new version: {fields:#?}");
        assert_eq!(fields[0].field, NEW_VERSION, "{attribute}");
        assert!(
            fields[0]
                .from
                .starts_with(&format!("version 1: {attribute}="))
                && fields[0]
                    .to
                    .starts_with(&format!("a new version: {attribute}=")),
            "{attribute}: {:?}",
            fields[0]
        );
        // The group follows its template to the new version.
        assert_eq!(
            fields_of(&steps, Kind::AutoscalingGroup),
            vec![FieldChange {
                field: "launchTemplate",
                from: "lt-1 version 1".into(),
                to: "lt-1 version (its new version)".into(),
            }],
            "{attribute}"
        );
    }
}

#[test]
fn a_new_version_names_its_instance_group_for_rolling_and_nothing_else_does() {
    let mut lt = lt_spec();
    lt.instance_type = "t3.large".into();
    let g = graph(lt, asg_spec());
    let kind = registry::get(Kind::LaunchTemplate).expect("registered");
    let r = &g.resources[0];
    let fields = fields_of(
        &steps(&g, &actual(lt_seen(), asg_seen())),
        Kind::LaunchTemplate,
    );
    assert_eq!(kind.rolls(r, &fields[0]), Some("nodes-us-east-1a".into()));
    let tags_only = FieldChange {
        field: "tags",
        from: String::new(),
        to: String::new(),
    };
    assert_eq!(
        kind.rolls(r, &tags_only),
        None,
        "tags do not touch instances"
    );
    let asg = registry::get(Kind::AutoscalingGroup).expect("registered");
    assert_eq!(asg.rolls(&g.resources[1], &tags_only), None);
}

#[test]
fn the_instance_data_exactly_as_ipv6_needs_is_compared() {
    // A template made by hand without the IPv6 metadata endpoint or an IPv6 address, and
    // with a public IPv4 address, is brought in line by one new version.
    let mut seen = lt_seen();
    seen.data.ipv6_metadata_endpoint = false;
    seen.data.ipv6_address_count = 0;
    seen.data.associate_public_ip = true;
    seen.data.http_tokens = "optional".into();
    seen.data.root_volume_encrypted = false;
    let g = graph(lt_spec(), asg_spec());
    let fields = fields_of(&steps(&g, &actual(seen, asg_seen())), Kind::LaunchTemplate);
    assert_eq!(
        fields,
        vec![FieldChange {
            field: NEW_VERSION,
            from: "version 1: ipv6AddressCount=0; associatePublicIpAddress=true; httpTokens=optional; httpProtocolIpv6=disabled; rootVolumeEncrypted=false".into(),
            to: "a new version: ipv6AddressCount=1; associatePublicIpAddress=false; httpTokens=required; httpProtocolIpv6=enabled; rootVolumeEncrypted=true".into(),
        }]
    );
}

#[test]
fn a_template_of_another_name_is_a_replace() {
    let seen = LaunchTemplateObserved {
        name: "someone-elses".into(),
        ..lt_seen()
    };
    let g = graph(lt_spec(), asg_spec());
    let steps = steps(&g, &actual(seen, asg_seen()));
    assert!(
        matches!(&steps[0], Step::Replace { key, reason, .. }
            if key.kind == Kind::LaunchTemplate && reason.starts_with("name is someone-elses")),
        "{steps:#?}"
    );
}

#[test]
fn a_group_runs_its_templates_default_version() {
    // The template's default is version 3 and unchanged: the group on version 1 moves to 3.
    let seen = LaunchTemplateObserved {
        default_version: 3,
        latest_version: 3,
        ..lt_seen()
    };
    let g = graph(lt_spec(), asg_spec());
    let steps = steps(&g, &actual(seen, asg_seen()));
    assert_eq!(
        steps,
        vec![Step::Update {
            key: Key::new(Kind::AutoscalingGroup, LT),
            id: LT.into(),
            fields: vec![FieldChange {
                field: "launchTemplate",
                from: "lt-1 version 1".into(),
                to: "lt-1 version 3".into(),
            }],
        }]
    );
}

#[test]
fn size_subnets_and_target_groups_change_in_place() {
    let mut asg = asg_spec();
    asg.min_size = 2;
    asg.max_size = 3;
    asg.subnets.push(Value::Shared("subnet-b".into()));
    asg.target_groups
        .push(Value::Shared("arn:aws:elasticloadbalancing:tg/api".into()));
    let g = graph(lt_spec(), asg);
    let steps = steps(&g, &actual(lt_seen(), asg_seen()));
    assert_eq!(steps.len(), 1, "the template is unchanged: {steps:#?}");
    let change = |field, from: &str, to: &str| FieldChange {
        field,
        from: from.into(),
        to: to.into(),
    };
    assert_eq!(
        fields_of(&steps, Kind::AutoscalingGroup),
        vec![
            change("size", "min 1 max 1", "min 2 max 3"),
            change("subnets", "subnet-a", "subnet-a,subnet-b"),
            change("targetGroups", "", "arn:aws:elasticloadbalancing:tg/api"),
        ]
    );
}

#[test]
fn group_tags_must_propagate_to_the_instances() {
    let seen = GroupObserved {
        not_propagated: vec!["kops.k8s.io/instancegroup".into()],
        ..asg_seen()
    };
    let g = graph(lt_spec(), asg_spec());
    let fields = fields_of(&steps(&g, &actual(lt_seen(), seen)), Kind::AutoscalingGroup);
    assert_eq!(
        fields.iter().map(|f| f.field).collect::<Vec<_>>(),
        vec!["tags"]
    );
}

#[test]
fn a_group_of_another_name_is_a_replace() {
    let seen = GroupObserved {
        name: "other".into(),
        ..asg_seen()
    };
    let g = graph(lt_spec(), asg_spec());
    let steps = steps(&g, &actual(lt_seen(), seen));
    assert!(
        steps
            .iter()
            .any(|s| matches!(s, Step::Replace { key, .. } if key.kind == Kind::AutoscalingGroup)),
        "{steps:#?}"
    );
}

#[test]
fn a_group_whose_template_is_not_created_yet_is_pointed_at_it_once_it_is() {
    let g = graph(lt_spec(), asg_spec());
    let mut a = Actual::default();
    a.insert(Key::new(Kind::AutoscalingGroup, LT), found(LT, asg_seen()));
    let steps = steps(&g, &a);
    assert!(
        matches!(&steps[0], Step::Create { key } if key.kind == Kind::LaunchTemplate),
        "{steps:#?}"
    );
    assert_eq!(
        fields_of(&steps, Kind::AutoscalingGroup),
        vec![FieldChange {
            field: "launchTemplate",
            from: "lt-1 version 1".into(),
            to: "(a resource not yet created) version 1".into(),
        }]
    );
}

#[test]
fn a_group_moves_to_the_new_version_before_it_grows() {
    // So the capacity the bigger size adds is launched from the new version.
    let mut lt = lt_spec();
    lt.instance_type = "t3.large".into();
    let mut asg = asg_spec();
    asg.min_size = 2;
    asg.max_size = 2;
    let g = graph(lt, asg);
    let fields = fields_of(
        &steps(&g, &actual(lt_seen(), asg_seen())),
        Kind::AutoscalingGroup,
    );
    assert_eq!(
        fields.iter().map(|f| f.field).collect::<Vec<_>>(),
        vec!["launchTemplate", "size"]
    );
}
