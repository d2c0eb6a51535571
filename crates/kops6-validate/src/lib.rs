//! `validate cluster`'s decisions, pure: given the completed spec, what AWS says about each
//! instance group (when the AWS side is available) and what the Kubernetes API says about nodes
//! and kube-system pods, is the cluster valid, and what is wrong. Output in kOps' shape (table,
//! JSON, YAML).
//!
//! Not for: talking to AWS or the API (the CLI fetches; `parse_nodes`/`parse_pods` read the
//! API's JSON answers).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::List;
use kops6_api::complete::Completed;
use kops6_api::types::InstanceGroupRole;
use serde::Serialize;

/// The label kops6's kubelets set on their Node (`--node-labels`): which instance group a node
/// belongs to.
pub use kops6_bootstrap::config::INSTANCE_GROUP_LABEL;

#[derive(Debug, thiserror::Error)]
#[error("the API's {what} answer is not a {what} list: {message}")]
pub struct ParseError {
    pub what: &'static str,
    pub message: String,
}

pub fn parse_nodes(json: &[u8]) -> Result<Vec<Node>, ParseError> {
    serde_json::from_slice::<List<Node>>(json)
        .map(|l| l.items)
        .map_err(|e| ParseError {
            what: "node",
            message: e.to_string(),
        })
}

pub fn parse_pods(json: &[u8]) -> Result<Vec<Pod>, ParseError> {
    serde_json::from_slice::<List<Pod>>(json)
        .map(|l| l.items)
        .map_err(|e| ParseError {
            what: "pod",
            message: e.to_string(),
        })
}

/// What AWS reports for one instance group's autoscaling group. A group of the spec with no
/// entry has no autoscaling group in AWS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInstances {
    pub group: String,
    /// The autoscaling group's sizes, as AWS has them.
    pub min_size: u32,
    pub max_size: u32,
    /// Instance IDs in service.
    pub instances: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupRow {
    pub name: String,
    pub role: String,
    pub machine_type: String,
    pub min: u32,
    pub max: u32,
    pub subnets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeRow {
    pub name: String,
    pub role: String,
    /// `True`, `False` or `Unknown`, as the Ready condition says.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_group: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    #[serde(skip)]
    pub cluster: String,
    #[serde(skip)]
    pub instance_groups: Vec<GroupRow>,
    pub failures: Vec<Failure>,
    pub nodes: Vec<NodeRow>,
}

impl Report {
    pub fn is_valid(&self) -> bool {
        self.failures.is_empty()
    }
}

fn role_name(role: InstanceGroupRole) -> &'static str {
    match role {
        InstanceGroupRole::Master => "ControlPlane",
        InstanceGroupRole::ApiServer => "APIServer",
        InstanceGroupRole::Node => "Node",
        InstanceGroupRole::Bastion => "Bastion",
    }
}

fn ready(node: &Node) -> String {
    node.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .map_or("Unknown".into(), |c| c.status.clone())
}

fn node_role(node: &Node) -> String {
    let labels = node.metadata.labels.clone().unwrap_or_default();
    if labels.contains_key("node-role.kubernetes.io/control-plane") {
        "control-plane".into()
    } else {
        "node".into()
    }
}

/// The instance ID in a Node's provider ID (`aws:///us-east-1a/i-0123...`), set by the CCM.
fn instance_id(node: &Node) -> Option<String> {
    let id = node.spec.as_ref()?.provider_id.as_ref()?;
    id.rsplit('/')
        .next()
        .filter(|s| s.starts_with("i-"))
        .map(Into::into)
}

/// Priority classes of the pods whose failure makes the cluster invalid (kOps' rule).
const CRITICAL: [&str; 2] = ["system-cluster-critical", "system-node-critical"];

