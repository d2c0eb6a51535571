//! What a kind's code is given: [`Resolve`] to compare (pure: the graph, what was discovered,
//! the facts looked up), [`Ctx`] to change AWS (clients, options, the IDs known so far).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::net::Ipv4Addr;
use std::sync::Mutex;

use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use ipnet::Ipv6Net;
use kops6_model::{Key, Lookup, ResourceGraph, RouteTarget, Value, VpcSource};

use crate::actual::{Actual, Observed, SharedVpc};
use crate::connect::Aws;
use crate::error::{api_error, AwsError};
use crate::kinds::ec2::vpc;
use crate::options::ApplyOptions;
use crate::progress::Progress;

/// Facts the diff needs besides the graph and the discovered resources.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub shared_vpc: Option<SharedVpc>,
    /// Allocation IDs of existing Elastic IPs named by address (`publicIP`).
    pub elastic_ips: BTreeMap<Ipv4Addr, String>,
    /// Other lookups answered by preflight (an image by owner and name, a hosted zone).
    pub resolved: HashMap<Lookup, String>,
    /// Every image a launch template uses, by AMI id, as preflight found it.
    pub images: BTreeMap<String, ImageFacts>,
}

/// What preflight learnt of an AMI: its name (judged by the image rules) and the device its
/// root volume is on (where a launch template's root volume settings go).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFacts {
    pub name: String,
    pub root_device: String,
}

impl Facts {
    fn lookup(&self, l: &Lookup) -> Option<String> {
        match l {
            Lookup::VpcInternetGateway => self.shared_vpc.as_ref()?.internet_gateway.clone(),
            Lookup::VpcEgressOnlyInternetGateway => {
                self.shared_vpc.as_ref()?.egress_only_gateway.clone()
            }
            Lookup::ElasticIpByAddress(ip) => self.elastic_ips.get(ip).cloned(),
            other => self.resolved.get(other).cloned(),
        }
    }
}

/// The value of a route target that is an ID in the spec, or the [`Value`] to resolve.
pub fn target_value(t: &RouteTarget) -> Result<&Value, &str> {
    match t {
        RouteTarget::InternetGateway(v)
        | RouteTarget::EgressOnlyInternetGateway(v)
        | RouteTarget::NatGateway(v) => Ok(v),
        RouteTarget::TransitGateway(id)
        | RouteTarget::Instance(id)
        | RouteTarget::VpcPeeringConnection(id)
        | RouteTarget::VpcEndpoint(id)
        | RouteTarget::VpnGateway(id) => Err(id),
    }
}

/// IDs as far as they are known before applying: resources still to be created have none.
pub struct Resolve<'a> {
    pub graph: &'a ResourceGraph,
    pub actual: &'a Actual,
    pub facts: &'a Facts,
}

impl Resolve<'_> {
    pub fn id(&self, v: &Value) -> Option<String> {
        match v {
            Value::Ref(key) => self.actual.get(key).map(|f| f.id.clone()),
            Value::Shared(id) => Some(id.clone()),
            Value::Lookup(l) => self.facts.lookup(l),
        }
    }

    pub fn target(&self, t: &RouteTarget) -> Option<String> {
        match target_value(t) {
            Ok(v) => self.id(v),
            Err(id) => Some(id.to_string()),
        }
    }

    /// The VPC's IPv6 block as far as it is known.
    pub fn vpc_ipv6_block(&self) -> Option<Ipv6Net> {
        vpc_block_of(self.graph, self.actual, self.facts)
    }
}

fn vpc_block_of(graph: &ResourceGraph, actual: &Actual, facts: &Facts) -> Option<Ipv6Net> {
    match &graph.vpc {
        VpcSource::Managed(key) => vpc::ipv6_block(actual.get(key)?),
        VpcSource::Shared(_) => facts.shared_vpc.as_ref()?.ipv6_block,
    }
}

/// One apply (or delete): the clients, the options, and the IDs known so far, which grow as
/// resources are created.
pub struct Ctx<'a> {
    pub aws: &'a Aws,
    pub opts: &'a ApplyOptions,
    pub progress: &'a Progress,
    /// Unique to this run: client tokens make the SDK's own retries idempotent.
    run_token: String,
    ids: Mutex<HashMap<Key, String>>,
    /// What is known of each resource's attributes: as discovered, or as its create returned
    /// them (a load balancer's DNS name), so a later step need not read them back.
    observed: Mutex<HashMap<Key, Observed>>,
    /// Held by a step that checks and then changes something other steps may change too
    /// (the A and AAAA records both associating the VPC with a private zone).
    exclusive: tokio::sync::Mutex<()>,
    vpc_block: Mutex<Option<Ipv6Net>>,
    facts: Facts,
}

