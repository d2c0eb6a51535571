//! The SPEC 7 infrastructure proven with real Terraform against moto on loopback: the rendered
//! `kubernetes.tf` and data files go through `terraform init/validate/apply`, every new kind is
//! read back through the AWS API and checked (`kops6_testsupport::cluster`, shared with the
//! direct-apply tests), and a second `plan -detailed-exitcode` must be empty.
//!
//! These drive the library (`build_cluster` + `write_with`), not the CLI binary, so they run
//! without building the AWS SDK. Skipped, with a `SKIPPED` line, without Terraform or its
//! provider mirror.

use std::collections::BTreeMap;

use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::{DnsType, Topology};
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_model::{build_cluster, ClusterInputs, SshPublicKey, StateStoreAccess};
use kops6_terraform::Resolved;
use kops6_testsupport::cluster::*;
use kops6_testsupport::network::C;
use kops6_testsupport::{aws, skip, Moto, Terraform};
use serde_json::Value;

const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIQwK1dGq1bieOaTQjNMCz/eFc1FnKZ9QnNO+j70v8Ld test@kops6";
/// The AMI each scenario registers in moto first: moto's own Ubuntu images (14.04, 16.04) fail
/// the IPv6 image rules, as they should.
const IMAGE_NAME: &str = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305";

struct Bed {
    moto: Moto,
    terraform: Terraform,
    dir: tempfile::TempDir,
}

impl Bed {
    fn new(test: &str) -> Option<Bed> {
        let terraform = match Terraform::find() {
            Ok(t) => t,
            Err(why) => return skip(test, &why),
        };
        Some(Bed {
            moto: Moto::start(),
            terraform,
            dir: tempfile::tempdir().expect("temp dir"),
        })
    }

    fn aws(&self, args: &[&str]) -> Value {
        aws(&self.moto.endpoint(), args)
    }

    /// Points every group at an image registered in moto, as `OWNER/NAME` with a wildcard;
    /// returns its id.
    fn with_image(&self, set: &mut ClusterSpecSet) -> String {
        let img = self.aws(&["image", "--name", IMAGE_NAME]);
        let owner = img["ownerId"].as_str().expect("owner");
        for g in &mut set.instance_groups {
            g.spec.image = Some(format!(
                "{owner}/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"
            ));
        }
        img["imageId"].as_str().expect("image id").to_string()
    }

    /// Renders, applies, checks that a second plan has no changes; returns the read-back of
    /// the cluster and of its network.
    fn apply(&self, set: &ClusterSpecSet, resolved: &Resolved) -> (Value, Value) {
        let completed = set
            .check(&ValidationContext::default())
            .unwrap_or_else(|e| panic!("expected a valid spec, got:\n{e}"));
        let graph = build_cluster(&completed.cluster, &completed.instance_groups, &inputs(set))
            .unwrap_or_else(|e| panic!("build_cluster failed: {e}"));
        let tf = self.dir.path().join("tf");
        kops6_terraform::write_with(&graph, resolved, &tf).expect("written");
        std::fs::write(
            tf.join("kubernetes_override.tf"),
            Terraform::moto_override(&self.moto.endpoint()),
        )
        .expect("override written");
        let t = &self.terraform;
        t.ok(&tf, &["init", "-input=false", "-no-color"]);
        t.ok(&tf, &["validate", "-no-color"]);
        t.ok(
            &tf,
            &["apply", "-auto-approve", "-input=false", "-no-color"],
        );
        let second = t.run(
            &tf,
            &["plan", "-detailed-exitcode", "-input=false", "-no-color"],
        );
        assert_eq!(
            second.status.code(),
            Some(0),
            "a second plan must report no changes:\n{}{}",
            String::from_utf8_lossy(&second.stdout),
            String::from_utf8_lossy(&second.stderr)
        );
        let vpc_id = t.ok(&tf, &["output", "-raw", "vpc_id"]);
        let net = self.aws(&["network", "--vpc-id", vpc_id.trim()]);
        (self.aws(&["cluster", "--cluster", set.name()]), net)
    }
}

