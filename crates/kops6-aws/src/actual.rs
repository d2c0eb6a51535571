//! What exists in AWS, as plain data: the output of discovery and the input of the diff.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use ipnet::Ipv6Net;
use kops6_model::graph::Tags;
use kops6_model::{Key, Kind};

/// One resource found in AWS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The AWS ID (for an association, its association ID; for a route, the table's ID).
    pub id: String,
    pub tags: Tags,
    /// The AWS IDs of what this resource depends on (its VPC, subnet, route table, ...): it is
    /// deleted before any of them.
    pub refs: Vec<String>,
    pub observed: Observed,
}

/// The attributes kops6 compares, as the kind's own typed struct (each kind module defines
/// one). Only the module that made it reads it back, with [`Observed::get`], so a new kind
/// adds its struct in its own file and nothing here changes.
#[derive(Clone)]
pub struct Observed(Arc<dyn Observation>);

impl Observed {
    pub fn new<T: Observation>(attributes: T) -> Self {
        Self(Arc::new(attributes))
    }

    /// The attributes, if they are a `T`.
    pub fn get<T: 'static>(&self) -> Option<&T> {
        self.0.as_any().downcast_ref()
    }
}

impl fmt::Debug for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl PartialEq for Observed {
    fn eq(&self, other: &Self) -> bool {
        self.0.same(&*other.0)
    }
}

impl Eq for Observed {}

/// A kind's observed attributes: any plain, comparable struct.
pub trait Observation: fmt::Debug + Send + Sync + 'static {
    fn as_any(&self) -> &dyn Any;
    fn same(&self, other: &dyn Observation) -> bool;
}

impl<T: fmt::Debug + PartialEq + Send + Sync + 'static> Observation for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn same(&self, other: &dyn Observation) -> bool {
        other.as_any().downcast_ref::<T>() == Some(self)
    }
}

/// Everything discovered for a cluster, by logical key. Several resources with one key (a
/// duplicate left by an interrupted run) are all kept: the first is used, the rest removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actual {
    pub resources: BTreeMap<Key, Vec<Found>>,
}

impl Actual {
    pub fn get(&self, key: &Key) -> Option<&Found> {
        self.resources.get(key).and_then(|v| v.first())
    }

    pub fn insert(&mut self, key: Key, found: Found) {
        let list = self.resources.entry(key).or_default();
        list.push(found);
        list.sort_by(|a, b| a.id.cmp(&b.id));
    }

    pub fn len(&self) -> usize {
        self.resources.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = (&Key, &Found)> {
        self.resources
            .iter()
            .filter(move |(k, _)| k.kind == kind)
            .flat_map(|(k, v)| v.iter().map(move |f| (k, f)))
    }
}

/// What kops6 needs to know of a shared VPC (SPEC 4.10).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedVpc {
    pub id: String,
    pub exists: bool,
    pub ipv6_block: Option<Ipv6Net>,
    pub internet_gateway: Option<String>,
    pub egress_only_gateway: Option<String>,
}
