//! The comparison a kind writes for itself: each field is declared mutable (AWS changes it in
//! place) or replace-only (AWS cannot), with the found and desired values.

use kops6_model::graph::Tags;

use crate::actual::Found;

/// One attribute that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub from: String,
    pub to: String,
}

/// What stands for an ID that is not known before applying.
pub const NOT_YET_CREATED: &str = "(a resource not yet created)";

/// The outcome of comparing one resource: fields to change, and reasons it would need to be
/// replaced (which kops6 refuses).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compare {
    pub fields: Vec<FieldChange>,
    pub replace: Vec<String>,
}

impl Compare {
    pub fn new() -> Self {
        Self::default()
    }

    /// A field AWS changes in place.
    pub fn mutable(&mut self, field: &'static str, actual: impl ToString, desired: impl ToString) {
        let (from, to) = (actual.to_string(), desired.to_string());
        if from != to {
            self.fields.push(FieldChange { field, from, to });
        }
    }

    /// A field AWS cannot change.
    pub fn immutable(&mut self, field: &str, actual: impl ToString, desired: impl ToString) {
        let (from, to) = (actual.to_string(), desired.to_string());
        if from != to {
            self.replace.push(format!(
                "{field} is {from} but the spec wants {to}, and AWS cannot change it"
            ));
        }
    }

    /// A replace-only reference to another resource (`None` while that one is not created).
    pub fn id(&mut self, field: &str, actual: &str, desired: Option<String>) {
        self.immutable(field, actual, or_unknown(desired));
    }

    /// Desired tags missing or different (extra tags are left alone).
    pub fn tags(&mut self, actual: &Tags, desired: &Tags) {
        let differing: Vec<String> = desired
            .iter()
            .filter(|(k, v)| actual.get(*k) != Some(*v))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !differing.is_empty() {
            self.fields.push(FieldChange {
                field: "tags",
                from: "(missing or different)".into(),
                to: differing.join(","),
            });
        }
    }

    /// What was found is not the kind the spec describes (or the spec is not this kind's).
    pub fn mismatch(found: &Found) -> Self {
        Self {
            fields: Vec::new(),
            replace: vec![format!(
                "found a {:?}, which is not what the spec describes",
                found.observed
            )],
        }
    }
}

/// A desired ID, or [`NOT_YET_CREATED`].
pub fn or_unknown(id: Option<String>) -> String {
    id.unwrap_or_else(|| NOT_YET_CREATED.to_string())
}

/// An optional value as a plan shows it.
pub fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "(none)".into())
}
