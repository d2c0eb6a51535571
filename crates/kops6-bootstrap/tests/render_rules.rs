//! SPEC 8's rules for what bootstrap renders, one test per rule.

mod common;

use common::*;
use kops6_bootstrap::kubeadm::*;
use kops6_bootstrap::{BootstrapError, USER_DATA_LIMIT};

const INIT: &str = "/etc/kops6/kubeadm-init.yaml";
const JOIN: &str = "/etc/kops6/kubeadm-join.yaml";
const ENV: &str = "/etc/kops6/bootstrap.env";

fn docs(text: &str) -> Vec<&str> {
    text.split("---\n").collect()
}

#[test]
fn every_joining_group_gets_user_data_and_bastions_none() {
    let b = render("calico");
    let names: Vec<&str> = b.groups.iter().map(|g| g.instance_group.as_str()).collect();
    assert_eq!(
        names,
        [
            "control-plane-us-east-1a",
            "control-plane-us-east-1b",
            "control-plane-us-east-1c",
            "nodes-us-east-1a",
            "nodes-us-east-1b",
            "nodes-us-east-1c",
        ]
    );
}

#[test]
fn user_data_is_at_most_16_kib() {
    for cni in ["calico", "cilium", "cni"] {
        for g in every_rendering(cni).into_iter().flat_map(|b| b.groups) {
            assert!(
                g.user_data.len() <= USER_DATA_LIMIT,
                "{}: {}",
                g.instance_group,
                g.user_data.len()
            );
        }
    }
}

#[test]
fn user_data_holds_no_private_key_or_token() {
    for g in every_rendering("cilium").into_iter().flat_map(|b| b.groups) {
        let u = &g.user_data;
        assert!(!u.contains("PRIVATE KEY"), "{}", g.instance_group);
        assert!(!u.contains("BEGIN CERTIFICATE"), "{}", g.instance_group);
        // kubeadm bootstrap tokens look like [a-z0-9]{6}.[a-z0-9]{16}.
        let token_like = u
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
            .any(|w| {
                let p: Vec<&str> = w.split('.').collect();
                p.len() == 2
                    && p[0].len() == 6
                    && p[1].len() == 16
                    && w.chars()
                        .all(|c| c == '.' || c.is_ascii_lowercase() || c.is_ascii_digit())
            });
        assert!(!token_like, "{}", g.instance_group);
        assert!(
            !u.contains("tlsBootstrapToken") && !u.contains("bootstrapTokens"),
            "{}",
            g.instance_group
        );
    }
}

#[test]
fn ipv6_only_groups_have_no_ipv4_literal() {
    let b = render("calico");
    // The nodes sit in the IPv6-only Private subnets.
    for g in ["nodes-us-east-1a", "nodes-us-east-1b", "nodes-us-east-1c"] {
        assert_eq!(ipv4_literals(group(&b, g)), Vec::<String>::new(), "{g}");
    }
    // The control plane is in DualStack subnets, and still reaches IMDS over IPv6.
    assert!(written(group(&b, "control-plane-us-east-1a"), ENV)
        .unwrap()
        .contains("KOPS6_IMDS='http://[fd00:ec2::254]'"));
}

#[test]
fn only_the_first_control_plane_group_may_initialize() {
    let b = render("calico");
    let role = |g: &str| {
        let env = written(group(&b, g), ENV).unwrap();
        env.lines()
            .find(|l| l.starts_with("KOPS6_ROLE="))
            .unwrap()
            .to_string()
    };
    assert_eq!(
        role("control-plane-us-east-1a"),
        "KOPS6_ROLE='control-plane-init'"
    );
    assert_eq!(
        role("control-plane-us-east-1b"),
        "KOPS6_ROLE='control-plane'"
    );
    assert_eq!(role("nodes-us-east-1a"), "KOPS6_ROLE='node'");
    assert!(written(group(&b, "control-plane-us-east-1a"), INIT).is_some());
    assert!(written(group(&b, "control-plane-us-east-1b"), INIT).is_none());
    assert!(written(group(&b, "nodes-us-east-1a"), INIT).is_none());
}

#[test]
fn kubeadm_configuration_reads_back_through_types_that_deny_unknown_fields() {
    let b = render("calico");
    let init = written(group(&b, "control-plane-us-east-1a"), INIT).unwrap();
    let d = docs(&init);
    assert_eq!(d.len(), 3);
    let i: InitConfiguration = serde_saphyr::from_str(d[0]).unwrap();
    let c: ClusterConfiguration = serde_saphyr::from_str(d[1]).unwrap();
    let k: KubeletConfiguration = serde_saphyr::from_str(d[2]).unwrap();
    assert_eq!(
        (i.kind.as_str(), c.kind.as_str(), k.kind.as_str()),
        (
            "InitConfiguration",
            "ClusterConfiguration",
            "KubeletConfiguration"
        )
    );
    let j: JoinConfiguration =
        serde_saphyr::from_str(&written(group(&b, "nodes-us-east-1a"), JOIN).unwrap()).unwrap();
    assert!(j.control_plane.is_none());
    let typo = d[1].replace("certSANs:", "certSans:");
    let err = serde_saphyr::from_str::<ClusterConfiguration>(&typo)
        .unwrap_err()
        .to_string();
    assert!(err.contains("certSans"), "{err}");
}

