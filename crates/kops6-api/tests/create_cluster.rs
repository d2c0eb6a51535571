//! `create cluster --ipv6` (SPEC 2): the subnets, instance groups and cluster fields it writes,
//! and snapshots of the whole YAML, reviewed against kOps' `create_cluster/ipv6` expected output.

use ipnet::{IpNet, Ipv4Net};
use kops6_api::new_cluster::{new_cluster, NewCluster, NewClusterError, NewClusterOptions};
use kops6_api::types::*;
use kops6_api::validate::ValidationContext;
use kops6_api::{write_documents, ClusterSpecSet, Format, Ipv6CidrSpec};

const NAME: &str = "ipv6.example.com";
const ZONES: [&str; 3] = ["us-test-1a", "us-test-1b", "us-test-1c"];

fn options(zone_count: usize) -> NewClusterOptions {
    NewClusterOptions {
        name: NAME.into(),
        zones: ZONES[..zone_count].iter().map(|z| z.to_string()).collect(),
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        ..Default::default()
    }
}

fn public(zone_count: usize) -> NewClusterOptions {
    NewClusterOptions {
        topology: Some(Topology::Public),
        ..options(zone_count)
    }
}

fn create(opts: &NewClusterOptions) -> NewCluster {
    new_cluster(opts).expect("valid create cluster options")
}

fn set(opts: &NewClusterOptions) -> ClusterSpecSet {
    let new = create(opts);
    ClusterSpecSet::new(new.cluster, new.instance_groups).unwrap()
}

fn yaml(opts: &NewClusterOptions) -> String {
    write_documents(&set(opts).documents(), Format::Yaml).unwrap()
}