pub fn validate(
    completed: &Completed,
    aws: Option<&[GroupInstances]>,
    nodes: &[Node],
    pods: &[Pod],
) -> Report {
    let mut failures = Vec::new();
    let groups: Vec<_> = completed
        .instance_groups
        .iter()
        .filter(|g| g.spec.role != InstanceGroupRole::Bastion)
        .collect();
    let instance_groups = groups
        .iter()
        .map(|g| GroupRow {
            name: g.metadata.name.clone(),
            role: role_name(g.spec.role).into(),
            machine_type: g.spec.machine_type.clone().unwrap_or_default(),
            min: g.spec.min_size.unwrap_or(1),
            max: g.spec.max_size.unwrap_or(1),
            subnets: g.spec.subnets.clone(),
        })
        .collect::<Vec<_>>();
    let rows: Vec<NodeRow> = nodes
        .iter()
        .map(|n| NodeRow {
            name: n.metadata.name.clone().unwrap_or_default(),
            role: node_role(n),
            status: ready(n),
            instance_group: n
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(INSTANCE_GROUP_LABEL).cloned()),
        })
        .collect();
    for r in rows.iter().filter(|r| r.status != "True") {
        failures.push(Failure {
            kind: "Node".into(),
            name: r.name.clone(),
            message: format!("node {:?} of role {:?} is not ready", r.name, r.role),
        });
    }
    let mut ready_per_group: BTreeMap<&str, u32> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.status == "True") {
        if let Some(g) = &r.instance_group {
            *ready_per_group.entry(g.as_str()).or_default() += 1;
        }
    }
    for g in &instance_groups {
        let have = ready_per_group.get(g.name.as_str()).copied().unwrap_or(0);
        if have < g.min {
            failures.push(Failure {
                kind: "InstanceGroup".into(),
                name: g.name.clone(),
                message: format!(
                    "InstanceGroup {:?} did not have enough nodes {have} vs {}",
                    g.name, g.min
                ),
            });
        }
    }
    if let Some(aws) = aws {
        for g in &instance_groups {
            let message = match aws.iter().find(|a| a.group == g.name) {
                // kOps' words for a group the cloud does not have.
                None => Some(format!(
                    "InstanceGroup {:?} is missing from the cloud provider",
                    g.name
                )),
                Some(a) if (a.min_size, a.max_size) != (g.min, g.max) => Some(format!(
                    "InstanceGroup {:?} has min {} max {} in AWS, the spec says min {} max {} \
                     (kops6 update cluster --yes)",
                    g.name, a.min_size, a.max_size, g.min, g.max
                )),
                Some(a) if (a.instances.len() as u64) < u64::from(g.min) => Some(format!(
                    "InstanceGroup {:?} has {} instances in service in AWS, wants at least {}",
                    g.name,
                    a.instances.len(),
                    g.min
                )),
                Some(_) => None,
            };
            if let Some(message) = message {
                failures.push(Failure {
                    kind: "InstanceGroup".into(),
                    name: g.name.clone(),
                    message,
                });
            }
        }
        let joined: Vec<String> = nodes.iter().filter_map(instance_id).collect();
        for gi in aws {
            for i in gi.instances.iter().filter(|i| !joined.contains(i)) {
                failures.push(Failure {
                    kind: "Machine".into(),
                    name: i.clone(),
                    message: format!("machine {i:?} has not yet joined cluster"),
                });
            }
        }
    }
    for p in pods {
        let name = p.metadata.name.clone().unwrap_or_default();
        let class = p
            .spec
            .as_ref()
            .and_then(|s| s.priority_class_name.clone())
            .unwrap_or_default();
        if !CRITICAL.contains(&class.as_str()) {
            continue;
        }
        let status = p.status.as_ref();
        let phase = status
            .and_then(|s| s.phase.clone())
            .unwrap_or_else(|| "Unknown".into());
        if phase == "Succeeded" {
            continue;
        }
        let not_ready: Vec<String> = status
            .and_then(|s| s.container_statuses.as_ref())
            .into_iter()
            .flatten()
            .filter(|c| !c.ready)
            .map(|c| c.name.clone())
            .collect();
        let message = if phase != "Running" {
            Some(format!("{class} pod {name:?} is {}", phase.to_lowercase()))
        } else if !not_ready.is_empty() {
            Some(format!(
                "{class} pod {name:?} is not ready ({})",
                not_ready.join(",")
            ))
        } else {
            None
        };
        if let Some(message) = message {
            failures.push(Failure {
                kind: "Pod".into(),
                name: format!("kube-system/{name}"),
                message,
            });
        }
    }
    Report {
        cluster: completed.cluster.metadata.name.clone(),
        instance_groups,
        failures,
        nodes: rows,
    }
}

fn table(out: &mut String, header: &[&str], rows: Vec<Vec<String>>) {
    let all: Vec<Vec<String>> = std::iter::once(header.iter().map(|h| h.to_string()).collect())
        .chain(rows)
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            all.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in &all {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        let _ = writeln!(out, "{}", cells.join("   ").trim_end());
    }
}

/// kOps' table output.
pub fn render_table(r: &Report) -> String {
    let mut out = format!("Validating cluster {}\n\nINSTANCE GROUPS\n", r.cluster);
    table(
        &mut out,
        &["NAME", "ROLE", "MACHINETYPE", "MIN", "MAX", "SUBNETS"],
        r.instance_groups
            .iter()
            .map(|g| {
                vec![
                    g.name.clone(),
                    g.role.clone(),
                    g.machine_type.clone(),
                    g.min.to_string(),
                    g.max.to_string(),
                    g.subnets.join(","),
                ]
            })
            .collect(),
    );
    out.push_str("\nNODE STATUS\n");
    table(
        &mut out,
        &["NAME", "ROLE", "READY"],
        r.nodes
            .iter()
            .map(|n| vec![n.name.clone(), n.role.clone(), n.status.clone()])
            .collect(),
    );
    if r.is_valid() {
        let _ = writeln!(out, "\nYour cluster {} is ready", r.cluster);
    } else {
        out.push_str("\nVALIDATION ERRORS\n");
        table(
            &mut out,
            &["KIND", "NAME", "MESSAGE"],
            r.failures
                .iter()
                .map(|f| vec![f.kind.clone(), f.name.clone(), f.message.clone()])
                .collect(),
        );
        out.push_str("\nValidation Failed\n");
    }
    out
}

pub fn render_json(r: &Report) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default() + "\n"
}

pub fn render_yaml(r: &Report) -> String {
    serde_saphyr::to_string(r).unwrap_or_default()
}