fn cluster_configuration() -> ClusterConfiguration {
    let b = render("calico");
    let init = written(group(&b, "control-plane-us-east-1a"), INIT).unwrap();
    serde_saphyr::from_str(docs(&init)[1]).unwrap()
}

fn arg<'a>(args: &'a [Arg], name: &str) -> Option<&'a str> {
    args.iter()
        .find(|a| a.name == name)
        .map(|a| a.value.as_str())
}

#[test]
fn api_server_binds_ipv6_any_and_its_certificate_names_lb_api_service_ip_and_loopback() {
    let c = cluster_configuration();
    assert_eq!(arg(&c.api_server.extra_args, "bind-address"), Some("::"));
    assert_eq!(
        c.api_server.cert_sans,
        [
            LB,
            "api.v6.example.org",
            "api.internal.v6.example.org",
            "fd00:5e4f:ce::1",
            "::1"
        ]
    );
    assert_eq!(c.control_plane_endpoint, format!("{LB}:443"));
}

#[test]
fn service_range_is_the_ipv6_default_and_no_pod_subnet_is_set() {
    let c = cluster_configuration();
    assert_eq!(c.networking.service_subnet, "fd00:5e4f:ce::/108");
    let b = render("calico");
    let init = written(group(&b, "control-plane-us-east-1a"), INIT).unwrap();
    assert!(!init.contains("podSubnet"));
}

#[test]
fn controller_manager_has_node_ipam_and_cloud_routes_off() {
    let c = cluster_configuration();
    let a = &c.controller_manager.extra_args;
    assert_eq!(arg(a, "controllers"), Some("*,-nodeipam"));
    assert_eq!(arg(a, "allocate-node-cidrs"), Some("false"));
    assert_eq!(arg(a, "configure-cloud-routes"), Some("false"));
    assert_eq!(arg(a, "cloud-provider"), Some("external"));
    assert_eq!(arg(a, "bind-address"), Some("::"));
    assert_eq!(arg(&c.scheduler.extra_args, "bind-address"), Some("::"));
}

#[test]
fn kubelet_prefers_ipv6_uses_the_external_cloud_provider_and_ipv6_cluster_dns() {
    let b = render("calico");
    for g in &b.groups {
        let join: JoinConfiguration =
            serde_saphyr::from_str(&written(&g.user_data, JOIN).unwrap()).unwrap();
        let a = &join.node_registration.kubelet_extra_args;
        assert_eq!(arg(a, "node-ip"), Some("::"), "{}", g.instance_group);
        assert_eq!(arg(a, "cloud-provider"), Some("external"));
        assert_eq!(
            join.node_registration.name, None,
            "the prelude sets the host name to the EC2 resource name"
        );
        assert_eq!(
            join.discovery.file.kube_config_path,
            "/etc/kops6/secrets/bootstrap-kubeconfig"
        );
    }
    let init = written(group(&b, "control-plane-us-east-1a"), INIT).unwrap();
    let k: KubeletConfiguration = serde_saphyr::from_str(docs(&init)[2]).unwrap();
    assert_eq!(k.cluster_dns, ["fd00:5e4f:ce::a"]);
    assert_eq!(k.address, "::");
}

#[test]
fn ipv6_forwarding_is_on() {
    let b = render("calico");
    let sysctl = written(group(&b, "nodes-us-east-1a"), "/etc/sysctl.d/90-kops6.conf").unwrap();
    assert!(sysctl.contains("net.ipv6.conf.all.forwarding = 1\n"));
}

#[test]
fn packages_are_pinned_to_the_kubernetes_version() {
    let b = render("calico");
    let env = written(group(&b, "nodes-us-east-1a"), ENV).unwrap();
    assert!(env.contains("KOPS6_K8S_REPO='https://pkgs.k8s.io/core:/stable:/v1.35/deb/'\n"));
    assert!(env.contains("KOPS6_K8S_PACKAGE='1.35.0-1.1'\n"));
}

#[test]
fn an_unsupported_kubernetes_version_names_the_field_and_the_versions() {
    let mut c = ha("calico");
    c.cluster.spec.kubernetes_version = Some("v1.29.4".into());
    let err = kops6_bootstrap::render(&c, &inputs()).unwrap_err();
    assert_eq!(
        err,
        BootstrapError::Spec {
            path: "spec.kubernetesVersion".into(),
            message:
                "\"v1.29.4\" has no packages; kops6 installs packages for v1.33.x, v1.34.x, v1.35.x"
                    .into(),
        }
    );
}

