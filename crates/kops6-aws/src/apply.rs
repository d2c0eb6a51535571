//! Applying: preflight, discover, diff, then the steps in dependency order, independent ones
//! in parallel (bounded), each waiting only for the resources it refers to.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ipnet::Ipv6Net;
use kops6_model::{
    Key, Kind, Lookup, Plan, Resource, ResourceGraph, RouteTarget, Spec, Value, VpcSource,
};
use tokio::sync::{watch, Semaphore};

use crate::actual::{Actual, Observed, SharedVpc};
use crate::connect::Aws;
use crate::diff::{diff, plan_of, resolve_target, subnet_ipv6, Facts, FieldChange, Step};
use crate::discover::{discover, elastic_ip_allocation, shared_vpc};
use crate::error::AwsError;
use crate::ops::Ops;
use crate::remove::remove;

/// How an apply runs.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Calls in flight at once.
    pub parallelism: usize,
    /// How long to wait for a NAT gateway to become available.
    pub nat_gateway_wait: Duration,
    /// Print progress lines on stderr.
    pub progress: bool,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            parallelism: 8,
            nat_gateway_wait: Duration::from_secs(600),
            progress: true,
        }
    }
}

/// What the cluster needs against what exists, before anything is changed.
pub struct Preview {
    pub steps: Vec<Step>,
    pub plan: Plan,
    pub actual: Actual,
    pub facts: Facts,
}

/// SPEC 4.10: what a shared VPC lacks, each with how to add it. Empty when ready.
pub fn shared_vpc_problems(graph: &ResourceGraph, vpc: &SharedVpc) -> Vec<String> {
    let id = &vpc.id;
    if !vpc.exists {
        return vec![format!(
            "VPC {id} (spec.networkID) does not exist in {}",
            graph.region
        )];
    }
    let needs_ipv6 = graph
        .resources
        .iter()
        .any(|r| matches!(&r.spec, Spec::Subnet(s) if s.ipv6_cidr.is_some()));
    let lookups = graph.lookups();
    let mut problems = Vec::new();
    if needs_ipv6 && vpc.ipv6_block.is_none() {
        problems.push(format!(
            "it has no IPv6 CIDR block: add one with `aws ec2 associate-vpc-cidr-block --vpc-id {id} --amazon-provided-ipv6-cidr-block`"
        ));
    }
    if lookups.contains(&&Lookup::VpcInternetGateway) && vpc.internet_gateway.is_none() {
        problems.push(format!(
            "it has no internet gateway: create one with `aws ec2 create-internet-gateway` and attach it with `aws ec2 attach-internet-gateway --vpc-id {id} --internet-gateway-id igw-...`"
        ));
    }
    if lookups.contains(&&Lookup::VpcEgressOnlyInternetGateway) && vpc.egress_only_gateway.is_none()
    {
        problems.push(format!(
            "it has no egress-only internet gateway, which its private IPv6 subnets need: create one with `aws ec2 create-egress-only-internet-gateway --vpc-id {id}`"
        ));
    }
    problems
}

/// Discovers, checks a shared VPC and named Elastic IPs, and diffs. Makes no change.
pub async fn preview(aws: &Aws, graph: &ResourceGraph) -> Result<Preview, AwsError> {
    let mut facts = Facts::default();
    if let VpcSource::Shared(id) = &graph.vpc {
        let vpc = shared_vpc(aws, id).await?;
        let problems = shared_vpc_problems(graph, &vpc);
        if !problems.is_empty() {
            return Err(AwsError::SharedVpc {
                vpc: id.clone(),
                problems,
            });
        }
        facts.shared_vpc = Some(vpc);
    }
    for lookup in graph.lookups() {
        if let Lookup::ElasticIpByAddress(ip) = lookup {
            let allocation = elastic_ip_allocation(aws, &ip.to_string())
                .await?
                .ok_or_else(|| {
                    AwsError::Other(format!(
                        "publicIP {ip}: no Elastic IP with that address in {}",
                        graph.region
                    ))
                })?;
            facts.elastic_ips.insert(*ip, allocation);
        }
    }
    let actual = discover(aws, &graph.cluster).await?;
    let steps = diff(graph, &actual, &facts);
    let plan = plan_of(graph, &steps);
    Ok(Preview {
        steps,
        plan,
        actual,
        facts,
    })
}

