//! The diff, without AWS: one test per rule, on small hand-made graphs and discoveries.

use std::collections::BTreeMap;

use ipnet::{IpNet, Ipv6Net};
use kops6_api::Ipv6CidrSpec;
use kops6_aws::actual::{Actual, Found, Observed};
use kops6_aws::diff::{diff, Facts, FieldChange, Step};
use kops6_aws::discover::gather;
use kops6_aws::kind::{Discovered, Name};
use kops6_aws::kinds::ec2::internet_gateway::GatewayObserved;
use kops6_aws::kinds::ec2::nat_gateway::NatObserved;
use kops6_aws::kinds::ec2::route::RouteObserved;
use kops6_aws::kinds::ec2::route_table::TableObserved;
use kops6_aws::kinds::ec2::route_table_association::AssociationObserved;
use kops6_aws::kinds::ec2::subnet::SubnetObserved;
use kops6_aws::kinds::ec2::vpc::VpcObserved;
use kops6_aws::kinds::ec2::vpc_dhcp_options_association::Association;
use kops6_aws::remove::deletable;
use kops6_model::graph::{SubnetSpec, Tags};
use kops6_model::{Key, Kind, Resource, ResourceGraph, RouteTarget, Spec, Value, VpcSource, Why};

const C: &str = "c.example.com";
const BLOCK: &str = "2600:1f18:1234:5600::/56";

fn tags(name: &str) -> Tags {
    BTreeMap::from([
        ("Name".to_string(), name.to_string()),
        (format!("kubernetes.io/cluster/{C}"), "owned".to_string()),
    ])
}

fn key(kind: Kind, name: &str) -> Key {
    Key::new(kind, name)
}

fn resource(kind: Kind, name: &str, spec: Spec) -> Resource {
    Resource {
        key: key(kind, name),
        spec,
        tags: tags(name),
        why: Why::new("spec", "test"),
        after: vec![],
    }
}

fn graph(resources: Vec<Resource>) -> ResourceGraph {
    ResourceGraph {
        cluster: C.into(),
        region: "us-east-1".into(),
        vpc: VpcSource::Managed(key(Kind::Vpc, C)),
        resources,
    }
}

fn vpc_spec() -> Spec {
    Spec::Vpc {
        cidr: "172.20.0.0/16".parse().unwrap(),
        amazon_ipv6_block: true,
        dns_hostnames: true,
        dns_support: true,
    }
}

fn vpc_seen() -> VpcObserved {
    VpcObserved {
        cidr: "172.20.0.0/16".into(),
        ipv6_block: Some(BLOCK.parse().unwrap()),
        ipv6_pending: false,
        dns_hostnames: true,
        dns_support: true,
        dhcp_options_id: None,
    }
}

fn found<T: kops6_aws::actual::Observation>(id: &str, name: &str, refs: &[&str], o: T) -> Found {
    Found {
        id: id.into(),
        tags: tags(name),
        refs: refs.iter().map(|r| r.to_string()).collect(),
        observed: Observed::new(o),
    }
}

fn with_vpc(seen: VpcObserved) -> Actual {
    let mut a = Actual::default();
    a.insert(key(Kind::Vpc, C), found("vpc-1", C, &[], seen));
    a
}

fn steps(g: &ResourceGraph, a: &Actual) -> Vec<Step> {
    diff(g, a, &Facts::default()).expect("every kind is registered")
}

