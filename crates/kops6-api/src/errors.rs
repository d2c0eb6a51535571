//! Errors that point at a field: every problem with a spec names the object, the field path
//! (`spec.subnets[2].ipv6CIDR`) and what is wrong, and validation reports all of them at once.

use std::fmt;

use thiserror::Error;

/// Which document a problem is in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ObjectRef {
    Cluster(String),
    InstanceGroup(String),
    /// A document that could not be identified (bad `kind` or `apiVersion`): its 0-based position.
    Document(usize),
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cluster(name) => write!(f, "Cluster {name:?}"),
            Self::InstanceGroup(name) => write!(f, "InstanceGroup {name:?}"),
            Self::Document(i) => write!(f, "document {}", i + 1),
        }
    }
}

/// One problem at one field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldError {
    pub object: ObjectRef,
    pub path: String,
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.object, self.path, self.message)
    }
}

/// All problems found in a set of specs. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn paths(&self) -> Vec<&str> {
        self.0.iter().map(|e| e.path.as_str()).collect()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "{n} problem{} in the cluster spec:",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            writeln!(f, "  - {e}")?;
        }
        Ok(())
    }
}

/// Collects field errors for one object while walking it; keeps the path building short.
#[derive(Debug)]
pub struct Collector {
    object: ObjectRef,
    errors: Vec<FieldError>,
}

impl Collector {
    pub fn new(object: ObjectRef) -> Self {
        Self {
            object,
            errors: Vec::new(),
        }
    }

    pub fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            object: self.object.clone(),
            path: path.into(),
            message: message.into(),
        });
    }

    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }
}