/// What an apply did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyReport {
    pub created: usize,
    pub updated: usize,
    pub deleted: usize,
}

/// Makes AWS match the graph. A second run with the same graph makes no change.
pub async fn apply(
    aws: &Aws,
    graph: &ResourceGraph,
    opts: &ApplyOptions,
) -> Result<ApplyReport, AwsError> {
    let preview = preview(aws, graph).await?;
    let replacements: Vec<String> = preview
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Replace { key, id, reason } => Some(format!("{key} ({id}): {reason}")),
            _ => None,
        })
        .collect();
    if !replacements.is_empty() {
        return Err(AwsError::NeedsReplacement {
            reasons: replacements,
        });
    }
    let (changes, removals): (Vec<Step>, Vec<Step>) = preview
        .steps
        .into_iter()
        .partition(|s| !matches!(s, Step::Delete { .. }));
    let mut report = ApplyReport::default();
    for s in &changes {
        match s {
            Step::Create { .. } => report.created += 1,
            _ => report.updated += 1,
        }
    }
    let total = changes.len() + removals.len();
    let progress = Progress::new(total, opts.progress);
    run_changes(
        aws,
        graph,
        &preview.actual,
        &preview.facts,
        changes,
        opts,
        &progress,
    )
    .await?;
    report.deleted = removals.len();
    remove(aws, removals, opts, &progress).await?;
    Ok(report)
}

/// Progress lines on stderr: `[3/32] creating Subnet/us-east-1a.example.com`.
pub struct Progress {
    done: AtomicUsize,
    total: usize,
    on: bool,
}

impl Progress {
    pub fn new(total: usize, on: bool) -> Self {
        Self {
            done: AtomicUsize::new(0),
            total,
            on,
        }
    }

    pub fn step(&self, verb: &str, key: &Key) {
        let n = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        if self.on {
            eprintln!("[{n}/{}] {verb} {key}", self.total);
        }
    }

    pub fn note(&self, text: &str) {
        if self.on {
            eprintln!("      {text}");
        }
    }
}

/// Shared state of one apply: the IDs known so far, and the VPC's IPv6 block.
struct State {
    ids: Mutex<HashMap<Key, String>>,
    vpc_block: Mutex<Option<Ipv6Net>>,
    facts: Facts,
}

impl State {
    fn id(&self, key: &Key) -> Option<String> {
        self.ids.lock().ok()?.get(key).cloned()
    }

    fn value(&self, v: &Value) -> Result<String, AwsError> {
        let known = match v {
            Value::Ref(key) => self.id(key),
            Value::Shared(id) => Some(id.clone()),
            Value::Lookup(Lookup::VpcInternetGateway) => self
                .facts
                .shared_vpc
                .as_ref()
                .and_then(|s| s.internet_gateway.clone()),
            Value::Lookup(Lookup::VpcEgressOnlyInternetGateway) => self
                .facts
                .shared_vpc
                .as_ref()
                .and_then(|s| s.egress_only_gateway.clone()),
            Value::Lookup(Lookup::ElasticIpByAddress(ip)) => {
                self.facts.elastic_ips.get(ip).cloned()
            }
        };
        known.ok_or_else(|| AwsError::Other(format!("the ID of {v:?} is not known")))
    }

