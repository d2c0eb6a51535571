//! Snapshots of `kubernetes.tf` for the clusters SPEC 6 distinguishes, reviewed like code: each
//! was read against SPEC 6's routing table, names and tags before it was accepted.
//!
//! Every spec starts as `create cluster` writes it and is edited the way a user would; it is
//! completed and validated (`ClusterSpecSet::check`) before the network is built and rendered.

use ipnet::Ipv4Net;
use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::{Egress, Topology};
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_model::{build_network, ResourceGraph};

const NAME: &str = "ipv6.example.com";

fn options(zones: &[&str]) -> NewClusterOptions {
    NewClusterOptions {
        name: NAME.into(),
        zones: zones.iter().map(|z| z.to_string()).collect(),
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        ..Default::default()
    }
}

fn set_from(opts: &NewClusterOptions) -> ClusterSpecSet {
    let new = new_cluster(opts).expect("create cluster options are valid");
    ClusterSpecSet::new(new.cluster, new.instance_groups).expect("new cluster is a valid set")
}

/// Sets `edit` on every subnet of `set` named in `names`.
fn edit_subnets(
    set: &mut ClusterSpecSet,
    names: &[&str],
    edit: impl Fn(&mut kops6_api::types::ClusterSubnetSpec),
) {
    for name in names {
        let s = set
            .cluster
            .spec
            .subnets
            .iter_mut()
            .find(|s| s.name == *name)
            .unwrap_or_else(|| panic!("no subnet {name}"));
        edit(s);
    }
}

#[track_caller]
fn graph(set: &ClusterSpecSet) -> ResourceGraph {
    let completed = set
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("expected a valid spec, got:\n{e}"));
    build_network(&completed.cluster).unwrap_or_else(|e| panic!("build_network failed: {e}"))
}

#[track_caller]
fn render(set: &ClusterSpecSet) -> String {
    kops6_terraform::render(&graph(set)).unwrap_or_else(|e| panic!("render failed: {e}"))
}

/// `create cluster --ipv6 --zones us-east-1a,us-east-1b --networking calico`.
fn ipv6_private_two_zones() -> ClusterSpecSet {
    set_from(&options(&["us-east-1a", "us-east-1b"]))
}

fn ipv6_public_one_zone() -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        topology: Some(Topology::Public),
        ..options(&["us-east-1a"])
    })
}

fn shared_vpc() -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        vpc: Some("vpc-0123456789abcdef0".into()),
        network_cidr: Some("10.1.0.0/16".parse::<Ipv4Net>().unwrap()),
        ..options(&["us-east-1a"])
    })
}

/// Zone a leaves through a transit gateway; zone b's IPv6-only subnet is routed outside kops6
/// (its DualStack subnet still uses the zone's NAT gateway).
fn tgw_egress_and_external_subnet() -> ClusterSpecSet {
    let mut set = ipv6_private_two_zones();
    edit_subnets(&mut set, &["us-east-1a", "dualstack-us-east-1a"], |s| {
        s.egress = Some("tgw-0123456789abcdef0".parse().unwrap())
    });
    edit_subnets(&mut set, &["us-east-1b"], |s| {
        s.egress = Some(Egress::External)
    });
    set
}

fn public_ip() -> ClusterSpecSet {
    let mut set = set_from(&options(&["us-east-1a"]));
    edit_subnets(&mut set, &["us-east-1a", "dualstack-us-east-1a"], |s| {
        s.public_ip = Some("203.0.113.10".into())
    });
    set
}

fn eipalloc_egress() -> ClusterSpecSet {
    let mut set = set_from(&options(&["us-east-1a"]));
    edit_subnets(&mut set, &["us-east-1a", "dualstack-us-east-1a"], |s| {
        s.egress = Some("eipalloc-0123456789abcdef0".parse().unwrap())
    });
    set
}

/// `create cluster --topology private --zones us-east-1a,us-east-1b` without `--ipv6`.
fn ipv4_private_two_zones() -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        name: "ipv4.example.com".into(),
        ipv6: false,
        topology: Some(Topology::Private),
        ..options(&["us-east-1a", "us-east-1b"])
    })
}

#[test]
fn snapshot_ipv6_private_two_zones() {
    insta::assert_snapshot!(render(&ipv6_private_two_zones()));
}

#[test]
fn snapshot_ipv6_public_one_zone() {
    insta::assert_snapshot!(render(&ipv6_public_one_zone()));
}

#[test]
fn snapshot_shared_vpc() {
    insta::assert_snapshot!(render(&shared_vpc()));
}

#[test]
fn snapshot_tgw_egress_and_external_subnet() {
    insta::assert_snapshot!(render(&tgw_egress_and_external_subnet()));
}

#[test]
fn snapshot_public_ip() {
    insta::assert_snapshot!(render(&public_ip()));
}

#[test]
fn snapshot_eipalloc_egress() {
    insta::assert_snapshot!(render(&eipalloc_egress()));
}

#[test]
fn snapshot_ipv4_private_two_zones() {
    insta::assert_snapshot!(render(&ipv4_private_two_zones()));
}

fn all_specs() -> Vec<(&'static str, ClusterSpecSet)> {
    vec![
        ("ipv6_private_two_zones", ipv6_private_two_zones()),
        ("ipv6_public_one_zone", ipv6_public_one_zone()),
        ("shared_vpc", shared_vpc()),
        (
            "tgw_egress_and_external_subnet",
            tgw_egress_and_external_subnet(),
        ),
        ("public_ip", public_ip()),
        ("eipalloc_egress", eipalloc_egress()),
        ("ipv4_private_two_zones", ipv4_private_two_zones()),
    ]
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for (name, set) in all_specs() {
        let g = graph(&set);
        let first = kops6_terraform::render(&g).unwrap();
        let second = kops6_terraform::render(&g).unwrap();
        assert_eq!(first.as_bytes(), second.as_bytes(), "{name}");
        // A graph rebuilt from the same spec renders the same bytes too.
        assert_eq!(
            kops6_terraform::render(&graph(&set)).unwrap().as_bytes(),
            first.as_bytes(),
            "{name}"
        );
    }
}

/// Every resource address is declared once, and every `aws_*.x.id` reference names a declared
/// resource (what `terraform validate` would reject first, checked without the provider).
#[test]
fn every_reference_names_a_declared_resource() {
    for (name, set) in all_specs() {
        let text = render(&set);
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
            let Some(addr) = word.strip_suffix(".id") else {
                continue;
            };
            if addr.starts_with("aws_") || addr.starts_with("data.aws_") {
                assert!(
                    declared.contains(addr),
                    "{name}: {word} refers to an undeclared resource"
                );
            }
        }
    }
}

/// Terraform itself parses every rendered file, when it is installed (`terraform fmt` without
/// `-check` fails only on syntax errors; alignment is not checked, and `validate` would need the
/// provider).
#[test]
fn rendered_files_parse_as_terraform_configuration() {
    let Ok(out) = std::process::Command::new("terraform")
        .arg("version")
        .output()
    else {
        eprintln!("terraform is not on PATH: skipped");
        return;
    };
    if !out.status.success() {
        eprintln!("terraform does not run: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, set) in all_specs() {
        let path = dir.path().join(format!("{name}.tf"));
        std::fs::write(&path, render(&set)).unwrap();
    }
    let out = std::process::Command::new("terraform")
        .args(["fmt", "-write=false", "-list=false", "-no-color"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "terraform cannot parse the rendered files:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