fn update(kind: Kind, name: &str, id: &str, fields: &[(&'static str, &str, &str)]) -> Step {
    Step::Update {
        key: key(kind, name),
        id: id.into(),
        fields: fields
            .iter()
            .map(|(field, from, to)| FieldChange {
                field,
                from: from.to_string(),
                to: to.to_string(),
            })
            .collect(),
    }
}

fn subnet_spec(index: u128) -> SubnetSpec {
    SubnetSpec {
        spec_name: "us-east-1a".into(),
        zone: "us-east-1a".into(),
        vpc: Value::Ref(key(Kind::Vpc, C)),
        cidr: Some("172.20.32.0/19".parse().unwrap()),
        ipv6_cidr: Some(Ipv6CidrSpec::Allocated { len: 64, index }),
        ipv6_native: false,
        assign_ipv6_on_creation: true,
        enable_dns64: true,
        resource_name_hostnames: true,
        dns_a_records: false,
        dns_aaaa_records: true,
    }
}

fn subnet_seen(ipv6: &str) -> SubnetObserved {
    SubnetObserved {
        vpc_id: "vpc-1".into(),
        zone: "us-east-1a".into(),
        cidr: Some("172.20.32.0/19".into()),
        ipv6_cidr: Some(ipv6.into()),
        ipv6_native: false,
        assign_ipv6_on_creation: true,
        dns64: true,
        hostname_type: Some("resource-name".into()),
        a_records: false,
        aaaa_records: true,
    }
}

#[test]
fn a_resource_not_found_is_created() {
    let g = graph(vec![resource(Kind::Vpc, C, vpc_spec())]);
    assert_eq!(
        steps(&g, &Actual::default()),
        vec![Step::Create {
            key: key(Kind::Vpc, C)
        }]
    );
}

#[test]
fn a_resource_found_as_specified_needs_no_step() {
    let g = graph(vec![resource(Kind::Vpc, C, vpc_spec())]);
    assert_eq!(steps(&g, &with_vpc(vpc_seen())), vec![]);
}

#[test]
fn a_mutable_field_that_differs_is_an_update_of_that_field() {
    let g = graph(vec![resource(Kind::Vpc, C, vpc_spec())]);
    let seen = VpcObserved {
        dns_hostnames: false,
        ..vpc_seen()
    };
    assert_eq!(
        steps(&g, &with_vpc(seen)),
        vec![update(
            Kind::Vpc,
            C,
            "vpc-1",
            &[("enableDnsHostnames", "false", "true")]
        )]
    );
}

#[test]
fn a_replace_only_field_that_differs_is_a_replace_naming_it() {
    let g = graph(vec![resource(Kind::Vpc, C, vpc_spec())]);
    let seen = VpcObserved {
        cidr: "10.0.0.0/16".into(),
        ..vpc_seen()
    };
    assert_eq!(
        steps(&g, &with_vpc(seen)),
        vec![Step::Replace {
            key: key(Kind::Vpc, C),
            id: "vpc-1".into(),
            reason:
                "cidr is 10.0.0.0/16 but the spec wants 172.20.0.0/16, and AWS cannot change it"
                    .into(),
        }]
    );
}

#[test]
fn a_vpc_without_its_ipv6_block_gets_one_in_place_unless_one_is_being_associated() {
    let g = graph(vec![resource(Kind::Vpc, C, vpc_spec())]);
    let none = VpcObserved {
        ipv6_block: None,
        ..vpc_seen()
    };
    assert_eq!(
        steps(&g, &with_vpc(none.clone())),
        vec![update(
            Kind::Vpc,
            C,
            "vpc-1",
            &[("ipv6Block", "(none)", "Amazon-provided /56")]
        )]
    );
    let pending = VpcObserved {
        ipv6_pending: true,
        ..none
    };
    assert_eq!(steps(&g, &with_vpc(pending)), vec![]);
}

#[test]
fn a_missing_tag_is_an_update_of_tags_and_extra_tags_are_left_alone() {
    let g = graph(vec![resource(Kind::Vpc, C, vpc_spec())]);
    let mut a = Actual::default();
    let mut f = found("vpc-1", C, &[], vpc_seen());
    f.tags.remove(&format!("kubernetes.io/cluster/{C}"));
    f.tags.insert("team".into(), "infra".into());
    a.insert(key(Kind::Vpc, C), f);
    assert_eq!(
        steps(&g, &a),
        vec![update(
            Kind::Vpc,
            C,
            "vpc-1",
            &[(
                "tags",
                "(missing or different)",
                &format!("kubernetes.io/cluster/{C}=owned")
            )]
        )]
    );
}

#[test]
fn a_subnet_ipv6_allocation_is_compared_in_the_discovered_vpc_block() {
    let name = "us-east-1a.c.example.com";
    let g = graph(vec![
        resource(Kind::Vpc, C, vpc_spec()),
        resource(Kind::Subnet, name, Spec::Subnet(subnet_spec(1))),
    ]);
    let mut a = with_vpc(vpc_seen());
    a.insert(
        key(Kind::Subnet, name),
        found(
            "subnet-1",
            name,
            &["vpc-1"],
            subnet_seen("2600:1f18:1234:5601::/64"),
        ),
    );
    assert_eq!(steps(&g, &a), vec![], "/64#1 of the /56 is ...5601::/64");

    let g = graph(vec![
        resource(Kind::Vpc, C, vpc_spec()),
        resource(Kind::Subnet, name, Spec::Subnet(subnet_spec(2))),
    ]);
    assert_eq!(
        steps(&g, &a),
        vec![Step::Replace {
            key: key(Kind::Subnet, name),
            id: "subnet-1".into(),
            reason: "ipv6Cidr is 2600:1f18:1234:5601::/64 but the spec wants 2600:1f18:1234:5602::/64, and AWS cannot change it".into(),
        }]
    );
}

#[test]
fn subnet_dns_settings_change_in_place() {
    let name = "us-east-1a.c.example.com";
    let g = graph(vec![
        resource(Kind::Vpc, C, vpc_spec()),
        resource(Kind::Subnet, name, Spec::Subnet(subnet_spec(1))),
    ]);
    let mut a = with_vpc(vpc_seen());
    let seen = SubnetObserved {
        dns64: false,
        hostname_type: Some("ip-name".into()),
        ..subnet_seen("2600:1f18:1234:5601::/64")
    };
    a.insert(
        key(Kind::Subnet, name),
        found("subnet-1", name, &["vpc-1"], seen),
    );
    assert_eq!(
        steps(&g, &a),
        vec![update(
            Kind::Subnet,
            name,
            "subnet-1",
            &[
                ("enableDns64", "false", "true"),
                ("hostnameType", "ip-name", "resource-name")
            ]
        )]
    );
}

fn route_graph(target: Value) -> ResourceGraph {
    graph(vec![
        resource(
            Kind::RouteTable,
            "private",
            Spec::RouteTable {
                vpc: Value::Ref(key(Kind::Vpc, C)),
            },
        ),
        Resource {
            tags: Tags::new(),
            ..resource(
                Kind::Route,
                "private/::/0",
                Spec::Route {
                    table: Value::Ref(key(Kind::RouteTable, "private")),
                    destination: "::/0".parse().unwrap(),
                    target: RouteTarget::EgressOnlyInternetGateway(target),
                },
            )
        },
    ])
}

fn route_actual(target: &str) -> Actual {
    let mut a = Actual::default();
    a.insert(
        key(Kind::RouteTable, "private"),
        found(
            "rtb-1",
            "private",
            &["vpc-1"],
            TableObserved {
                vpc_id: "vpc-1".into(),
            },
        ),
    );
    a.insert(key(Kind::Vpc, C), found("vpc-1", C, &[], vpc_seen()));
    a.insert(
        key(Kind::Route, "private/::/0"),
        Found {
            tags: Tags::new(),
            ..found(
                "rtb-1",
                "",
                &["rtb-1", target],
                RouteObserved {
                    destination: "::/0".parse().unwrap(),
                    target: target.into(),
                },
            )
        },
    );
    a
}

#[test]
fn a_route_to_another_target_is_retargeted_in_place() {
    let mut g = route_graph(Value::Shared("eigw-2".into()));
    g.resources.insert(0, resource(Kind::Vpc, C, vpc_spec()));
    assert_eq!(
        steps(&g, &route_actual("eigw-1")),
        vec![update(
            Kind::Route,
            "private/::/0",
            "rtb-1",
            &[("target", "eigw-1", "eigw-2")]
        )]
    );
}

#[test]
fn a_route_the_spec_no_longer_has_is_deleted_but_its_table_is_kept() {
    let mut g = route_graph(Value::Shared("eigw-1".into()));
    g.resources.insert(0, resource(Kind::Vpc, C, vpc_spec()));
    g.resources.retain(|r| r.key.kind != Kind::Route);
    let s = steps(&g, &route_actual("eigw-1"));
    assert_eq!(s.len(), 1, "{s:#?}");
    assert!(
        matches!(&s[0], Step::Delete { key: k, reason, .. }
            if *k == key(Kind::Route, "private/::/0") && reason == "owned by the cluster but no longer in its spec"),
        "{s:#?}"
    );
}

#[test]
fn a_reference_to_a_resource_not_yet_created_is_not_known_and_so_a_replace() {
    // The NAT gateway exists but its subnet does not: its subnet cannot be what the spec
    // wants, and AWS cannot move a NAT gateway.
    let g = graph(vec![resource(
        Kind::NatGateway,
        "us-east-1a",
        Spec::NatGateway {
            subnet: Value::Ref(key(Kind::Subnet, "utility-us-east-1a")),
            allocation: Value::Shared("eipalloc-1".into()),
        },
    )]);
    let mut a = Actual::default();
    a.insert(
        key(Kind::NatGateway, "us-east-1a"),
        found(
            "nat-1",
            "us-east-1a",
            &[],
            NatObserved {
                vpc_id: "vpc-1".into(),
                subnet_id: "subnet-9".into(),
                allocation_id: Some("eipalloc-1".into()),
                state: "available".into(),
            },
        ),
    );
    assert_eq!(
        steps(&g, &a),
        vec![Step::Replace {
            key: key(Kind::NatGateway, "us-east-1a"),
            id: "nat-1".into(),
            reason: "subnet is subnet-9 but the spec wants (a resource not yet created), and AWS cannot change it".into(),
        }]
    );
}

#[test]
fn a_route_table_association_moves_tables_in_place_but_not_subnets() {
    let g = graph(vec![resource(
        Kind::RouteTableAssociation,
        "a",
        Spec::RouteTableAssociation {
            subnet: Value::Shared("subnet-1".into()),
            table: Value::Shared("rtb-2".into()),
        },
    )]);
    let mut a = Actual::default();
    let assoc = |subnet: &str| Found {
        tags: Tags::new(),
        ..found(
            "rtbassoc-1",
            "",
            &[],
            AssociationObserved {
                subnet_id: subnet.into(),
                table_id: "rtb-1".into(),
            },
        )
    };
    a.insert(key(Kind::RouteTableAssociation, "a"), assoc("subnet-1"));
    let mut g2 = g.clone();
    g2.resources[0].tags = Tags::new();
    assert_eq!(
        steps(&g2, &a),
        vec![update(
            Kind::RouteTableAssociation,
            "a",
            "rtbassoc-1",
            &[("routeTable", "rtb-1", "rtb-2")]
        )]
    );
    let mut b = Actual::default();
    b.insert(key(Kind::RouteTableAssociation, "a"), assoc("subnet-9"));
    assert!(matches!(&steps(&g2, &b)[0], Step::Replace { .. }));
}

#[test]
fn something_else_found_under_the_key_is_a_replace() {
    let g = graph(vec![resource(Kind::Vpc, C, vpc_spec())]);
    let mut a = Actual::default();
    a.insert(
        key(Kind::Vpc, C),
        found(
            "vpc-1",
            C,
            &[],
            TableObserved {
                vpc_id: "vpc-1".into(),
            },
        ),
    );
    let s = steps(&g, &a);
    assert!(
        matches!(&s[0], Step::Replace { reason, .. } if reason.starts_with("found a TableObserved")),
        "{s:#?}"
    );
}

#[test]
fn a_duplicate_left_by_an_interrupted_run_is_deleted_and_the_first_kept() {
    let g = graph(vec![resource(Kind::Vpc, C, vpc_spec())]);
    let mut a = with_vpc(vpc_seen());
    a.insert(key(Kind::Vpc, C), found("vpc-2", C, &[], vpc_seen()));
    let s = steps(&g, &a);
    assert_eq!(s.len(), 1);
    assert!(
        matches!(&s[0], Step::Delete { found, reason, .. }
            if found.id == "vpc-2" && reason == "a duplicate of vpc-1 (left by an interrupted run)"),
        "{s:#?}"
    );
}

#[test]
fn a_vpc_dhcp_options_setting_is_never_removed_on_its_own() {
    let mut a = Actual::default();
    a.insert(
        key(Kind::VpcDhcpOptionsAssociation, C),
        Found {
            tags: Tags::new(),
            ..found(
                "vpc-1",
                C,
                &[],
                Association {
                    vpc_id: "vpc-1".into(),
                    dhcp_options_id: Some("dopt-1".into()),
                },
            )
        },
    );
    assert_eq!(steps(&graph(vec![]), &a), vec![]);
    assert_eq!(deletable(&a), vec![]);
}

#[test]
fn removals_delete_each_resource_before_what_it_refers_to() {
    let mut a = with_vpc(vpc_seen());
    let name = "us-east-1a.c.example.com";
    a.insert(
        key(Kind::Subnet, name),
        found(
            "subnet-1",
            name,
            &["vpc-1"],
            subnet_seen("2600:1f18:1234:5601::/64"),
        ),
    );
    let s = steps(&graph(vec![]), &a);
    let order: Vec<&str> = s
        .iter()
        .map(|s| match s {
            Step::Delete { found, .. } => found.id.as_str(),
            _ => "not a delete",
        })
        .collect();
    assert_eq!(order, vec!["subnet-1", "vpc-1"]);
}

fn discovered<T: kops6_aws::actual::Observation>(
    kind: Kind,
    name: Name,
    id: &str,
    refs: &[&str],
    o: T,
) -> Discovered {
    Discovered {
        kind,
        name,
        found: found(id, "x", refs, o),
    }
}

/// The whole network as discovery gathers it, then the delete order of `delete cluster`.
#[test]
fn delete_cluster_deletes_each_resource_before_what_it_refers_to() {
    let given = |n: &str| Name::Given(n.to_string());
    let all = vec![
        discovered(Kind::Vpc, given(C), "vpc-1", &[], vpc_seen()),
        discovered(
            Kind::InternetGateway,
            given(C),
            "igw-1",
            &["vpc-1"],
            GatewayObserved {
                attached_vpcs: vec!["vpc-1".into()],
            },
        ),
        discovered(
            Kind::Subnet,
            given("utility"),
            "subnet-1",
            &["vpc-1"],
            subnet_seen("2600:1f18:1234:5601::/64"),
        ),
        discovered(
            Kind::NatGateway,
            given("nat"),
            "nat-1",
            &["subnet-1", "eipalloc-1"],
            NatObserved {
                vpc_id: "vpc-1".into(),
                subnet_id: "subnet-1".into(),
                allocation_id: Some("eipalloc-1".into()),
                state: "available".into(),
            },
        ),
        discovered(
            Kind::ElasticIp,
            given("nat"),
            "eipalloc-1",
            &[],
            kops6_aws::kinds::ec2::elastic_ip::AddressObserved { public_ip: None },
        ),
        discovered(
            Kind::RouteTable,
            given("private"),
            "rtb-1",
            &["vpc-1"],
            TableObserved {
                vpc_id: "vpc-1".into(),
            },
        ),
        discovered(
            Kind::Route,
            given("private/0.0.0.0/0"),
            "rtb-1",
            &["rtb-1", "nat-1"],
            RouteObserved {
                destination: "0.0.0.0/0".parse::<IpNet>().unwrap(),
                target: "nat-1".into(),
            },
        ),
        discovered(
            Kind::RouteTableAssociation,
            Name::SameAs {
                kind: Kind::Subnet,
                id: "subnet-1".into(),
            },
            "rtbassoc-1",
            &["subnet-1", "rtb-1"],
            AssociationObserved {
                subnet_id: "subnet-1".into(),
                table_id: "rtb-1".into(),
            },
        ),
    ];
    let actual = gather(all);
    assert!(
        actual
            .get(&key(Kind::RouteTableAssociation, "utility"))
            .is_some(),
        "an association is named after its subnet: {:?}",
        actual.resources.keys()
    );
    let ids: Vec<String> = deletable(&actual).into_iter().map(|(_, f)| f.id).collect();
    let pos = |id: &str| {
        ids.iter()
            .position(|i| i == id)
            .unwrap_or_else(|| panic!("{id} is not deleted: {ids:?}"))
    };
    assert_eq!(ids.len(), 7, "routes go with their table: {ids:?}");
    for (first, then) in [
        ("rtbassoc-1", "subnet-1"),
        ("rtbassoc-1", "rtb-1"),
        ("rtb-1", "nat-1"),
        ("nat-1", "subnet-1"),
        ("nat-1", "eipalloc-1"),
        ("nat-1", "igw-1"),
        ("subnet-1", "vpc-1"),
        ("igw-1", "vpc-1"),
        ("rtb-1", "vpc-1"),
    ] {
        assert!(pos(first) < pos(then), "{first} before {then}: {ids:?}");
    }
}

/// A listener lives inside its load balancer and forwards to a target group: the load balancer
/// (and with it the listener) is deleted before the target group, which AWS refuses to delete
/// while a listener uses it.
#[test]
fn a_load_balancer_is_deleted_before_the_target_group_its_listener_uses() {
    let all = vec![
        discovered(
            Kind::TargetGroup,
            Name::Given("tg".into()),
            "arn:tg",
            &["vpc-1"],
            (),
        ),
        discovered(
            Kind::LoadBalancer,
            Name::Given("lb".into()),
            "arn:lb",
            &["subnet-1"],
            (),
        ),
        discovered(
            Kind::Listener,
            Name::Given("lb-443".into()),
            "arn:listener",
            &["arn:lb", "arn:tg"],
            kops6_aws::kinds::elbv2::listener::ListenerObserved {
                port: 443,
                target_group: Some("arn:tg".into()),
            },
        ),
    ];
    let ids: Vec<String> = deletable(&gather(all))
        .into_iter()
        .map(|(_, f)| f.id)
        .collect();
    assert_eq!(
        ids,
        ["arn:lb", "arn:tg"],
        "the listener goes with its load balancer"
    );
    let actual = gather(vec![
        discovered(
            Kind::TargetGroup,
            Name::Given("tg".into()),
            "arn:tg",
            &[],
            (),
        ),
        discovered(
            Kind::LoadBalancer,
            Name::Given("lb".into()),
            "arn:lb",
            &[],
            (),
        ),
        discovered(
            Kind::Listener,
            Name::Given("lb-443".into()),
            "arn:listener",
            &["arn:lb", "arn:tg"],
            (),
        ),
    ]);
    let lb = deletable(&actual)
        .into_iter()
        .find(|(k, _)| k.kind == Kind::LoadBalancer)
        .unwrap()
        .1;
    assert_eq!(
        lb.refs,
        ["arn:tg"],
        "the load balancer inherits its listener's references"
    );
}

#[test]
fn the_vpc_block_of_a_shared_vpc_comes_from_the_facts() {
    let name = "us-east-1a.c.example.com";
    let mut spec = subnet_spec(1);
    spec.vpc = Value::Shared("vpc-shared".into());
    let mut g = graph(vec![resource(Kind::Subnet, name, Spec::Subnet(spec))]);
    g.vpc = VpcSource::Shared("vpc-shared".into());
    let mut a = Actual::default();
    a.insert(
        key(Kind::Subnet, name),
        found(
            "subnet-1",
            name,
            &[],
            SubnetObserved {
                vpc_id: "vpc-shared".into(),
                ..subnet_seen("2600:1f18:1234:5601::/64")
            },
        ),
    );
    let facts = Facts {
        shared_vpc: Some(kops6_aws::actual::SharedVpc {
            id: "vpc-shared".into(),
            exists: true,
            ipv6_block: Some(BLOCK.parse::<Ipv6Net>().unwrap()),
            internet_gateway: None,
            egress_only_gateway: None,
        }),
        ..Facts::default()
    };
    assert_eq!(diff(&g, &a, &facts).unwrap(), vec![]);
}

mod security_group_rules {
    use kops6_aws::kinds::ec2::security_group::GroupObserved;
    use kops6_aws::kinds::ec2::security_group_rule::RuleObserved;
    use kops6_model::specs::{Direction, Protocol, RuleSource, SecurityGroupRuleSpec};

    use super::*;

    const NODES: &str = "nodes.c.example.com";

    fn ssh_rule(port: i32) -> Resource {
        Resource {
            tags: Tags::new(),
            ..resource(
                Kind::SecurityGroupRule,
                "from-::/0-ingress-tcp-22to22-nodes.c.example.com",
                Spec::SecurityGroupRule(SecurityGroupRuleSpec {
                    group: Value::Ref(key(Kind::SecurityGroup, NODES)),
                    direction: Direction::Ingress,
                    protocol: Protocol::Tcp,
                    from_port: port,
                    to_port: port,
                    source: RuleSource::Ipv6("::/0".parse().unwrap()),
                }),
            )
        }
    }

    fn with_group_and_rule(port: i32) -> Actual {
        let mut a = Actual::default();
        a.insert(
            key(Kind::SecurityGroup, NODES),
            found(
                "sg-1",
                NODES,
                &["vpc-1"],
                GroupObserved {
                    group_name: NODES.into(),
                    description: "Security group for nodes".into(),
                    vpc_id: "vpc-1".into(),
                },
            ),
        );
        let rule = RuleObserved {
            group_id: "sg-1".into(),
            egress: false,
            protocol: "tcp".into(),
            from_port: port,
            to_port: port,
            source: "::/0".into(),
        };
        a.insert(
            key(Kind::SecurityGroupRule, &rule.identity()),
            Found {
                id: rule.identity(),
                tags: Tags::new(),
                refs: vec!["sg-1".into()],
                observed: Observed::new(rule),
            },
        );
        a
    }

    fn nodes_graph(port: i32) -> ResourceGraph {
        let mut g = graph(vec![
            resource(
                Kind::SecurityGroup,
                NODES,
                Spec::SecurityGroup {
                    vpc: Value::Shared("vpc-1".into()),
                    description: "Security group for nodes".into(),
                },
            ),
            ssh_rule(port),
        ]);
        g.vpc = VpcSource::Shared("vpc-1".into());
        g
    }

    #[test]
    fn a_rule_is_matched_by_its_content_not_its_name() {
        assert_eq!(steps(&nodes_graph(22), &with_group_and_rule(22)), vec![]);
    }

    #[test]
    fn a_changed_rule_is_a_new_rule_and_the_old_one_is_revoked() {
        let s = steps(&nodes_graph(2222), &with_group_and_rule(22));
        assert_eq!(s.len(), 2, "{s:#?}");
        assert_eq!(
            s[0],
            Step::Create {
                key: ssh_rule(2222).key
            }
        );
        assert!(
            matches!(&s[1], Step::Delete { found, .. } if found.id == "sg-1/ingress/tcp/22-22/::/0"),
            "{s:#?}"
        );
    }

    #[test]
    fn a_changed_group_description_is_a_replace() {
        let mut g = nodes_graph(22);
        g.resources[0].spec = Spec::SecurityGroup {
            vpc: Value::Shared("vpc-1".into()),
            description: "nodes".into(),
        };
        assert!(matches!(
            &steps(&g, &with_group_and_rule(22))[0],
            Step::Replace { reason, .. } if reason.starts_with("description is Security group for nodes")
        ));
    }
}

mod etcd_volumes {
    use kops6_aws::kinds::ec2::ebs_volume::VolumeObserved;
    use kops6_model::specs::EbsVolumeSpec;

    use super::*;

    const V: &str = "us-east-1a.etcd-main.c.example.com";

    fn volume(size_gib: u32) -> ResourceGraph {
        graph(vec![resource(
            Kind::EbsVolume,
            V,
            Spec::EbsVolume(EbsVolumeSpec {
                zone: "us-east-1a".into(),
                size_gib,
                volume_type: "gp3".into(),
                iops: 3000,
                throughput: 125,
                encrypted: true,
            }),
        )])
    }

    fn found_volume(size_gib: i32) -> Actual {
        let mut a = Actual::default();
        a.insert(
            key(Kind::EbsVolume, V),
            found(
                "vol-1",
                V,
                &[],
                VolumeObserved {
                    zone: "us-east-1a".into(),
                    size_gib,
                    volume_type: "gp3".into(),
                    iops: 3000,
                    throughput: 125,
                    encrypted: true,
                },
            ),
        );
        a
    }

    #[test]
    fn a_bigger_etcd_volume_grows_in_place() {
        assert_eq!(
            steps(&volume(40), &found_volume(20)),
            vec![update(Kind::EbsVolume, V, "vol-1", &[("size", "20", "40")])]
        );
    }

    #[test]
    fn a_smaller_etcd_volume_is_a_replace_because_ebs_only_grows() {
        assert!(matches!(
            &steps(&volume(10), &found_volume(20))[0],
            Step::Replace { reason, .. } if reason.starts_with("size is 20 but the spec wants 10")
        ));
    }
}