    fn target(&self, t: &RouteTarget) -> Result<String, AwsError> {
        match t {
            RouteTarget::InternetGateway(v)
            | RouteTarget::EgressOnlyInternetGateway(v)
            | RouteTarget::NatGateway(v) => self.value(v),
            other => Ok(resolve_target(other, &Actual::default(), &self.facts).unwrap_or_default()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Pending,
    Done,
    Failed,
}

async fn run_changes(
    aws: &Aws,
    graph: &ResourceGraph,
    actual: &Actual,
    facts: &Facts,
    steps: Vec<Step>,
    opts: &ApplyOptions,
    progress: &Progress,
) -> Result<(), AwsError> {
    let ids: HashMap<Key, String> = actual
        .resources
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.first()?.id.clone())))
        .collect();
    let vpc_block = match &graph.vpc {
        VpcSource::Managed(key) => actual.get(key).and_then(|f| match &f.observed {
            Observed::Vpc { ipv6_block, .. } => *ipv6_block,
            _ => None,
        }),
        VpcSource::Shared(_) => facts.shared_vpc.as_ref().and_then(|s| s.ipv6_block),
    };
    let state = Arc::new(State {
        ids: Mutex::new(ids),
        vpc_block: Mutex::new(vpc_block),
        facts: facts.clone(),
    });
    let channels: BTreeMap<Key, (watch::Sender<Outcome>, watch::Receiver<Outcome>)> = steps
        .iter()
        .map(|s| (s.key().clone(), watch::channel(Outcome::Pending)))
        .collect();
    let limit = Arc::new(Semaphore::new(opts.parallelism.max(1)));
    let run_token = format!("{:08x}", rand::random::<u32>());
    let errors: Mutex<Vec<String>> = Mutex::new(Vec::new());

    let tasks = steps.iter().map(|step| {
        let key = step.key().clone();
        let resource = graph.get(&key);
        let waits: Vec<(Key, watch::Receiver<Outcome>)> = resource
            .map(|r| r.dependencies())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|d| channels.get(d).map(|(_, rx)| (d.clone(), rx.clone())))
            .collect();
        let done = channels.get(&key).map(|(tx, _)| tx.clone());
        let state = state.clone();
        let limit = limit.clone();
        let errors = &errors;
        let ops = Ops {
            aws,
            run_token: run_token.clone(),
        };
        async move {
            let mut blocked = None;
            for (dep, mut rx) in waits {
                let outcome = rx
                    .wait_for(|o| *o != Outcome::Pending)
                    .await
                    .map(|o| o.clone())
                    .ok();
                if outcome != Some(Outcome::Done) {
                    blocked = Some(dep);
                    break;
                }
            }
            let result = match (blocked, resource) {
                (Some(dep), _) => Err(AwsError::Other(format!(
                    "{key}: not changed because {dep} failed"
                ))),
                (None, None) => Err(AwsError::Other(format!(
                    "{key}: not in the cluster's resources"
                ))),
                (None, Some(resource)) => {
                    let _permit = limit
                        .acquire()
                        .await
                        .map_err(|e| AwsError::Other(e.to_string()));
                    execute(&ops, &state, step, resource, opts, progress).await
                }
            };
            let outcome = match result {
                Ok(()) => Outcome::Done,
                Err(e) => {
                    if let Ok(mut errs) = errors.lock() {
                        errs.push(e.to_string());
                    }
                    Outcome::Failed
                }
            };
            if let Some(tx) = done {
                let _ = tx.send(outcome);
            }
        }
    });
    crate::remove::futures_all(tasks).await;
    let errors = errors.into_inner().unwrap_or_default();
    match errors.len() {
        0 => Ok(()),
        1 => Err(AwsError::Other(
            errors.into_iter().next().unwrap_or_default(),
        )),
        n => Err(AwsError::Failed { count: n, errors }),
    }
}

