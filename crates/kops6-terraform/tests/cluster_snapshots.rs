//! Snapshots of the whole cluster's `kubernetes.tf` and data files (SPEC 7), reviewed against
//! kOps' `tests/integration/update_cluster/minimal-ipv6{,-calico,-cilium}` and
//! `shared_vpc_ipv6`: resource types, names, tags and attributes match wherever kops6 renders
//! the same thing.

use std::collections::BTreeMap;

use ipnet::Ipv4Net;
use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::{DnsType, Topology};
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_model::{build_cluster, ClusterInputs, ResourceGraph, SshPublicKey, StateStoreAccess};
use kops6_terraform::{missing_variables, render_all, Resolved};

const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIQwK1dGq1bieOaTQjNMCz/eFc1FnKZ9QnNO+j70v8Ld test@kops6";

fn options(name: &str, zones: &[&str], networking: &str) -> NewClusterOptions {
    NewClusterOptions {
        name: name.into(),
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

#[track_caller]
fn graph(set: &ClusterSpecSet, inputs: &ClusterInputs) -> ResourceGraph {
    let completed = set
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("expected a valid spec, got:\n{e}"));
    build_cluster(&completed.cluster, &completed.instance_groups, inputs)
        .unwrap_or_else(|e| panic!("build_cluster failed: {e}"))
}

/// `kubernetes.tf`, then each data file under a `# ---- <path>` line.
fn render_text(set: &ClusterSpecSet, resolved: &Resolved) -> String {
    let r = render_all(&graph(set, &inputs(set)), resolved).unwrap();
    let mut out = r.main;
    for (path, text) in &r.files {
        out.push_str(&format!("\n# ---- {path}\n{text}\n"));
    }
    out
}

/// `create cluster --ipv6 --zones us-east-1a,us-east-1b --networking calico`.
pub fn private_calico() -> ClusterSpecSet {
    set_from(&options(
        "ipv6.example.com",
        &["us-east-1a", "us-east-1b"],
        "calico",
    ))
}

/// `--topology public --networking cilium`, one zone.
pub fn public_cilium() -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        topology: Some(Topology::Public),
        ..options("public.example.com", &["us-east-1a"], "cilium")
    })
}

/// Three zones, three control-plane instances, `--dns-zone example.com`, `--bastion`.
pub fn ha_dns() -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        control_plane_count: Some(3),
        bastion: true,
        dns: Some(DnsType::Public),
        dns_zone: Some("example.com".into()),
        ..options(
            "ha.example.com",
            &["us-east-1a", "us-east-1b", "us-east-1c"],
            "calico",
        )
    })
}

pub fn shared_vpc() -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        vpc: Some("vpc-0123456789abcdef0".into()),
        network_cidr: Some("10.1.0.0/16".parse::<Ipv4Net>().unwrap()),
        ..options("shared.example.com", &["us-east-1a"], "calico")
    })
}

#[test]
fn snapshot_cluster_private_calico() {
    insta::assert_snapshot!(render_text(&private_calico(), &Resolved::default()));
}

#[test]
fn snapshot_cluster_public_cilium() {
    insta::assert_snapshot!(render_text(&public_cilium(), &Resolved::default()));
}

#[test]
fn snapshot_cluster_ha_dns() {
    insta::assert_snapshot!(render_text(&ha_dns(), &Resolved::default()));
}

/// The shared VPC's egress-only gateway, found through AWS, is written as a literal: no
/// variable is left to ask for.
#[test]
fn snapshot_cluster_shared_vpc_resolved() {
    let resolved = Resolved {
        egress_only_internet_gateway: Some("eigw-0123456789abcdef0".into()),
    };
    let text = render_text(&shared_vpc(), &resolved);
    assert!(!text.contains("variable \""), "no variable once resolved");
    assert!(text.contains("egress_only_gateway_id = \"eigw-0123456789abcdef0\""));
    insta::assert_snapshot!(text);
}

#[test]
fn shared_vpc_offline_leaves_exactly_the_gateway_variable() {
    let set = shared_vpc();
    let g = graph(&set, &inputs(&set));
    let missing = missing_variables(&g, &Resolved::default());
    assert_eq!(
        missing.iter().map(|m| m.name).collect::<Vec<_>>(),
        vec!["egress_only_internet_gateway_id"]
    );
    let resolved = Resolved {
        egress_only_internet_gateway: Some("eigw-1".into()),
    };
    assert!(missing_variables(&g, &resolved).is_empty());
    let text = kops6_terraform::render(&g).unwrap();
    assert!(text.contains("variable \"egress_only_internet_gateway_id\""));
}