fn inputs(set: &ClusterSpecSet) -> ClusterInputs {
    let c = set.name();
    ClusterInputs {
        ssh_public_key: Some(SshPublicKey::parse(KEY).unwrap()),
        user_data: set
            .instance_groups
            .iter()
            .map(|g| {
                (
                    g.metadata.name.clone(),
                    format!("#cloud-config\n# {}\n", g.metadata.name),
                )
            })
            .collect::<BTreeMap<_, _>>(),
        state_store: Some(StateStoreAccess {
            bucket: "kops6-state".into(),
            control_plane_read: vec![format!("{c}/pki/")],
            node_read: vec![format!("{c}/pki/join/")],
        }),
        user_data_needs_api_load_balancer: false,
    }
}

fn options(zones: &[&str], networking: &str) -> NewClusterOptions {
    NewClusterOptions {
        name: C.into(),
        zones: zones.iter().map(|z| z.to_string()).collect(),
        ipv6: true,
        networking: Some(networking.into()),
        kubernetes_version: Some("v1.35.0".into()),
        ..Default::default()
    }
}

fn set_from(opts: &NewClusterOptions) -> ClusterSpecSet {
    let new = new_cluster(opts).expect("create cluster options are valid");
    ClusterSpecSet::new(new.cluster, new.instance_groups).expect("new cluster is a valid set")
}

#[test]
fn two_zone_private_calico_cluster_applies_as_spec_7_says() {
    let Some(bed) = Bed::new("two_zone_private_calico_cluster_applies_as_spec_7_says") else {
        return;
    };
    let mut set = set_from(&options(&["us-east-1a", "us-east-1b"], "calico"));
    let image_id = bed.with_image(&mut set);
    let (got, net) = bed.apply(&set, &Resolved::default());
    expect_cluster(
        &got,
        &net,
        &Shape {
            groups: &[
                Group {
                    name: "control-plane-us-east-1a",
                    control_plane: true,
                    subnets: &["dualstack-us-east-1a"],
                    min: 1,
                    max: 1,
                    public: false,
                    bastion: false,
                },
                Group {
                    name: "nodes-us-east-1a",
                    control_plane: false,
                    subnets: &["us-east-1a"],
                    min: 1,
                    max: 1,
                    public: false,
                    bastion: false,
                },
                Group {
                    name: "nodes-us-east-1b",
                    control_plane: false,
                    subnets: &["us-east-1b"],
                    min: 1,
                    max: 1,
                    public: false,
                    bastion: false,
                },
            ],
            load_balancer_subnets: &["utility-us-east-1a", "utility-us-east-1b"],
            etcd_zones: &["us-east-1a"],
            calico: true,
            dns_zone: None,
            image_id: &image_id,
            key_pair: &key_pair_name(),
        },
    );
}

fn key_pair_name() -> String {
    SshPublicKey::parse(KEY).unwrap().key_pair_name(C)
}

#[test]
fn public_topology_cilium_cluster_applies_as_spec_7_says() {
    let Some(bed) = Bed::new("public_topology_cilium_cluster_applies_as_spec_7_says") else {
        return;
    };
    let mut set = set_from(&NewClusterOptions {
        topology: Some(Topology::Public),
        ..options(&["us-east-1a", "us-east-1b"], "cilium")
    });
    let image_id = bed.with_image(&mut set);
    let (got, net) = bed.apply(&set, &Resolved::default());
    expect_cluster(
        &got,
        &net,
        &Shape {
            groups: &[
                Group::new("control-plane-us-east-1a", true, &["us-east-1a"], true),
                Group::new("nodes-us-east-1a", false, &["us-east-1a"], true),
                Group::new("nodes-us-east-1b", false, &["us-east-1b"], true),
            ],
            load_balancer_subnets: &["us-east-1a", "us-east-1b"],
            etcd_zones: &["us-east-1a"],
            calico: false,
            dns_zone: None,
            image_id: &image_id,
            key_pair: &key_pair_name(),
        },
    );
}