async fn execute(
    ops: &Ops<'_>,
    state: &State,
    step: &Step,
    r: &Resource,
    opts: &ApplyOptions,
    progress: &Progress,
) -> Result<(), AwsError> {
    match step {
        Step::Create { key } => {
            progress.step("creating", key);
            let id = create(ops, state, r, opts, progress).await?;
            if let Ok(mut ids) = state.ids.lock() {
                ids.insert(key.clone(), id);
            }
            Ok(())
        }
        Step::Update { key, id, fields } => {
            let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
            progress.step(&format!("updating ({})", names.join(", ")), key);
            for f in fields {
                update(ops, state, r, id, f).await?;
            }
            Ok(())
        }
        Step::Replace { key, reason, .. } => Err(AwsError::NeedsReplacement {
            reasons: vec![format!("{key}: {reason}")],
        }),
        Step::Delete { .. } => Ok(()),
    }
}

async fn create(
    ops: &Ops<'_>,
    state: &State,
    r: &Resource,
    opts: &ApplyOptions,
    progress: &Progress,
) -> Result<String, AwsError> {
    let key = &r.key;
    let tags = &r.tags;
    match &r.spec {
        Spec::Vpc {
            cidr,
            amazon_ipv6_block,
            dns_hostnames,
            dns_support,
        } => {
            let id = ops
                .create_vpc(key, tags, &cidr.to_string(), *amazon_ipv6_block)
                .await?;
            // New VPCs have DNS support on and hostnames off.
            ops.set_vpc_dns(
                key,
                &id,
                dns_hostnames.then_some(true),
                (!dns_support).then_some(false),
            )
            .await?;
            if *amazon_ipv6_block {
                let block = ops.wait_vpc_ipv6(key, &id).await?;
                progress.note(&format!("{key} has IPv6 block {block}"));
                if let Ok(mut b) = state.vpc_block.lock() {
                    *b = Some(block);
                }
            }
            Ok(id)
        }
        Spec::DhcpOptions {
            domain_name,
            domain_name_servers,
        } => {
            ops.create_dhcp_options(key, tags, domain_name, domain_name_servers)
                .await
        }
        Spec::VpcDhcpOptionsAssociation { vpc, dhcp_options } => {
            let vpc = state.value(vpc)?;
            ops.associate_dhcp_options(key, &vpc, &state.value(dhcp_options)?)
                .await?;
            Ok(vpc)
        }
        Spec::InternetGateway { vpc } => {
            let id = ops.create_internet_gateway(key, tags).await?;
            ops.attach_internet_gateway(key, &id, &state.value(vpc)?)
                .await?;
            Ok(id)
        }
        Spec::EgressOnlyInternetGateway { vpc } => {
            ops.create_egress_only_gateway(key, tags, &state.value(vpc)?)
                .await
        }
        Spec::Subnet(s) => {
            let block = state.vpc_block.lock().ok().and_then(|b| *b);
            let ipv6 = subnet_ipv6(s, block);
            if s.ipv6_cidr.is_some() && ipv6.is_none() {
                return Err(AwsError::Other(format!(
                    "{key}: the VPC's IPv6 block is not known, so {:?} cannot be resolved",
                    s.ipv6_cidr.map(|c| c.to_string())
                )));
            }
            let id = ops
                .create_subnet(key, tags, s, &state.value(&s.vpc)?, ipv6.as_deref())
                .await?;
            for (field, value) in subnet_settings(s) {
                ops.set_subnet_attribute(key, &id, field, &value).await?;
            }
            Ok(id)
        }
        Spec::ElasticIp => ops.allocate_address(key, tags).await,
        Spec::NatGateway { subnet, allocation } => {
            let id = ops
                .create_nat_gateway(key, tags, &state.value(subnet)?, &state.value(allocation)?)
                .await?;
            progress.note(&format!("waiting for {key} ({id}) to be available"));
            ops.wait_nat_gateway(key, &id, "available", opts.nat_gateway_wait)
                .await?;
            Ok(id)
        }
        Spec::RouteTable { vpc } => ops.create_route_table(key, tags, &state.value(vpc)?).await,
        Spec::Route {
            table,
            destination,
            target,
        } => {
            let table = state.value(table)?;
            ops.put_route(key, &table, *destination, &state.target(target)?, false)
                .await?;
            Ok(table)
        }
        Spec::RouteTableAssociation { subnet, table } => {
            ops.associate_route_table(key, &state.value(table)?, &state.value(subnet)?)
                .await
        }
    }
}