fn all() -> Vec<(&'static str, ClusterSpecSet)> {
    vec![
        ("private_calico", private_calico()),
        ("public_cilium", public_cilium()),
        ("ha_dns", ha_dns()),
        ("shared_vpc", shared_vpc()),
    ]
}

#[test]
fn cluster_rendering_is_byte_stable() {
    for (name, set) in all() {
        assert_eq!(
            render_text(&set, &Resolved::default()),
            render_text(&set, &Resolved::default()),
            "{name}"
        );
    }
}

/// Every address referenced (`aws_x.y.attr`, `data.aws_x.y.attr`) is declared once, and every
/// `file()`/`filebase64()` names a data file that is written.
#[test]
fn every_cluster_reference_is_declared_and_every_file_written() {
    for (name, set) in all() {
        let r = render_all(&graph(&set, &inputs(&set)), &Resolved::default()).unwrap();
        let text = &r.main;
        let mut declared = std::collections::BTreeSet::new();
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            if let ["resource" | "data", ty, label, "{"] = words.as_slice() {
                let addr = format!("{}.{}", ty.trim_matches('"'), label.trim_matches('"'));
                let addr = if words[0] == "data" {
                    format!("data.{addr}")
                } else {
                    addr
                };
                assert!(declared.insert(addr.clone()), "{name}: {addr} twice");
            }
        }
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c))) {
            let parts: Vec<&str> = word.split('.').collect();
            let addr = match parts.as_slice() {
                ["data", ty, label, _attr] if ty.starts_with("aws_") => {
                    format!("data.{ty}.{label}")
                }
                [ty, label, _attr] if ty.starts_with("aws_") => format!("{ty}.{label}"),
                _ => continue,
            };
            assert!(
                declared.contains(&addr),
                "{name}: {word} refers to an undeclared resource"
            );
        }
        for line in text.lines() {
            if let Some(at) = line.find("${path.module}/") {
                let rest = &line[at + "${path.module}/".len()..];
                let path = &rest[..rest.find('"').unwrap()];
                assert!(
                    r.files.contains_key(path),
                    "{name}: {path} is read but not written"
                );
            }
        }
    }
}

/// The real provider accepts every cluster file: `terraform init` from the local provider
/// mirror, then `terraform validate` (types, required attributes, references). Skipped, with a
/// `SKIPPED` line, where Terraform or the mirror is missing.
#[test]
fn terraform_validates_every_cluster_file() {
    let test = "terraform_validates_every_cluster_file";
    let terraform = match kops6_testsupport::Terraform::find() {
        Ok(t) => t,
        Err(why) => {
            kops6_testsupport::skip::<()>(test, &why);
            return;
        }
    };
    let resolved = Resolved {
        egress_only_internet_gateway: Some("eigw-0123456789abcdef0".into()),
    };
    for (name, set) in all() {
        let dir = tempfile::tempdir().unwrap();
        let g = graph(&set, &inputs(&set));
        kops6_terraform::write_with(&g, &resolved, dir.path()).unwrap();
        terraform.ok(
            dir.path(),
            &["init", "-input=false", "-no-color", "-backend=false"],
        );
        let out = terraform.run(dir.path(), &["validate", "-no-color"]);
        assert!(
            out.status.success(),
            "{name}: terraform validate failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// No DNS zone, user data as Terraform templates: each launch template reads its `data/`
/// file with `templatefile()`, giving it the API load balancer's DNS name, and the file is
/// kept byte for byte.
#[test]
fn snapshot_launch_template_with_a_user_data_template() {
    let set = private_calico();
    let template = "#cloud-config\n# KOPS6_API='${api_lb_dns_name}:443' echo \"$${HOME}\"\n";
    let inputs = ClusterInputs {
        user_data: set
            .instance_groups
            .iter()
            .map(|g| (g.metadata.name.clone(), template.to_string()))
            .collect(),
        user_data_needs_api_load_balancer: true,
        ..inputs(&set)
    };
    let r = render_all(&graph(&set, &inputs), &Resolved::default()).unwrap();
    let file = "data/aws_launch_template_nodes-us-east-1a.ipv6.example.com_user_data";
    assert_eq!(r.files[file], template, "the template is written as given");
    let start = r
        .main
        .find("resource \"aws_launch_template\" \"nodes-us-east-1a-ipv6-example-com\"")
        .expect("the nodes' launch template");
    let block = &r.main[start..];
    let block = &block[..block.find("\n}\n").expect("block end") + 3];
    insta::assert_snapshot!(block);
}
