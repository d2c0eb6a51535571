//! Applying: preflight, discover, diff, then the steps in dependency order, independent ones
//! in parallel (bounded), each waiting only for the resources it refers to. Each step runs
//! through its kind's code ([`crate::registry`]).

use kops6_model::{Lookup, Plan, Resource, ResourceGraph, Spec, VpcSource};

use crate::actual::{Actual, SharedVpc};
use crate::connect::Aws;
use crate::context::{Ctx, Facts};
use crate::diff::{diff, plan_of, Step};
use crate::discover::{discover_for, shared_vpc};
use crate::error::{preflight_result, AwsError};
use crate::kinds::ec2::{elastic_ip, image, instance_type};
pub use crate::options::ApplyOptions;
use crate::progress::Progress;
use crate::registry;
use crate::remove::remove;
use crate::schedule::{self, combine, outcome_errors};

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

/// Discovers, checks a shared VPC and named Elastic IPs, and diffs. Makes no change. A graph
/// with a kind direct apply does not handle is refused before any call.
pub async fn preview(aws: &Aws, graph: &ResourceGraph) -> Result<Preview, AwsError> {
    // Preflight and discovery only read, and neither needs the other: side by side, the
    // first apply waits for the slower of the two. Preflight's error comes first.
    let (facts, actual) = tokio::join!(preflight(aws, graph), discover_for(aws, graph));
    let facts = facts?;
    preview_prepared(graph, actual?, facts)
}

/// What a graph needs looked up or checked before any change: a shared VPC, named Elastic
/// IPs, hosted zones, images and machine types. Every problem of the spec is reported at once
/// ([`AwsError::Preflight`] when there are several). A caller that applies in parts (the CLI:
/// the load balancer before the launch templates that need its name) runs it once, on the
/// whole graph, and passes the facts to [`apply_prepared`].
pub async fn preflight(aws: &Aws, graph: &ResourceGraph) -> Result<Facts, AwsError> {
    registry::check_supported(graph.resources.iter().map(|r| &r.key))?;
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
    let mut problems = Vec::new();
    for lookup in graph.lookups() {
        if let Lookup::ElasticIpByAddress(ip) = lookup {
            let address = ip.to_string();
            match elastic_ip::allocation_of(aws, &address).await? {
                Some(allocation) => {
                    facts.elastic_ips.insert(*ip, allocation);
                }
                None => problems.push(AwsError::ElasticIpNotFound {
                    address,
                    region: graph.region.clone(),
                }),
            }
        }
    }
    problems.extend(crate::kinds::route53::resolve_zones(aws, graph, &mut facts).await?);
    problems.extend(image::resolve_images(aws, graph, &mut facts).await?);
    problems.extend(instance_type::check_offered(aws, graph).await?);
    preflight_result(problems)?;
    Ok(facts)
}

/// The diff of `graph` against what was discovered, with the facts of [`preflight`]. Pure.
pub fn preview_prepared(
    graph: &ResourceGraph,
    actual: Actual,
    facts: Facts,
) -> Result<Preview, AwsError> {
    registry::check_supported(graph.resources.iter().map(|r| &r.key))?;
    let steps = diff(graph, &actual, &facts)?;
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
    /// The instance groups whose launch template got a new version: their running instances
    /// are out of date until they are rolled (sorted).
    pub needs_rolling: Vec<String>,
}

/// Makes AWS match the graph. A second run with the same graph makes no change.
pub async fn apply(
    aws: &Aws,
    graph: &ResourceGraph,
    opts: &ApplyOptions,
) -> Result<ApplyReport, AwsError> {
    let preview = preview(aws, graph).await?;
    apply_preview(aws, graph, opts, preview).await
}

/// [`apply`] against what an earlier discovery and [`preflight`] found, so a caller that
/// applies in parts discovers each kind and looks each fact up once.
pub async fn apply_prepared(
    aws: &Aws,
    graph: &ResourceGraph,
    opts: &ApplyOptions,
    actual: Actual,
    facts: Facts,
) -> Result<ApplyReport, AwsError> {
    let preview = preview_prepared(graph, actual, facts)?;
    apply_preview(aws, graph, opts, preview).await
}

async fn apply_preview(
    aws: &Aws,
    graph: &ResourceGraph,
    opts: &ApplyOptions,
    preview: Preview,
) -> Result<ApplyReport, AwsError> {
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
    let mut needs_rolling: Vec<String> = changes
        .iter()
        .filter_map(|s| match s {
            Step::Update { key, fields, .. } => {
                let (kind, r) = (registry::get(key.kind)?, graph.get(key)?);
                fields.iter().find_map(|f| kind.rolls(r, f))
            }
            _ => None,
        })
        .collect();
    needs_rolling.sort();
    needs_rolling.dedup();
    let progress = Progress::new(changes.len() + removals.len(), opts);
    let cx = Ctx::for_apply(aws, opts, &progress, graph, &preview.actual, &preview.facts);
    run_changes(&cx, graph, &changes).await?;
    report.needs_rolling = needs_rolling;
    report.deleted = removals.len();
    remove(&cx, removals).await?;
    Ok(report)
}

/// Runs the creates and updates, each after the steps of what it refers to.
async fn run_changes(cx: &Ctx<'_>, graph: &ResourceGraph, steps: &[Step]) -> Result<(), AwsError> {
    let mut resources: Vec<&Resource> = Vec::with_capacity(steps.len());
    for s in steps {
        // diff makes steps only from the graph, so this finds every one.
        let r = graph
            .get(s.key())
            .ok_or_else(|| AwsError::UnsupportedKind {
                kinds: vec![s.key().kind],
                keys: vec![s.key().clone()],
            })?;
        resources.push(r);
    }
    let waits = schedule::reference_waits(&resources);
    if let Err(cycle) = schedule::order(&waits) {
        return Err(AwsError::Cycle {
            keys: cycle.into_iter().map(|i| steps[i].key().clone()).collect(),
        });
    }
    let costs: Vec<f64> = steps.iter().map(Step::typical_secs).collect();
    let outcomes = schedule::run(&waits, cx.opts.parallelism, &costs, |i| {
        execute(cx, &steps[i], resources[i])
    })
    .await;
    combine(outcome_errors(outcomes, |i| steps[i].key().clone()))
}

async fn execute(cx: &Ctx<'_>, step: &Step, r: &Resource) -> Result<(), AwsError> {
    let kind = registry::for_key(&r.key)?;
    match step {
        Step::Create { key } => {
            cx.progress.step("creating", key);
            let id = kind.create(cx, r).await?;
            cx.record(key, &id);
            Ok(())
        }
        Step::Update { key, id, fields } => {
            let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
            cx.progress
                .step(&format!("updating ({})", names.join(", ")), key);
            for f in fields {
                kind.update(cx, r, id, f).await?;
            }
            Ok(())
        }
        Step::Replace { key, reason, .. } => Err(AwsError::NeedsReplacement {
            reasons: vec![format!("{key}: {reason}")],
        }),
        Step::Delete { .. } => Ok(()),
    }
}