/// One expected subnet: name, type, IPv4 CIDR, ipv6CIDR (the zone follows from the name).
type Row = (&'static str, SubnetType, Option<&'static str>, &'static str);

#[derive(Debug, PartialEq)]
struct SubnetSummary {
    name: String,
    subnet_type: SubnetType,
    cidr: Option<Ipv4Net>,
    ipv6_cidr: Option<Ipv6CidrSpec>,
    zone: String,
}

#[track_caller]
fn assert_subnets(new: &NewCluster, expected: &[Row]) {
    let got: Vec<SubnetSummary> = new
        .cluster
        .spec
        .subnets
        .iter()
        .map(|s| SubnetSummary {
            name: s.name.clone(),
            subnet_type: s.subnet_type,
            cidr: s.cidr,
            ipv6_cidr: s.ipv6_cidr,
            zone: s.zone.clone(),
        })
        .collect();
    let want: Vec<SubnetSummary> = expected
        .iter()
        .map(|(name, subnet_type, cidr, ipv6_cidr)| SubnetSummary {
            name: name.to_string(),
            subnet_type: *subnet_type,
            cidr: cidr.map(|c| c.parse().unwrap()),
            ipv6_cidr: Some(ipv6_cidr.parse().unwrap()),
            zone: name
                .trim_start_matches("dualstack-")
                .trim_start_matches("utility-")
                .to_string(),
        })
        .collect();
    assert_eq!(got, want);
}

#[derive(Debug, PartialEq)]
struct GroupSummary {
    name: String,
    role: InstanceGroupRole,
    subnets: Vec<String>,
    min_size: Option<u32>,
    max_size: Option<u32>,
}

/// (name, role, subnets, min = max size) of every group, in the order `create cluster` made them.
#[track_caller]
fn assert_groups(new: &NewCluster, expected: &[(&str, InstanceGroupRole, &[&str], u32)]) {
    let got: Vec<GroupSummary> = new
        .instance_groups
        .iter()
        .map(|g| GroupSummary {
            name: g.metadata.name.clone(),
            role: g.spec.role,
            subnets: g.spec.subnets.clone(),
            min_size: g.spec.min_size,
            max_size: g.spec.max_size,
        })
        .collect();
    let want: Vec<GroupSummary> = expected
        .iter()
        .map(|(name, role, subnets, size)| GroupSummary {
            name: name.to_string(),
            role: *role,
            subnets: subnets.iter().map(|x| x.to_string()).collect(),
            min_size: Some(*size),
            max_size: Some(*size),
        })
        .collect();
    assert_eq!(got, want);
    for g in &new.instance_groups {
        assert_eq!(g.cluster_name(), Some(NAME), "{}", g.metadata.name);
    }
}

use InstanceGroupRole::{Bastion, Master, Node};
use SubnetType::{DualStack, Private, Public, Utility};

// ---------------------------------------------------------------------------------------------
// SPEC 2.2-2.4: subnets, private topology

#[test]
fn ipv6_private_one_zone_subnets() {
    assert_subnets(
        &create(&options(1)),
        &[
            ("us-test-1a", Private, None, "/64#0"),
            (
                "dualstack-us-test-1a",
                DualStack,
                Some("172.20.64.0/18"),
                "/64#1",
            ),
            (
                "utility-us-test-1a",
                Utility,
                Some("172.20.0.0/21"),
                "/64#2",
            ),
        ],
    );
}

#[test]
fn ipv6_private_two_zone_subnets() {
    assert_subnets(
        &create(&options(2)),
        &[
            ("us-test-1a", Private, None, "/64#0"),
            ("us-test-1b", Private, None, "/64#1"),
            (
                "dualstack-us-test-1a",
                DualStack,
                Some("172.20.32.0/19"),
                "/64#2",
            ),
            (
                "dualstack-us-test-1b",
                DualStack,
                Some("172.20.64.0/19"),
                "/64#3",
            ),
            (
                "utility-us-test-1a",
                Utility,
                Some("172.20.0.0/22"),
                "/64#4",
            ),
            (
                "utility-us-test-1b",
                Utility,
                Some("172.20.4.0/22"),
                "/64#5",
            ),
        ],
    );
}

#[test]
fn ipv6_private_three_zone_subnets() {
    assert_subnets(
        &create(&options(3)),
        &[
            ("us-test-1a", Private, None, "/64#0"),
            ("us-test-1b", Private, None, "/64#1"),
            ("us-test-1c", Private, None, "/64#2"),
            (
                "dualstack-us-test-1a",
                DualStack,
                Some("172.20.32.0/19"),
                "/64#3",
            ),
            (
                "dualstack-us-test-1b",
                DualStack,
                Some("172.20.64.0/19"),
                "/64#4",
            ),
            (
                "dualstack-us-test-1c",
                DualStack,
                Some("172.20.96.0/19"),
                "/64#5",
            ),
            (
                "utility-us-test-1a",
                Utility,
                Some("172.20.0.0/22"),
                "/64#6",
            ),
            (
                "utility-us-test-1b",
                Utility,
                Some("172.20.4.0/22"),
                "/64#7",
            ),
            (
                "utility-us-test-1c",
                Utility,
                Some("172.20.8.0/22"),
                "/64#8",
            ),
        ],
    );
}

#[test]
fn ipv6_subnets_follow_sorted_zone_order() {
    let opts = NewClusterOptions {
        zones: vec!["us-test-1b".into(), "us-test-1a".into()],
        ..options(2)
    };
    let names: Vec<_> = create(&opts)
        .cluster
        .spec
        .subnets
        .iter()
        .map(|s| s.name.clone())
        .collect();
    assert_eq!(
        names,
        [
            "us-test-1a",
            "us-test-1b",
            "dualstack-us-test-1a",
            "dualstack-us-test-1b",
            "utility-us-test-1a",
            "utility-us-test-1b"
        ]
    );
}

#[test]
fn ipv6_allocation_index_is_written_in_lowercase_hex() {
    // Six zones, three subnets each: indexes run to 17 = 0x11, past 9 and a-f.
    let zones: Vec<String> = ('a'..='f').map(|l| format!("us-test-1{l}")).collect();
    let new = create(&NewClusterOptions {
        zones,
        ..options(1)
    });
    let written: Vec<String> = new
        .cluster
        .spec
        .subnets
        .iter()
        .map(|s| s.ipv6_cidr.unwrap().to_string())
        .collect();
    let expected: Vec<String> = (0..18).map(|i| format!("/64#{i:x}")).collect();
    assert_eq!(written, expected);
    assert!(written.contains(&"/64#a".to_string()));
    assert!(written.contains(&"/64#11".to_string()));
}

// ---------------------------------------------------------------------------------------------
// SPEC 2.2-2.4: subnets, public topology

#[test]
fn ipv6_public_one_zone_subnets() {
    assert_subnets(
        &create(&public(1)),
        &[("us-test-1a", Public, Some("172.20.0.0/16"), "/64#0")],
    );
}

#[test]
fn ipv6_public_two_zone_subnets() {
    assert_subnets(
        &create(&public(2)),
        &[
            ("us-test-1a", Public, Some("172.20.0.0/17"), "/64#0"),
            ("us-test-1b", Public, Some("172.20.128.0/17"), "/64#1"),
        ],
    );
}

#[test]
fn ipv6_public_three_zone_subnets() {
    assert_subnets(
        &create(&public(3)),
        &[
            ("us-test-1a", Public, Some("172.20.0.0/18"), "/64#0"),
            ("us-test-1b", Public, Some("172.20.64.0/18"), "/64#1"),
            ("us-test-1c", Public, Some("172.20.128.0/18"), "/64#2"),
        ],
    );
}

#[test]
fn ipv4_cidrs_are_carved_from_a_custom_network_cidr() {
    let new = create(&NewClusterOptions {
        network_cidr: Some("10.1.0.0/16".parse().unwrap()),
        ..options(1)
    });
    let cidrs: Vec<_> = new
        .cluster
        .spec
        .subnets
        .iter()
        .map(|s| s.cidr.map(|c| c.to_string()))
        .collect();
    assert_eq!(
        cidrs,
        [
            None,
            Some("10.1.64.0/18".into()),
            Some("10.1.0.0/21".into())
        ]
    );
    assert_eq!(
        new.cluster.spec.network_cidr,
        Some("10.1.0.0/16".parse().unwrap())
    );
}

// ---------------------------------------------------------------------------------------------
// SPEC 2.5: instance groups

#[test]
fn ipv6_private_instance_groups_one_zone() {
    assert_groups(
        &create(&options(1)),
        &[
            (
                "control-plane-us-test-1a",
                Master,
                &["dualstack-us-test-1a"],
                1,
            ),
            ("nodes-us-test-1a", Node, &["us-test-1a"], 1),
        ],
    );
}

#[test]
fn ipv6_private_instance_groups_three_zones() {
    assert_groups(
        &create(&options(3)),
        &[
            (
                "control-plane-us-test-1a",
                Master,
                &["dualstack-us-test-1a"],
                1,
            ),
            ("nodes-us-test-1a", Node, &["us-test-1a"], 1),
            ("nodes-us-test-1b", Node, &["us-test-1b"], 1),
            ("nodes-us-test-1c", Node, &["us-test-1c"], 1),
        ],
    );
}

#[test]
fn ipv6_public_instance_groups_two_zones() {
    assert_groups(
        &create(&public(2)),
        &[
            ("control-plane-us-test-1a", Master, &["us-test-1a"], 1),
            ("nodes-us-test-1a", Node, &["us-test-1a"], 1),
            ("nodes-us-test-1b", Node, &["us-test-1b"], 1),
        ],
    );
}

#[test]
fn ipv6_bastion_lives_in_every_dualstack_subnet() {
    let new = create(&NewClusterOptions {
        bastion: true,
        ..options(3)
    });
    assert_groups(
        &new,
        &[
            (
                "control-plane-us-test-1a",
                Master,
                &["dualstack-us-test-1a"],
                1,
            ),
            ("nodes-us-test-1a", Node, &["us-test-1a"], 1),
            ("nodes-us-test-1b", Node, &["us-test-1b"], 1),
            ("nodes-us-test-1c", Node, &["us-test-1c"], 1),
            (
                "bastions",
                Bastion,
                &[
                    "dualstack-us-test-1a",
                    "dualstack-us-test-1b",
                    "dualstack-us-test-1c",
                ],
                1,
            ),
        ],
    );
    assert_eq!(
        new.cluster.spec.topology.unwrap().bastion,
        None,
        "no DNS zone: kOps writes no bastionPublicName (create_cluster/private golden test)"
    );
}

#[test]
fn bastion_gets_a_public_name_only_with_a_dns_zone() {
    let new = create(&NewClusterOptions {
        bastion: true,
        dns_zone: Some("example.com".into()),
        ..options(1)
    });
    let topology = new.cluster.spec.topology.unwrap();
    assert_eq!(topology.dns.map(|d| d.dns_type), Some(DnsType::Public));
    assert_eq!(
        topology
            .bastion
            .and_then(|b| b.bastion_public_name)
            .as_deref(),
        Some("bastion.ipv6.example.com"),
        "as kOps' create_cluster/different-amis golden test (dns public)"
    );
    let none = create(&NewClusterOptions {
        bastion: true,
        dns_zone: Some("example.com".into()),
        dns: Some(DnsType::None),
        ..options(1)
    });
    assert_eq!(none.cluster.spec.topology.unwrap().bastion, None);
}

#[test]
fn ipv4_bastion_lives_in_the_private_subnets_like_kops() {
    let new = create(&NewClusterOptions {
        bastion: true,
        ipv6: false,
        topology: Some(Topology::Private),
        networking: Some("cni".into()),
        ..options(2)
    });
    let bastion = new
        .instance_groups
        .iter()
        .find(|g| g.metadata.name == "bastions")
        .expect("a bastion group");
    assert_eq!(bastion.spec.subnets, ["us-test-1a", "us-test-1b"]);
}

#[test]
fn bastion_with_public_topology_is_an_error() {
    let err = new_cluster(&NewClusterOptions {
        bastion: true,
        ..public(1)
    })
    .unwrap_err();
    assert!(matches!(err, NewClusterError::Bastion(_)), "{err:?}");
}

#[test]
fn three_control_plane_nodes_in_three_zones() {
    let new = create(&NewClusterOptions {
        control_plane_count: Some(3),
        ..options(3)
    });
    let control_plane: Vec<(String, Vec<String>)> = new
        .instance_groups
        .iter()
        .filter(|g| g.spec.role == Master)
        .map(|g| (g.metadata.name.clone(), g.spec.subnets.clone()))
        .collect();
    assert_eq!(
        control_plane,
        ["a", "b", "c"]
            .iter()
            .map(|z| (
                format!("control-plane-us-test-1{z}"),
                vec![format!("dualstack-us-test-1{z}")]
            ))
            .collect::<Vec<_>>()
    );
    let etcd: Vec<(String, Vec<(String, String)>)> = new
        .cluster
        .spec
        .etcd_clusters
        .iter()
        .map(|e| {
            (
                e.name.clone(),
                e.etcd_members
                    .iter()
                    .map(|m| (m.name.clone(), m.instance_group.clone()))
                    .collect(),
            )
        })
        .collect();
    let members: Vec<(String, String)> = ["a", "b", "c"]
        .iter()
        .map(|z| (z.to_string(), format!("control-plane-us-test-1{z}")))
        .collect();
    assert_eq!(
        etcd,
        vec![
            ("main".to_string(), members.clone()),
            ("events".to_string(), members)
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// SPEC 2.1, 2.5, 2.6: cluster fields

#[test]
fn ipv6_sets_ipv6_mode_and_the_cloud_controller_manager() {
    for opts in [options(1), public(1)] {
        let spec = create(&opts).cluster.spec;
        assert_eq!(spec.non_masquerade_cidr, Some("::/0".parse().unwrap()));
        assert!(spec.is_ipv6());
        assert_eq!(
            spec.cloud_controller_manager,
            Some(CloudControllerManagerConfig::default())
        );
        assert_eq!(spec.cloud_provider, Some(CloudProvider::Aws));
        assert_eq!(spec.network_cidr, Some("172.20.0.0/16".parse().unwrap()));
    }
}

#[test]
fn ipv6_defaults_to_private_topology() {
    let spec = create(&options(1)).cluster.spec;
    assert!(spec.subnets.iter().any(|s| s.subnet_type == Private));
    let spec = create(&public(1)).cluster.spec;
    assert!(spec.subnets.iter().all(|s| s.subnet_type == Public));
}

#[test]
fn api_gets_a_public_network_load_balancer() {
    for opts in [options(1), public(1), options(3), public(3)] {
        let api = create(&opts).cluster.spec.api.unwrap();
        assert_eq!(api.dns, None);
        let lb = api.load_balancer.unwrap();
        assert_eq!(lb.class, Some(LoadBalancerClass::Network));
        assert_eq!(lb.lb_type, LoadBalancerType::Public);
    }
}

#[test]
fn api_load_balancer_type_internal_is_kept_and_always_makes_a_load_balancer() {
    // kOps `setupAPI`: --api-loadbalancer-type makes a load balancer even where a public
    // topology with DNS would get `api.dns`.
    for opts in [options(1), public(1)] {
        let api = create(&NewClusterOptions {
            api_load_balancer_type: Some(LoadBalancerType::Internal),
            dns_zone: Some("example.com".into()),
            ..opts
        })
        .cluster
        .spec
        .api
        .unwrap();
        assert_eq!(api.dns, None);
        assert_eq!(
            api.load_balancer.unwrap().lb_type,
            LoadBalancerType::Internal
        );
    }
}

#[test]
fn no_dns_zone_means_dns_type_none() {
    for opts in [options(1), public(2)] {
        let topology = create(&opts).cluster.spec.topology.unwrap();
        assert_eq!(
            topology.dns,
            Some(DnsSpec {
                dns_type: DnsType::None
            })
        );
    }
}

#[test]
fn admin_and_ssh_access_default_to_everyone_over_both_families() {
    let everyone: Vec<IpNet> = vec!["0.0.0.0/0".parse().unwrap(), "::/0".parse().unwrap()];
    for opts in [options(1), public(1)] {
        let spec = create(&opts).cluster.spec;
        assert_eq!(spec.kubernetes_api_access, everyone);
        assert_eq!(spec.ssh_access, everyone);
    }
}

#[test]
fn given_access_lists_are_kept() {
    let admin: Vec<IpNet> = vec!["2001:db8::/32".parse().unwrap()];
    let ssh: Vec<IpNet> = vec!["203.0.113.0/24".parse().unwrap()];
    let spec = create(&NewClusterOptions {
        admin_access: admin.clone(),
        ssh_access: ssh.clone(),
        ..options(1)
    })
    .cluster
    .spec;
    assert_eq!(spec.kubernetes_api_access, admin);
    assert_eq!(spec.ssh_access, ssh);
}

#[test]
fn ssh_access_defaults_to_the_admin_access_like_kops() {
    let admin: Vec<IpNet> = vec!["2001:db8::/32".parse().unwrap()];
    let spec = create(&NewClusterOptions {
        admin_access: admin.clone(),
        ..options(1)
    })
    .cluster
    .spec;
    assert_eq!(spec.kubernetes_api_access.len(), 1);
    assert_eq!(spec.ssh_access, spec.kubernetes_api_access);
}

fn etcd_members(new: &NewCluster) -> Vec<(String, String)> {
    new.cluster.spec.etcd_clusters[0]
        .etcd_members
        .iter()
        .map(|m| (m.instance_group.clone(), m.name.clone()))
        .collect()
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn etcd_members_of_three_control_planes_in_one_zone_are_named_like_kops() {
    // kOps golden test create_cluster/ha_shared_zone.
    let new = create(&NewClusterOptions {
        control_plane_count: Some(3),
        ..options(1)
    });
    assert_eq!(
        etcd_members(&new),
        pairs(&[
            ("control-plane-us-test-1a-1", "etcd-1"),
            ("control-plane-us-test-1a-2", "etcd-2"),
            ("control-plane-us-test-1a-3", "etcd-3"),
        ])
    );
}

#[test]
fn etcd_members_of_five_control_planes_in_two_zones_take_turns_like_kops() {
    // kOps golden test create_cluster/ha_shared_zones.
    let new = create(&NewClusterOptions {
        control_plane_count: Some(5),
        control_plane_zones: vec!["us-test-1a".into(), "us-test-1b".into()],
        ..options(2)
    });
    assert_eq!(
        etcd_members(&new),
        pairs(&[
            ("control-plane-us-test-1a-1", "a-1"),
            ("control-plane-us-test-1b-1", "b-1"),
            ("control-plane-us-test-1a-2", "a-2"),
            ("control-plane-us-test-1b-2", "b-2"),
            ("control-plane-us-test-1a-3", "a-3"),
        ])
    );
}

#[test]
fn ipv6_with_a_cloud_other_than_aws_is_an_error() {
    for cloud in [
        CloudProvider::Gce,
        CloudProvider::Azure,
        CloudProvider::Openstack,
    ] {
        let err = new_cluster(&NewClusterOptions {
            cloud: Some(cloud),
            ..options(1)
        })
        .unwrap_err();
        match err {
            NewClusterError::Ipv6(message) => assert!(message.contains(cloud.as_str())),
            other => panic!("expected an --ipv6 error, got {other:?}"),
        }
    }
}

#[test]
fn created_clusters_validate() {
    for opts in [
        options(1),
        options(2),
        options(3),
        public(1),
        public(2),
        public(3),
    ] {
        set(&opts)
            .check(&ValidationContext::default())
            .unwrap_or_else(|e| panic!("{} zones: {e}", opts.zones.len()));
    }
}

#[test]
fn created_yaml_reads_back_to_the_same_spec() {
    for opts in [options(1), options(3), public(2)] {
        let written = yaml(&opts);
        let docs = kops6_api::parse_documents(&written).unwrap();
        let back = ClusterSpecSet::from_documents(docs).unwrap();
        assert_eq!(back, set(&opts));
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshots of the whole YAML. Compared with kOps' tests/integration/create_cluster/ipv6
// expected output: the same fields and values, except what kOps' test harness sets
// (creationTimestamp, configBase) and the machine types and image, which are kops6's defaults.

#[test]
fn snapshot_ipv6_private_one_zone() {
    insta::assert_snapshot!(yaml(&options(1)));
}

#[test]
fn snapshot_ipv6_private_two_zones() {
    insta::assert_snapshot!(yaml(&options(2)));
}

#[test]
fn snapshot_ipv6_private_three_zones() {
    insta::assert_snapshot!(yaml(&options(3)));
}

#[test]
fn snapshot_ipv6_public_one_zone() {
    insta::assert_snapshot!(yaml(&public(1)));
}