impl<'a> Ctx<'a> {
    /// For applying `graph`, starting from what was discovered.
    pub fn for_apply(
        aws: &'a Aws,
        opts: &'a ApplyOptions,
        progress: &'a Progress,
        graph: &ResourceGraph,
        actual: &Actual,
        facts: &Facts,
    ) -> Self {
        let ids = actual
            .resources
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.first()?.id.clone())))
            .collect();
        let observed = actual
            .resources
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.first()?.observed.clone())))
            .collect();
        Self {
            aws,
            opts,
            progress,
            run_token: format!("{:08x}", rand::random::<u32>()),
            ids: Mutex::new(ids),
            observed: Mutex::new(observed),
            exclusive: tokio::sync::Mutex::new(()),
            vpc_block: Mutex::new(vpc_block_of(graph, actual, facts)),
            facts: facts.clone(),
        }
    }

    /// For deleting: nothing is resolved or created.
    pub fn for_delete(aws: &'a Aws, opts: &'a ApplyOptions, progress: &'a Progress) -> Self {
        Self {
            aws,
            opts,
            progress,
            run_token: String::new(),
            ids: Mutex::new(HashMap::new()),
            observed: Mutex::new(HashMap::new()),
            exclusive: tokio::sync::Mutex::new(()),
            vpc_block: Mutex::new(None),
            facts: Facts::default(),
        }
    }

    /// The ID of `v`, for `key`'s create or update; an error if it is not known yet (the
    /// scheduler runs a step only after what it refers to, so this is a bug, not a race).
    pub fn value(&self, key: &Key, v: &Value) -> Result<String, AwsError> {
        let known = match v {
            Value::Ref(k) => self.ids.lock().ok().and_then(|ids| ids.get(k).cloned()),
            Value::Shared(id) => Some(id.clone()),
            Value::Lookup(l) => self.facts.lookup(l),
        };
        known.ok_or_else(|| AwsError::UnknownId {
            key: key.clone(),
            value: kops6_model::plan::describe_value(v),
        })
    }

    /// What preflight looked up (images, shared VPC, Elastic IPs).
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    pub fn target(&self, key: &Key, t: &RouteTarget) -> Result<String, AwsError> {
        match target_value(t) {
            Ok(v) => self.value(key, v),
            Err(id) => Ok(id.to_string()),
        }
    }

    pub fn record(&self, key: &Key, id: &str) {
        if let Ok(mut ids) = self.ids.lock() {
            ids.insert(key.clone(), id.to_string());
        }
    }

    /// Records what `key`'s create learnt of it (replacing what discovery saw).
    pub fn observe(&self, key: &Key, attributes: Observed) {
        if let Ok(mut all) = self.observed.lock() {
            all.insert(key.clone(), attributes);
        }
    }

    /// The attributes of the resource `key` refers to, as discovered or created this run.
    pub fn observed(&self, key: &Key) -> Option<Observed> {
        self.observed.lock().ok()?.get(key).cloned()
    }

    /// One step at a time through a check and the change it decides.
    pub async fn exclusive(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.exclusive.lock().await
    }

    pub fn vpc_block(&self) -> Option<Ipv6Net> {
        self.vpc_block.lock().ok().and_then(|b| *b)
    }

    pub fn set_vpc_block(&self, block: Ipv6Net) {
        if let Ok(mut b) = self.vpc_block.lock() {
            *b = Some(block);
        }
    }

    /// A client token for creating `key`, the same for every retry within this run.
    pub fn token(&self, key: &Key) -> String {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut h);
        format!("kops6-{}-{:016x}", self.run_token, h.finish())
    }

    /// An SDK error, naming the action and the resource.
    pub fn err<E>(
        &self,
        e: SdkError<E, HttpResponse>,
        action: &str,
        key: &dyn fmt::Display,
    ) -> AwsError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        api_error(e, action, key, &self.aws.endpoint)
    }
}
