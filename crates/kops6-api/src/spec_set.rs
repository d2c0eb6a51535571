//! A cluster together with its instance groups: what the state store keeps and every command
//! works on.

use std::collections::BTreeSet;

use crate::complete::{complete, Completed};
use crate::errors::{FieldError, ObjectRef, ValidationErrors};
use crate::types::{Cluster, InstanceGroup, CLUSTER_LABEL};
use crate::validate::{validate, ValidationContext};
use crate::yaml::Document;

#[derive(Debug, Clone, PartialEq)]
pub struct ClusterSpecSet {
    pub cluster: Cluster,
    pub instance_groups: Vec<InstanceGroup>,
}

impl ClusterSpecSet {
    /// Groups the documents of one file: exactly one Cluster, and instance groups labelled for it.
    pub fn from_documents(docs: Vec<Document>) -> Result<Self, ValidationErrors> {
        let mut clusters = Vec::new();
        let mut groups = Vec::new();
        for doc in docs {
            match doc {
                Document::Cluster(c) => clusters.push(*c),
                Document::InstanceGroup(g) => groups.push(*g),
            }
        }
        let cluster = match clusters.len() {
            1 => clusters.remove(0),
            n => {
                return Err(single(
                    ObjectRef::Document(0),
                    "kind",
                    format!("expected exactly one Cluster document, found {n}"),
                ))
            }
        };
        Self::new(cluster, groups)
    }

    /// Checks that each group belongs to the cluster and that group names are unique.
    pub fn new(cluster: Cluster, groups: Vec<InstanceGroup>) -> Result<Self, ValidationErrors> {
        let mut errors = Vec::new();
        let mut names = BTreeSet::new();
        for g in &groups {
            let object = ObjectRef::InstanceGroup(g.metadata.name.clone());
            match g.cluster_name() {
                None => errors.push(FieldError {
                    object: object.clone(),
                    path: format!("metadata.labels[\"{CLUSTER_LABEL}\"]"),
                    message: format!(
                        "is required: the cluster this group belongs to ({:?})",
                        cluster.metadata.name
                    ),
                }),
                Some(c) if c != cluster.metadata.name => errors.push(FieldError {
                    object: object.clone(),
                    path: format!("metadata.labels[\"{CLUSTER_LABEL}\"]"),
                    message: format!(
                        "names cluster {c:?}, but the file's cluster is {:?}",
                        cluster.metadata.name
                    ),
                }),
                _ => {}
            }
            if !names.insert(g.metadata.name.as_str()) {
                errors.push(FieldError {
                    object,
                    path: "metadata.name".into(),
                    message: "another instance group has this name".into(),
                });
            }
        }
        if !errors.is_empty() {
            return Err(ValidationErrors(errors));
        }
        let mut instance_groups = groups;
        instance_groups.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        Ok(Self {
            cluster,
            instance_groups,
        })
    }

    pub fn name(&self) -> &str {
        &self.cluster.metadata.name
    }

    /// The cluster first, then the groups by name: kOps' order.
    pub fn documents(&self) -> Vec<Document> {
        std::iter::once(Document::Cluster(Box::new(self.cluster.clone())))
            .chain(
                self.instance_groups
                    .iter()
                    .map(|g| Document::InstanceGroup(Box::new(g.clone()))),
            )
            .collect()
    }

    /// Completes and validates; the completed spec when every rule holds.
    pub fn check(&self, ctx: &ValidationContext) -> Result<Completed, ValidationErrors> {
        let completed = complete(&self.cluster, &self.instance_groups);
        validate(&completed.cluster, &completed.instance_groups, ctx)?;
        Ok(completed)
    }
}

fn single(object: ObjectRef, path: &str, message: String) -> ValidationErrors {
    ValidationErrors(vec![FieldError {
        object,
        path: path.to_string(),
        message,
    }])
}
