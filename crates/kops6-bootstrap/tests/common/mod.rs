//! Clusters and inputs the bootstrap tests share.
#![allow(dead_code)]

use std::path::PathBuf;

use kops6_api::complete::Completed;
use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_bootstrap::{ApiEndpoint, Bootstrap, Inputs, StateStoreLocation};
use serde_json::Value;

pub const NAME: &str = "v6.example.org";
pub const LB: &str = "api-v6-example-org-0123456789abcdef.elb.us-east-1.amazonaws.com";

/// `create cluster --ipv6 --zones us-east-1a,b,c --control-plane-count 3 --networking CNI`.
pub fn ha(networking: &str) -> Completed {
    let new = new_cluster(&NewClusterOptions {
        name: NAME.into(),
        zones: ["us-east-1a", "us-east-1b", "us-east-1c"]
            .map(String::from)
            .to_vec(),
        ipv6: true,
        networking: Some(networking.into()),
        kubernetes_version: Some("v1.35.0".into()),
        control_plane_count: Some(3),
        ..Default::default()
    })
    .expect("valid options");
    ClusterSpecSet::new(new.cluster, new.instance_groups)
        .expect("valid set")
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("test spec is invalid:\n{e}"))
}

pub fn inputs() -> Inputs {
    Inputs {
        api: ApiEndpoint {
            name: LB.into(),
            load_balancer: Some(LB.into()),
        },
        state_store: StateStoreLocation::from_url("s3://kops6-state/clusters", NAME, "us-east-1"),
    }
}

pub fn render(networking: &str) -> Bootstrap {
    kops6_bootstrap::render(&ha(networking), &inputs()).expect("renders")
}

/// The Terraform templates of the same cluster without a DNS zone (`--target terraform`).
pub fn template(networking: &str) -> Bootstrap {
    kops6_bootstrap::template::render(&ha(networking), inputs().state_store, "us-east-1")
        .expect("renders")
}

/// The templates filled as Terraform fills them, with the longest DNS name an NLB can have.
pub fn filled_template(networking: &str) -> Bootstrap {
    let longest = kops6_bootstrap::template::longest_load_balancer_dns_name("us-east-1");
    let mut b = template(networking);
    for g in &mut b.groups {
        g.user_data = kops6_bootstrap::template::fill(&g.user_data, &longest).expect("fills");
    }
    b
}

/// Both ways user data reach instances: written out (`--yes`, or a DNS zone), and filled in
/// by Terraform at apply time. The tools check each.
pub fn every_rendering(networking: &str) -> [Bootstrap; 2] {
    [render(networking), filled_template(networking)]
}

/// The user data as a JSON value (it is YAML after the `#cloud-config` line).
pub fn parse_user_data(user_data: &str) -> Value {
    assert!(user_data.starts_with("#cloud-config\n"), "{user_data}");
    serde_saphyr::from_str(user_data).expect("user data is YAML")
}

/// One `write_files` entry's content by path.
pub fn written(user_data: &str, path: &str) -> Option<String> {
    let v = parse_user_data(user_data);
    v["write_files"]
        .as_array()?
        .iter()
        .find(|f| f["path"] == path)
        .map(|f| f["content"].as_str().unwrap().to_string())
}

pub fn group<'a>(b: &'a Bootstrap, name: &str) -> &'a str {
    &b.groups
        .iter()
        .find(|g| g.instance_group == name)
        .unwrap_or_else(|| panic!("no group {name}"))
        .user_data
}

/// A tool on PATH; missing is a skip on a developer machine and a failure in CI.
pub fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|f| f.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{name} is not installed; scripts/test installs it"
        );
        eprintln!("SKIPPED: {name} is not installed (scripts/test installs it)");
    }
    found
}

/// Every IPv4 dotted-quad literal in `text`.
pub fn ipv4_literals(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit()
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.'));
        if starts {
            let end = text[i..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .map_or(text.len(), |e| i + e);
            let candidate = text[i..end].trim_end_matches('.');
            if candidate.parse::<std::net::Ipv4Addr>().is_ok() {
                out.push(candidate.to_string());
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}
