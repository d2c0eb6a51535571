//! The `#cloud-config` user data of one instance group: files (settings, the prelude, kubeadm
//! configuration, kernel settings) and one `runcmd` that runs the prelude. Nothing secret.

use serde::Serialize;

use crate::addons::Manifest;
use crate::config::{self, node_paths};
use crate::facts::{ClusterFacts, GroupFacts, Role, API_PORT};
use crate::versions::CALICO_CRDS;
use crate::{BootstrapError, PRELUDE};

pub const ENV_PATH: &str = "/etc/kops6/bootstrap.env";
pub const PRELUDE_PATH: &str = "/etc/kops6/prelude.sh";
pub const REMOTE_ADDONS_PATH: &str = "/etc/kops6/remote-addons";

/// The subset of cloud-config kops6 writes (checked by `cloud-init schema` in the tests).
#[derive(Debug, Serialize)]
struct CloudConfig {
    write_files: Vec<WriteFile>,
    runcmd: Vec<Vec<String>>,
}

#[derive(Debug, Serialize)]
struct WriteFile {
    path: String,
    owner: String,
    permissions: String,
    content: String,
}

fn file(path: &str, permissions: &str, content: String) -> WriteFile {
    WriteFile {
        path: path.into(),
        owner: "root:root".into(),
        permissions: permissions.into(),
        content,
    }
}

/// The role word the prelude reads.
fn role_word(role: Role) -> &'static str {
    match role {
        Role::ControlPlane {
            may_initialize: true,
        } => "control-plane-init",
        Role::ControlPlane { .. } => "control-plane",
        Role::Node => "node",
    }
}

/// `KEY='value'` lines for the prelude to source. Values are single-quoted, so a value that
/// holds a quote or a newline is refused rather than escaped.
fn env_file(pairs: &[(&str, String)]) -> Result<String, BootstrapError> {
    let mut out = String::from("# kops6 bootstrap settings (no secrets)\n");
    for (k, v) in pairs {
        if v.contains('\'') || v.contains('\n') {
            return Err(BootstrapError::Render {
                what: ENV_PATH.into(),
                message: format!("{k} has a quote or newline: {v:?}"),
            });
        }
        out.push_str(&format!("{k}='{v}'\n"));
    }
    Ok(out)
}

fn settings(f: &ClusterFacts, g: &GroupFacts, addons: &[Manifest]) -> Vec<(&'static str, String)> {
    let imds = if g.ipv6_subnets {
        "http://[fd00:ec2::254]"
    } else {
        "http://169.254.169.254"
    };
    let addon_paths = match g.role {
        Role::ControlPlane {
            may_initialize: true,
        } => addons
            .iter()
            .map(|a| a.path.clone())
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    };
    vec![
        ("KOPS6_CLUSTER", f.name.clone()),
        ("KOPS6_ROLE", role_word(g.role).into()),
        ("KOPS6_IPV6", if f.ipv6 { "1" } else { "0" }.into()),
        ("KOPS6_REGION", f.region.clone()),
        ("KOPS6_IMDS", imds.into()),
        ("KOPS6_STATE", f.state_store.base_url()),
        // EC2's dual-stack endpoint: reachable from IPv6-only subnets without NAT64.
        ("KOPS6_EC2", format!("https://ec2.{}.api.aws", f.region)),
        ("KOPS6_API", format!("{}:{API_PORT}", f.api.name)),
        (
            "KOPS6_K8S_REPO",
            format!(
                "https://pkgs.k8s.io/core:/stable:/{}/deb/",
                f.packages.repository_minor
            ),
        ),
        ("KOPS6_K8S_PACKAGE", f.packages.package_version.clone()),
        ("KOPS6_ADDONS", addon_paths),
    ]
}

fn sysctl(f: &ClusterFacts) -> String {
    let mut s = String::from(
        "# kops6: pods are routed, not masqueraded\nnet.bridge.bridge-nf-call-iptables = 1\n\
         net.bridge.bridge-nf-call-ip6tables = 1\nnet.ipv4.ip_forward = 1\n",
    );
    if f.ipv6 {
        s.push_str("net.ipv6.conf.all.forwarding = 1\n");
    }
    s
}

/// The user data for one group.
pub fn user_data(
    f: &ClusterFacts,
    g: &GroupFacts,
    addons: &[Manifest],
) -> Result<String, BootstrapError> {
    let mut files = vec![
        file(ENV_PATH, "0644", env_file(&settings(f, g, addons))?),
        file(PRELUDE_PATH, "0755", PRELUDE.into()),
        file("/etc/sysctl.d/90-kops6.conf", "0644", sysctl(f)),
        file(
            "/etc/modules-load.d/kops6.conf",
            "0644",
            "overlay\nbr_netfilter\n".into(),
        ),
    ];
    match g.role {
        Role::ControlPlane { may_initialize } => {
            if may_initialize {
                files.push(file(
                    node_paths::INIT_CONFIG,
                    "0600",
                    config::init_file(f, &g.name)?,
                ));
                files.push(file(REMOTE_ADDONS_PATH, "0644", remote_addons(f)));
            }
            files.push(file(
                node_paths::JOIN_CONFIG,
                "0600",
                config::join_file(f, &g.name, true)?,
            ));
        }
        Role::Node => files.push(file(
            node_paths::JOIN_CONFIG,
            "0600",
            config::join_file(f, &g.name, false)?,
        )),
    }
    let cc = CloudConfig {
        write_files: files,
        runcmd: vec![vec![PRELUDE_PATH.into()]],
    };
    Ok(format!(
        "#cloud-config\n{}",
        crate::to_yaml("cloud-config", &cc)?
    ))
}

/// `SHA256 URL` lines of the upstream manifests the first control plane applies.
fn remote_addons(f: &ClusterFacts) -> String {
    match f.cni {
        crate::facts::CniChoice::Calico => format!("{} {}\n", CALICO_CRDS.sha256, CALICO_CRDS.url),
        _ => String::new(),
    }
}
