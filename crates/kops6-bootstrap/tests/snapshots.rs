//! Reviewed snapshots of what bootstrap renders for the HA 3-zone IPv6 cluster. kubeadm and
//! kubelet configuration have no schema to check against, so these are read line by line.

mod common;

use common::*;

#[test]
fn kubeadm_init_configuration_first_control_plane() {
    let b = render("calico");
    insta::assert_snapshot!(written(
        group(&b, "control-plane-us-east-1a"),
        "/etc/kops6/kubeadm-init.yaml"
    )
    .unwrap());
}

#[test]
fn kubeadm_join_configuration_control_plane() {
    let b = render("calico");
    insta::assert_snapshot!(written(
        group(&b, "control-plane-us-east-1b"),
        "/etc/kops6/kubeadm-join.yaml"
    )
    .unwrap());
}

#[test]
fn kubeadm_join_configuration_node() {
    let b = render("calico");
    insta::assert_snapshot!(written(
        group(&b, "nodes-us-east-1a"),
        "/etc/kops6/kubeadm-join.yaml"
    )
    .unwrap());
}

#[test]
fn bootstrap_settings_per_role() {
    let b = render("calico");
    let env = |g| written(group(&b, g), "/etc/kops6/bootstrap.env").unwrap();
    insta::assert_snapshot!(format!(
        "# control-plane-us-east-1a\n{}\n# control-plane-us-east-1b\n{}\n# nodes-us-east-1a\n{}",
        env("control-plane-us-east-1a"),
        env("control-plane-us-east-1b"),
        env("nodes-us-east-1a")
    ));
}

/// The whole user data of a worker, minus the prelude (it is `src/prelude.sh` verbatim).
#[test]
fn node_user_data() {
    let b = render("calico");
    let u = group(&b, "nodes-us-east-1a");
    assert!(u.contains(&kops6_bootstrap::PRELUDE.lines().nth(2).unwrap().to_string()));
    let mut v = parse_user_data(u);
    for f in v["write_files"].as_array_mut().unwrap() {
        if f["path"] == "/etc/kops6/prelude.sh" {
            f["content"] = "<src/prelude.sh>".into();
        }
    }
    insta::assert_yaml_snapshot!(v);
}

#[test]
fn addon_manifests_calico() {
    for m in render("calico").addons {
        insta::assert_snapshot!(format!("addon_{}", m.name), m.yaml);
    }
}

#[test]
fn addon_manifest_cilium() {
    let b = render("cilium");
    let m = b.addons.iter().find(|m| m.name == "cilium").unwrap();
    insta::assert_snapshot!("addon_cilium", m.yaml);
}

/// The first control plane's Terraform template (no DNS zone), minus the prelude (it is
/// `src/prelude.sh` escaped): the placeholder wherever the API name goes.
#[test]
fn control_plane_user_data_template() {
    let b = template("calico");
    let u = group(&b, "control-plane-us-east-1a");
    let mut v = parse_user_data(u);
    for f in v["write_files"].as_array_mut().unwrap() {
        if f["path"] == "/etc/kops6/prelude.sh" {
            assert_eq!(
                f["content"].as_str().unwrap(),
                kops6_bootstrap::template::escape(kops6_bootstrap::PRELUDE)
            );
            f["content"] = "<src/prelude.sh, escaped>".into();
        }
    }
    insta::assert_yaml_snapshot!(v);
}
