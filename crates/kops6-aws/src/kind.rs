//! The one trait every AWS kind implements: how it is found, compared, created, updated and
//! deleted, side by side in the kind's own module (`kinds/<service>/<kind>.rs`). The phase
//! engines (`discover`, `diff`, `apply`, `remove`) know no kind; they dispatch through
//! [`crate::registry`].

use std::future::Future;
use std::pin::Pin;

use kops6_model::graph::Tags;
use kops6_model::{Key, Kind, Resource};

use crate::actual::{Actual, Found};
use crate::compare::{Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::error::AwsError;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How a kind is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discovery {
    /// By its own Describe call.
    Own,
    /// In the answer of another kind's Describe (routes come with their route table).
    With(Kind),
}

/// How a kind's resources go away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// Deleted on its own.
    Alone,
    /// Lives inside another resource (a route in its table): deleted on its own when the spec
    /// drops it, and with its parent when the whole cluster goes.
    Inside(Kind),
    /// A setting of another resource (a VPC's DHCP options): never deleted on its own.
    SettingOf(Kind),
}

/// The logical name of a discovered resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    /// Its `Name` tag, or a name made from its parent's (a route: `<table>/<destination>`).
    Given(String),
    /// It has no `Name` tag, so it can only ever be an orphan to remove.
    Untagged,
    /// The name of the resource of `kind` with this ID (an association is named after its
    /// subnet), known once every kind is discovered.
    SameAs { kind: Kind, id: String },
}

impl Name {
    pub fn from_tags(tags: &Tags) -> Self {
        match tags.get("Name") {
            Some(n) => Name::Given(n.clone()),
            None => Name::Untagged,
        }
    }
}

/// One resource a kind's discovery found.
#[derive(Debug, Clone)]
pub struct Discovered {
    pub kind: Kind,
    pub name: Name,
    pub found: Found,
}

/// What a step does, for [`AwsKind::typical_secs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Create,
    Update,
    Delete,
}

/// What most steps take on AWS: a call or two at tens of milliseconds each.
pub const QUICK_STEP_SECS: f64 = 0.1;

/// One AWS resource kind.
pub trait AwsKind: Sync {
    fn kind(&self) -> Kind;

    fn discovery(&self) -> Discovery {
        Discovery::Own
    }

    fn lifetime(&self) -> Lifetime {
        Lifetime::Alone
    }

    /// Everything of this kind (and of the kinds discovered [`Discovery::With`] it) tagged as
    /// owned by `cluster`: at most one Describe (plus its pages).
    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>>;

    /// References only the whole discovery shows (a NAT gateway needs its VPC's internet
    /// gateway, so it goes first). Added to [`Found::refs`].
    fn implied_refs(&self, _found: &Found, _actual: &Actual) -> Vec<String> {
        Vec::new()
    }

    /// The key under which discovery files this desired resource. Kinds whose AWS form has
    /// no name or tag (a security group rule) are matched by their content instead.
    fn actual_key(&self, desired: &Resource, _cx: &Resolve<'_>) -> Key {
        desired.key.clone()
    }

    /// The typed comparison of the desired resource with what was found: each field is
    /// either mutable (an update) or replace-only. Pure.
    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare;

    /// About how long `op` takes on AWS, waits included. Only the scheduler reads it: of the
    /// steps that may start, it starts first those with the longest estimated path after
    /// them, so a slow step on the critical path (a NAT gateway waits a minute or two to be
    /// available, and the routes through it wait for it) never queues behind quick ones.
    fn typical_secs(&self, _op: Op) -> f64 {
        QUICK_STEP_SECS
    }

    /// The instance group whose running instances `change` leaves out of date (a launch
    /// template's new version), to be rolled; `None` for every other change.
    fn rolls(&self, _desired: &Resource, _change: &FieldChange) -> Option<String> {
        None
    }

    /// Creates the resource (tags at creation, client tokens where AWS offers them) and
    /// returns its ID.
    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>>;

    /// Changes one field in place.
    fn update<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
        id: &'a str,
        change: &'a FieldChange,
    ) -> BoxFuture<'a, Result<(), AwsError>>;

    /// Deletes it. A resource that is already gone counts as deleted.
    fn delete<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        key: &'a Key,
        found: &'a Found,
    ) -> BoxFuture<'a, Result<(), AwsError>>;
}