/// With `--bastion` too: the bastion's NLB, its groups and rules, and its public name in DNS.
#[test]
fn ha_three_zone_cluster_with_a_dns_zone_applies_as_spec_7_says() {
    let Some(bed) = Bed::new("ha_three_zone_cluster_with_a_dns_zone_applies_as_spec_7_says") else {
        return;
    };
    bed.aws(&["hosted-zone", "--name", "example.com"]);
    let mut set = set_from(&NewClusterOptions {
        control_plane_count: Some(3),
        dns: Some(DnsType::Public),
        dns_zone: Some("example.com".into()),
        bastion: true,
        ..options(&["us-east-1a", "us-east-1b", "us-east-1c"], "calico")
    });
    let image_id = bed.with_image(&mut set);
    let (got, net) = bed.apply(&set, &Resolved::default());
    expect_cluster(
        &got,
        &net,
        &Shape {
            groups: &[
                Group::new(
                    "control-plane-us-east-1a",
                    true,
                    &["dualstack-us-east-1a"],
                    false,
                ),
                Group::new(
                    "control-plane-us-east-1b",
                    true,
                    &["dualstack-us-east-1b"],
                    false,
                ),
                Group::new(
                    "control-plane-us-east-1c",
                    true,
                    &["dualstack-us-east-1c"],
                    false,
                ),
                Group::new("nodes-us-east-1a", false, &["us-east-1a"], false),
                Group::new("nodes-us-east-1b", false, &["us-east-1b"], false),
                Group::new("nodes-us-east-1c", false, &["us-east-1c"], false),
                Group {
                    bastion: true,
                    ..Group::new(
                        "bastions",
                        false,
                        &[
                            "dualstack-us-east-1a",
                            "dualstack-us-east-1b",
                            "dualstack-us-east-1c",
                        ],
                        false,
                    )
                },
            ],
            load_balancer_subnets: &[
                "utility-us-east-1a",
                "utility-us-east-1b",
                "utility-us-east-1c",
            ],
            etcd_zones: &["us-east-1a", "us-east-1b", "us-east-1c"],
            calico: true,
            dns_zone: Some("example.com"),
            image_id: &image_id,
            key_pair: &key_pair_name(),
        },
    );
}

/// A shared VPC's egress-only gateway, found through AWS, is written as a literal: `terraform
/// apply` needs no `-var` (the "No value for required variable" failure is gone).
#[test]
fn shared_vpc_cluster_applies_with_the_gateway_written_in() {
    let Some(bed) = Bed::new("shared_vpc_cluster_applies_with_the_gateway_written_in") else {
        return;
    };
    let shared = bed.aws(&["shared-vpc", "--cidr", "10.1.0.0/16"]);
    let vpc_id = shared["vpcId"].as_str().expect("vpc").to_string();
    let igw = shared["internetGatewayId"]
        .as_str()
        .expect("igw")
        .to_string();
    let eigw = shared["egressOnlyInternetGatewayId"]
        .as_str()
        .expect("eigw")
        .to_string();
    let mut set = set_from(&NewClusterOptions {
        vpc: Some(vpc_id.clone()),
        network_cidr: Some("10.1.0.0/16".parse().unwrap()),
        ..options(&["us-east-1a"], "calico")
    });
    let image_id = bed.with_image(&mut set);
    let resolved = Resolved {
        egress_only_internet_gateway: Some(eigw.clone()),
    };
    let (got, net) = bed.apply(&set, &resolved);
    kops6_testsupport::network::expect_shared_vpc(&net, &vpc_id, &igw, &eigw);
    expect_cluster(
        &got,
        &net,
        &Shape {
            groups: &[
                Group::new(
                    "control-plane-us-east-1a",
                    true,
                    &["dualstack-us-east-1a"],
                    false,
                ),
                Group::new("nodes-us-east-1a", false, &["us-east-1a"], false),
            ],
            load_balancer_subnets: &["utility-us-east-1a"],
            etcd_zones: &["us-east-1a"],
            calico: true,
            dns_zone: None,
            image_id: &image_id,
            key_pair: &key_pair_name(),
        },
    );
    for (_, sg) in got["securityGroups"].as_object().expect("groups") {
        assert_eq!(
            sg["vpcId"],
            vpc_id.as_str(),
            "groups live in the shared VPC"
        );
    }
}
