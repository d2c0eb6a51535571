//! `explain`: why each resource exists (SPEC 9): the spec field and the rule that made it, what
//! it refers to and what refers to it. Works on every kind the model has, through the key, the
//! `why` and `dependencies()` every resource carries, so new kinds need nothing here.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use kops6_model::plan::attributes;
use kops6_model::{Resource, ResourceGraph};
use serde::Serialize;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExplainError {
    #[error("{0:?} is not KIND/NAME (e.g. Subnet/us-east-1a or Route/private-us-east-1a.<cluster>/::/0)")]
    Syntax(String),
    #[error("the cluster has no {kind:?} resources (kinds: {known})")]
    UnknownKind { kind: String, known: String },
    #[error("no {kind} named {name:?} (there are: {known})")]
    UnknownName {
        kind: String,
        name: String,
        known: String,
    },
}

/// One resource, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// `Kind/name`.
    pub resource: String,
    pub kind: String,
    pub name: String,
    /// The attributes that say what it is, by name.
    pub attributes: BTreeMap<String, String>,
    /// The spec field that asked for it.
    pub field: String,
    /// The rule that made it.
    pub rule: String,
    /// What it needs first (the resources its fields name, and ordering-only ones).
    pub depends_on: Vec<String>,
    /// What needs it.
    pub used_by: Vec<String>,
}

/// One line of the overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub name: String,
    pub field: String,
    pub rule: String,
}

/// The whole cluster, grouped by kind in the model's order of first appearance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overview {
    pub cluster: String,
    pub kinds: Vec<KindGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindGroup {
    pub kind: String,
    pub resources: Vec<Line>,
}

pub fn overview(graph: &ResourceGraph) -> Overview {
    let mut kinds: Vec<KindGroup> = Vec::new();
    for r in &graph.resources {
        let kind = r.key.kind.to_string();
        let line = Line {
            name: r.key.name.clone(),
            field: r.why.field.clone(),
            rule: r.why.rule.clone(),
        };
        match kinds.iter_mut().find(|g| g.kind == kind) {
            Some(g) => g.resources.push(line),
            None => kinds.push(KindGroup {
                kind,
                resources: vec![line],
            }),
        }
    }
    Overview {
        cluster: graph.cluster.clone(),
        kinds,
    }
}

impl Overview {
    /// One line per resource under a heading per kind; names padded to line up.
    pub fn to_text(&self) -> String {
        let width = self
            .kinds
            .iter()
            .flat_map(|g| &g.resources)
            .map(|l| l.name.chars().count())
            .max()
            .unwrap_or(0);
        let total: usize = self.kinds.iter().map(|g| g.resources.len()).sum();
        let mut out = format!("Cluster {:?}: {total} resources\n", self.cluster);
        for g in &self.kinds {
            let _ = writeln!(out, "\n{} ({})", g.kind, g.resources.len());
            for l in &g.resources {
                let _ = writeln!(out, "  {:<width$}   {}: {}", l.name, l.field, l.rule);
            }
        }
        out
    }
}

/// Explains `KIND/NAME`. The kind is matched without regard to case, and a name may leave out
/// the `.<cluster>` suffix.
pub fn explain(graph: &ResourceGraph, what: &str) -> Result<Explanation, ExplainError> {
    let r = find(graph, what)?;
    Ok(explanation(graph, r))
}

fn find<'a>(graph: &'a ResourceGraph, what: &str) -> Result<&'a Resource, ExplainError> {
    let (kind, name) = what
        .split_once('/')
        .filter(|(k, n)| !k.is_empty() && !n.is_empty())
        .ok_or_else(|| ExplainError::Syntax(what.to_string()))?;
    let of_kind: Vec<&Resource> = graph
        .resources
        .iter()
        .filter(|r| r.key.kind.to_string().eq_ignore_ascii_case(kind))
        .collect();
    if of_kind.is_empty() {
        let mut known: Vec<String> = Vec::new();
        for r in &graph.resources {
            let k = r.key.kind.to_string();
            if !known.contains(&k) {
                known.push(k);
            }
        }
        return Err(ExplainError::UnknownKind {
            kind: kind.to_string(),
            known: known.join(", "),
        });
    }
    let suffixed = format!("{name}.{}", graph.cluster);
    let found = of_kind
        .iter()
        .find(|r| r.key.name == name)
        .or_else(|| of_kind.iter().find(|r| r.key.name == suffixed));
    match found {
        Some(r) => Ok(r),
        None => Err(ExplainError::UnknownName {
            kind: of_kind[0].key.kind.to_string(),
            name: name.to_string(),
            known: of_kind
                .iter()
                .map(|r| r.key.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

fn explanation(graph: &ResourceGraph, r: &Resource) -> Explanation {
    let used_by = graph
        .resources
        .iter()
        .filter(|o| o.dependencies().contains(&&r.key))
        .map(|o| o.key.to_string())
        .collect();
    Explanation {
        resource: r.key.to_string(),
        kind: r.key.kind.to_string(),
        name: r.key.name.clone(),
        attributes: attributes(r).into_iter().collect(),
        field: r.why.field.clone(),
        rule: r.why.rule.clone(),
        depends_on: r.dependencies().iter().map(|k| k.to_string()).collect(),
        used_by,
    }
}

impl Explanation {
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n", self.resource);
        let list = |v: &[String]| {
            if v.is_empty() {
                "(nothing)".to_string()
            } else {
                v.join(", ")
            }
        };
        let attrs: Vec<String> = self
            .attributes
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let _ = writeln!(out, "  what:       {} {}", self.kind, attrs.join(" "));
        let _ = writeln!(out, "  because:    {}", self.rule);
        let _ = writeln!(out, "  spec field: {}", self.field);
        let _ = writeln!(out, "  needs:      {}", list(&self.depends_on));
        let _ = writeln!(out, "  needed by:  {}", list(&self.used_by));
        out
    }
}