#[test]
fn nodes_read_the_state_store_over_s3_dual_stack() {
    let b = render("calico");
    let env = written(group(&b, "nodes-us-east-1a"), ENV).unwrap();
    assert!(env.contains("KOPS6_STATE='https://kops6-state.s3.dualstack.us-east-1.amazonaws.com/clusters/v6.example.org'\n"), "{env}");
    assert!(env.contains("KOPS6_EC2='https://ec2.us-east-1.api.aws'\n"));
}

#[test]
fn a_file_store_renders_but_is_refused_for_a_real_cluster() {
    let mut i = inputs();
    i.state_store =
        kops6_bootstrap::StateStoreLocation::from_url("file:///home/me/.kops6", NAME, "us-east-1");
    assert!(kops6_bootstrap::render(&ha("calico"), &i).is_ok());
    let err = i.state_store.require_s3().unwrap_err().to_string();
    assert!(
        err.starts_with("state store file:///home/me/.kops6: instances fetch"),
        "{err}"
    );
    assert!(err.contains("use an s3:// state store"), "{err}");
}

#[test]
fn the_first_control_plane_applies_every_addon_and_calicos_pinned_crds() {
    let b = render("calico");
    let env = written(group(&b, "control-plane-us-east-1a"), ENV).unwrap();
    assert!(env.contains("KOPS6_ADDONS='addons/aws-cloud-controller-manager.yaml addons/coredns.yaml addons/calico.yaml addons/aws-ebs-csi-driver.yaml'\n"), "{env}");
    let remote = written(
        group(&b, "control-plane-us-east-1a"),
        "/etc/kops6/remote-addons",
    )
    .unwrap();
    assert_eq!(remote, "1d6d5e523f92ee1e8227a48c016229c668f94035431b82f19139affeb45dbeff https://raw.githubusercontent.com/projectcalico/calico/v3.31.6/manifests/crds.yaml\n");
    let env_b = written(group(&b, "control-plane-us-east-1b"), ENV).unwrap();
    assert!(env_b.contains("KOPS6_ADDONS=''\n"));
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(render("cilium"), render("cilium"));
}

#[test]
fn a_terraform_template_filled_with_the_lb_name_is_the_user_data_rendered_with_it() {
    for cni in ["calico", "cilium", "cni"] {
        let plain = render(cni);
        let template = template(cni);
        assert_eq!(
            template.addons, plain.addons,
            "{cni}: the addons do not name the API"
        );
        assert_eq!(template.groups.len(), plain.groups.len());
        for (t, p) in template.groups.iter().zip(&plain.groups) {
            let filled = kops6_bootstrap::template::fill(&t.user_data, LB).unwrap();
            assert_eq!(filled, p.user_data, "{cni}: {}", t.instance_group);
        }
    }
}

#[test]
fn a_terraform_template_names_the_api_only_by_its_placeholder() {
    let b = template("calico");
    let cp = group(&b, "control-plane-us-east-1a");
    assert!(!cp.contains(".invalid"), "no stand-in name is left");
    assert!(
        cp.contains("controlPlaneEndpoint: ${api_lb_dns_name}:443"),
        "{cp}"
    );
    assert!(
        cp.contains("- ${api_lb_dns_name}\n"),
        "a certificate SAN: {cp}"
    );
    assert!(cp.contains("KOPS6_API='${api_lb_dns_name}:443'"), "{cp}");
    // Everything else is escaped: the prelude's own expansions come back unchanged.
    assert!(
        cp.contains("$${KOPS6_ENV:-/etc/kops6/bootstrap.env}"),
        "{cp}"
    );
    let unescaped = cp
        .match_indices("${")
        .filter(|(i, _)| *i == 0 || &cp[i - 1..*i] != "$")
        .filter(|(i, _)| !cp[*i..].starts_with("${api_lb_dns_name}"))
        .count();
    assert_eq!(unescaped, 0, "only the placeholder is a template sequence");
}

#[test]
fn a_template_too_large_for_the_longest_lb_name_is_refused() {
    // One more byte of name per occurrence pushes the filled text over EC2's limit: the
    // check is made on what Terraform would give, not on the template.
    let b = template("calico");
    let g = &b.groups[0];
    let n = g.user_data.matches("${api_lb_dns_name}").count();
    let longest = kops6_bootstrap::template::longest_load_balancer_dns_name("us-east-1");
    let filled = kops6_bootstrap::template::fill(&g.user_data, &longest).unwrap();
    assert!(n >= 3, "{n}");
    assert!(filled.len() <= USER_DATA_LIMIT);
    let too_long = "x".repeat((USER_DATA_LIMIT - filled.len()) / n + longest.len() + 1);
    let over = kops6_bootstrap::template::fill(&g.user_data, &too_long).unwrap();
    assert!(over.len() > USER_DATA_LIMIT, "{}", over.len());
}