/// Subnet attributes that differ from what a new subnet has (IPv6 assignment, DNS64, DNS
/// names off; hostnames by IP, except IPv6-native subnets, which only name by resource).
fn subnet_settings(s: &kops6_model::graph::SubnetSpec) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if s.assign_ipv6_on_creation {
        out.push(("assignIpv6AddressOnCreation", "true".to_string()));
    }
    if s.enable_dns64 {
        out.push(("enableDns64", "true".to_string()));
    }
    if s.ipv6_cidr.is_some() && s.resource_name_hostnames && !s.ipv6_native {
        out.push(("hostnameType", "resource-name".to_string()));
    }
    if s.dns_a_records {
        out.push(("enableResourceNameDnsARecord", "true".to_string()));
    }
    if s.dns_aaaa_records {
        out.push(("enableResourceNameDnsAAAARecord", "true".to_string()));
    }
    out
}

async fn update(
    ops: &Ops<'_>,
    state: &State,
    r: &Resource,
    id: &str,
    f: &FieldChange,
) -> Result<(), AwsError> {
    let key = &r.key;
    match (&r.spec, f.field) {
        (_, "tags") => ops.create_tags(key, id, &r.tags).await,
        (Spec::Vpc { .. }, "ipv6Block") => {
            ops.associate_vpc_ipv6(key, id).await?;
            let block = ops.wait_vpc_ipv6(key, id).await?;
            if let Ok(mut b) = state.vpc_block.lock() {
                *b = Some(block);
            }
            Ok(())
        }
        (Spec::Vpc { .. }, "enableDnsHostnames") => {
            ops.set_vpc_dns(key, id, Some(f.to == "true"), None).await
        }
        (Spec::Vpc { .. }, "enableDnsSupport") => {
            ops.set_vpc_dns(key, id, None, Some(f.to == "true")).await
        }
        (Spec::VpcDhcpOptionsAssociation { vpc, dhcp_options }, _) => {
            ops.associate_dhcp_options(key, &state.value(vpc)?, &state.value(dhcp_options)?)
                .await
        }
        (Spec::InternetGateway { vpc }, "attachment") => {
            ops.attach_internet_gateway(key, id, &state.value(vpc)?)
                .await
        }
        (Spec::Subnet(_), field) => ops.set_subnet_attribute(key, id, field, &f.to).await,
        (
            Spec::Route {
                table,
                destination,
                target,
            },
            "target",
        ) => {
            ops.put_route(
                key,
                &state.value(table)?,
                *destination,
                &state.target(target)?,
                true,
            )
            .await
        }
        (Spec::RouteTableAssociation { table, .. }, "routeTable") => {
            ops.replace_association(key, id, &state.value(table)?).await
        }
        (_, field) => Err(AwsError::Other(format!(
            "{key}: kops6 cannot change {field} in place"
        ))),
    }
}

/// The kinds in the order `delete` removes them: what depends on others first.
pub fn delete_rank(kind: Kind) -> u8 {
    match kind {
        Kind::Route => 0,
        Kind::RouteTableAssociation => 1,
        Kind::NatGateway => 2,
        Kind::ElasticIp => 3,
        Kind::RouteTable => 4,
        Kind::Subnet => 5,
        Kind::EgressOnlyInternetGateway => 6,
        Kind::InternetGateway => 7,
        Kind::Vpc => 8,
        Kind::VpcDhcpOptionsAssociation => 9,
        Kind::DhcpOptions => 10,
    }
}
