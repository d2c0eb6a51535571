//! The diff: desired resources against what discovery found. Pure, so every rule is tested
//! without AWS. Each kind compares its own fields (`AwsKind::compare`, typed, mutable or
//! replace-only); a field a kind does not compare is a field kops6 does not manage.

use std::collections::{BTreeSet, HashMap};

use kops6_model::{Change, Key, Plan, ResourceGraph};

use crate::actual::{Actual, Found};
pub use crate::compare::FieldChange;
pub use crate::context::Facts;
use crate::context::Resolve;
use crate::error::AwsError;
use crate::kind::{Lifetime, Op};
use crate::registry;
use crate::schedule;

/// What to do to one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Create {
        key: Key,
    },
    Update {
        key: Key,
        id: String,
        fields: Vec<FieldChange>,
    },
    Replace {
        key: Key,
        id: String,
        reason: String,
    },
    Delete {
        key: Key,
        found: Found,
        reason: String,
    },
}

impl Step {
    pub fn key(&self) -> &Key {
        match self {
            Step::Create { key }
            | Step::Update { key, .. }
            | Step::Replace { key, .. }
            | Step::Delete { key, .. } => key,
        }
    }

    /// About how long the step takes on AWS ([`AwsKind::typical_secs`]), for the scheduler.
    /// A replacement is a delete and a create.
    pub fn typical_secs(&self) -> f64 {
        let secs = |op| registry::typical_secs(self.key().kind, op);
        match self {
            Step::Create { .. } => secs(Op::Create),
            Step::Update { .. } => secs(Op::Update),
            Step::Replace { .. } => secs(Op::Delete) + secs(Op::Create),
            Step::Delete { .. } => secs(Op::Delete),
        }
    }
}

/// The steps that make AWS match the graph: creates, updates and replacements in graph order,
/// then removals of owned resources the spec no longer has (and of duplicates), each before
/// what it refers to. A graph with a kind that is not registered is refused.
pub fn diff(graph: &ResourceGraph, actual: &Actual, facts: &Facts) -> Result<Vec<Step>, AwsError> {
    registry::check_supported(graph.resources.iter().map(|r| &r.key))?;
    let cx = Resolve {
        graph,
        actual,
        facts,
    };
    let mut steps = Vec::new();
    for res in &graph.resources {
        let kind = registry::for_key(&res.key)?;
        let Some(found) = actual.get(&kind.actual_key(res, &cx)) else {
            steps.push(Step::Create {
                key: res.key.clone(),
            });
            continue;
        };
        let c = kind.compare(res, found, &cx);
        if !c.replace.is_empty() {
            steps.push(Step::Replace {
                key: res.key.clone(),
                id: found.id.clone(),
                reason: c.replace.join("; "),
            });
        } else if !c.fields.is_empty() {
            steps.push(Step::Update {
                key: res.key.clone(),
                id: found.id.clone(),
                fields: c.fields,
            });
        }
    }
    let desired: BTreeSet<Key> = graph
        .resources
        .iter()
        .filter_map(|r| Some(registry::get(r.key.kind)?.actual_key(r, &cx)))
        .collect();
    steps.extend(removals(&desired, actual));
    Ok(steps)
}

/// Owned resources that are not desired, or that duplicate a desired one, in delete order.
fn removals(desired: &BTreeSet<Key>, actual: &Actual) -> Vec<Step> {
    let mut out = Vec::new();
    for (key, founds) in &actual.resources {
        // A setting goes with its resource; there is nothing to remove on its own.
        if matches!(lifetime(key), Some(Lifetime::SettingOf(_))) {
            continue;
        }
        for (i, found) in founds.iter().enumerate() {
            let reason = if !desired.contains(key) {
                "owned by the cluster but no longer in its spec".to_string()
            } else if i > 0 {
                format!(
                    "a duplicate of {} (left by an interrupted run)",
                    founds[0].id
                )
            } else {
                continue;
            };
            out.push((key.clone(), found.clone(), reason));
        }
    }
    let items: Vec<(&Key, &Found)> = out.iter().map(|(k, f, _)| (k, f)).collect();
    let order = delete_order(&items);
    let mut slots: Vec<Option<(Key, Found, String)>> = out.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots[i].take())
        .map(|(key, found, reason)| Step::Delete { key, found, reason })
        .collect()
}

fn lifetime(key: &Key) -> Option<Lifetime> {
    registry::get(key.kind).map(|k| k.lifetime())
}

/// For each of `items`, the items that refer to it (by AWS ID, through [`Found::refs`]) and
/// so must be deleted first. Only resources that are deleted on their own are referred to
/// by their ID: a route's ID is its table's.
pub fn delete_waits(items: &[(&Key, &Found)]) -> Vec<Vec<usize>> {
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (key, found)) in items.iter().enumerate() {
        if lifetime(key) == Some(Lifetime::Alone) {
            by_id.entry(found.id.as_str()).or_default().push(i);
        }
    }
    let mut waits = vec![Vec::new(); items.len()];
    for (j, (_, found)) in items.iter().enumerate() {
        for r in &found.refs {
            for &i in by_id.get(r.as_str()).into_iter().flatten() {
                if i != j && !waits[i].contains(&j) {
                    waits[i].push(j);
                }
            }
        }
    }
    waits
}

/// Indexes of `items` in an order that deletes each before what it refers to; ties (and a
/// cycle, which AWS references cannot form) keep the given order.
pub fn delete_order(items: &[(&Key, &Found)]) -> Vec<usize> {
    let waits = delete_waits(items);
    schedule::order(&waits).unwrap_or_else(|_| (0..items.len()).collect())
}

/// The steps as a plan a person reads.
pub fn plan_of(graph: &ResourceGraph, steps: &[Step]) -> Plan {
    let why = |key: &Key| {
        graph
            .get(key)
            .map(|r| r.why.to_string())
            .unwrap_or_default()
    };
    let attributes = |key: &Key| {
        graph
            .get(key)
            .map(kops6_model::plan::attributes)
            .unwrap_or_default()
    };
    let changes = steps
        .iter()
        .map(|s| {
            let key = s.key();
            let (action, why, attributes) = match s {
                Step::Create { .. } => (kops6_model::Action::Create, why(key), attributes(key)),
                Step::Update { fields, .. } => (
                    kops6_model::Action::Update,
                    why(key),
                    fields
                        .iter()
                        .map(|f| (f.field.to_string(), format!("{} -> {}", f.from, f.to)))
                        .collect(),
                ),
                Step::Replace { reason, .. } => (
                    kops6_model::Action::Replace,
                    reason.clone(),
                    attributes(key),
                ),
                Step::Delete { found, reason, .. } => (
                    kops6_model::Action::Delete,
                    reason.clone(),
                    vec![("id".to_string(), found.id.clone())],
                ),
            };
            Change {
                action,
                kind: key.kind.to_string(),
                name: key.name.clone(),
                why,
                attributes,
            }
        })
        .collect();
    Plan { changes }
}
