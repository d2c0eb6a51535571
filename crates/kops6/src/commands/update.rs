//! `update cluster NAME`: what the whole cluster (SPEC 6 and 7, with each instance group's
//! bootstrap, SPEC 8) needs against what exists in AWS (or against nothing, `--offline`),
//! applied with `--yes`, or written as Terraform.
//!
//! The nodes' API name without a DNS zone is the API load balancer's DNS name, which AWS
//! gives only once the load balancer exists. So the first `--yes` applies in two parts:
//! everything but the launch templates and autoscaling groups, then (with the name known)
//! the PKI and user data are published and the rest is applied. Later runs find the load
//! balancer's name in what discovery read and apply once. Either way preflight runs once, on
//! the whole cluster, before any change.
//!
//! `--target terraform` without a DNS zone writes the user data as Terraform templates that
//! take the load balancer's DNS name at apply time, so it needs no load balancer beforehand.

use anyhow::{bail, Context, Result};
use kops6_api::complete::Completed;
use kops6_bootstrap::ApiEndpoint;
use kops6_model::{build_cluster, create_all, ClusterInputs, Plan, ResourceGraph};
#[cfg(feature = "aws")]
use kops6_model::{Key, Spec};
use kops6_state::StateStore;
use serde::Serialize;

use super::{checked, print_table, reviewed};
use crate::bootstrap_store;
use crate::cli::{PlanFormat, TargetArg, UpdateArgs, UpdateClusterArgs, UpdateWhat};
use crate::store;

/// What one run works from: the spec, the store and the inputs that do not change between
/// the builds of a run.
struct Run<'a> {
    store: &'a dyn StateStore,
    completed: Completed,
    args: &'a UpdateClusterArgs,
    base: ClusterInputs,
}

impl Run<'_> {
    fn name(&self) -> &str {
        &self.args.name
    }

    /// The whole cluster, with the given user data.
    fn build(
        &self,
        user_data: std::collections::BTreeMap<String, String>,
    ) -> Result<ResourceGraph> {
        self.build_with(user_data, false)
    }

    /// The whole cluster; `templates`: the user data wait for the API load balancer's name.
    fn build_with(
        &self,
        user_data: std::collections::BTreeMap<String, String>,
        templates: bool,
    ) -> Result<ResourceGraph> {
        let inputs = ClusterInputs {
            user_data,
            user_data_needs_api_load_balancer: templates,
            ..self.base.clone()
        };
        build_cluster(
            &self.completed.cluster,
            &self.completed.instance_groups,
            &inputs,
        )
        .with_context(|| format!("building cluster {:?}", self.name()))
    }

    /// The API name, if it can be known: `api.<C>` with a DNS zone, else the load balancer's
    /// DNS name when `load_balancer` gives it.
    fn api(&self, load_balancer: Option<&str>) -> Option<ApiEndpoint> {
        kops6_bootstrap::store::api_endpoint(&self.completed.cluster, load_balancer).ok()
    }

    /// The user data of every group, rendered without writing anything; empty (and said so)
    /// when the API name is not known yet.
    fn rendered_user_data(
        &self,
        api: Option<&ApiEndpoint>,
        region: &str,
        when_unknown: &str,
    ) -> Result<std::collections::BTreeMap<String, String>> {
        match api {
            // A plan still shows the infrastructure of a spec kops6 cannot bootstrap; applying
            // it (`publish`) is where that is an error.
            Some(api) => {
                match bootstrap_store::render(&self.store.url(), &self.completed, api, region) {
                    Ok(b) => Ok(bootstrap_store::user_data(&b)),
                    Err(e) => {
                        eprintln!("Launch templates have no user data here: {e:#}");
                        Ok(Default::default())
                    }
                }
            }
            None => {
                eprintln!(
                    "Launch templates have no user data here: the cluster has no DNS zone \
                     (topology.dns.type: None), so nodes use the API load balancer's DNS name, \
                     which is not known {when_unknown}."
                );
                Ok(Default::default())
            }
        }
    }

    /// No DNS zone: the nodes' API name is the load balancer's DNS name.
    fn dns_none(&self) -> bool {
        self.api(None).is_none()
    }

    /// `kubernetes.tf` without writing to the state store: with a DNS zone the user data name
    /// `api.<C>`; without one they are templates Terraform fills with the load balancer's name.
    fn terraform_graph(&self, region: &str) -> Result<ResourceGraph> {
        if !self.dns_none() {
            let api = self.api(self.recorded_load_balancer()?.as_deref());
            let user_data = self.rendered_user_data(api.as_ref(), region, "")?;
            return self.build(user_data);
        }
        match bootstrap_store::render_template(&self.store.url(), &self.completed, region) {
            Ok(b) => self.build_with(bootstrap_store::user_data(&b), true),
            Err(e) => {
                eprintln!("Launch templates have no user data here: {e:#}");
                self.build(Default::default())
            }
        }
    }

    /// The load balancer's DNS name as recorded in the state store by an earlier apply.
    fn recorded_load_balancer(&self) -> Result<Option<String>> {
        let key = format!("{}/{}", self.name(), kops6_bootstrap::store::API_ENDPOINT);
        Ok(self
            .store
            .read(&key)?
            .map(|b| String::from_utf8_lossy(&b).trim().to_string())
            .filter(|s| !s.is_empty()))
    }
}

pub fn run(state: Option<&str>, args: UpdateArgs) -> Result<()> {
    let UpdateWhat::Cluster(args) = args.what;
    let store = store::open(state)?;
    let set = store::load(store.as_ref(), &args.name)?;
    let completed = checked(&set)?;
    reviewed(&set)?;
    let terraform = args.target == Some(TargetArg::Terraform);
    if args.out.is_some() && !terraform {
        bail!("--out is only used with --target terraform");
    }
    if terraform && args.yes {
        bail!(
            "--yes applies to AWS directly; with --target terraform, run terraform apply yourself"
        );
    }
    let run = Run {
        base: ClusterInputs {
            ssh_public_key: super::ssh_key::load(store.as_ref(), &args.name)?,
            state_store: bootstrap_store::state_store_access(&store.url(), &args.name),
            ..Default::default()
        },
        store: store.as_ref(),
        completed,
        args: &args,
    };
    if args.offline {
        // Nothing is written and AWS is not asked. Terraform gets what an online run writes
        // (templates without a DNS zone); the plan gets user data when the API name is known
        // without AWS (a DNS zone, or a recorded load balancer).
        let skeleton = run.build(Default::default())?;
        if terraform {
            eprintln!(
                "--offline: nothing was written to the state store; run without --offline \
                 before terraform apply so the PKI the nodes read is there."
            );
            let graph = run.terraform_graph(&skeleton.region)?;
            return write_terraform(&args, &graph, &kops6_terraform::Resolved::default());
        }
        let recorded = run.recorded_load_balancer()?;
        let api = run.api(recorded.as_deref());
        let user_data =
            run.rendered_user_data(api.as_ref(), &skeleton.region, "without AWS (--offline)")?;
        let graph = run.build(user_data)?;
        return show(
            &create_all(&graph),
            &args,
            &graph,
            "against an empty account (--offline)",
        );
    }
    if terraform {
        return online_terraform(&run);
    }
    online(&run)
}

/// The API load balancer's AWS name, when the cluster has one.
#[cfg(feature = "aws")]
pub(crate) fn api_load_balancer(graph: &ResourceGraph) -> Option<String> {
    graph.resources.iter().find_map(|r| match &r.spec {
        Spec::LoadBalancer(lb) => Some(lb.aws_name.clone()),
        _ => None,
    })
}

/// One line naming what direct apply leaves out, by kind (nothing when it handles it all).
#[cfg(feature = "aws")]
fn report_left_out(left: &[Key]) {
    if left.is_empty() {
        return;
    }
    let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
    for k in left {
        *kinds.entry(k.kind.to_string()).or_default() += 1;
    }
    let by_kind: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} ({n})")).collect();
    eprintln!(
        "Left out of direct apply, which cannot create these kinds yet: {} resource(s): {} \
         (--target terraform renders them).",
        left.len(),
        by_kind.join(", ")
    );
}

#[cfg(feature = "aws")]
fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Runtime::new().context("starting the async runtime")
}

/// `--target terraform` with AWS reachable: the shared VPC's egress-only gateway is looked up
/// (so `kubernetes.tf` needs no `-var`), and with an `s3://` store the PKI is published as for
/// `--yes`. AWS is asked only for what the cluster needs, so a `file://` store and a managed
/// VPC write Terraform without credentials.
#[cfg(feature = "aws")]
fn online_terraform(run: &Run) -> Result<()> {
    use kops6_model::{Lookup, VpcSource};
    let skeleton = run.build(Default::default())?;
    let region = skeleton.region.clone();
    let s3 = run.base.state_store.is_some();
    let needs_eigw = matches!(skeleton.vpc, VpcSource::Shared(_))
        && skeleton
            .lookups()
            .contains(&&Lookup::VpcEgressOnlyInternetGateway);
    let dns_none = run.dns_none();
    let lb_name = api_load_balancer(&skeleton);
    let mut resolved = kops6_terraform::Resolved::default();
    let mut lb_dns = None;
    if needs_eigw || (s3 && dns_none) {
        let rt = runtime()?;
        let aws = rt.block_on(kops6_aws::Aws::connect(Some(&region)));
        if let (true, VpcSource::Shared(vpc)) = (needs_eigw, &skeleton.vpc) {
            resolved.egress_only_internet_gateway = rt
                .block_on(kops6_aws::queries::egress_only_internet_gateway(&aws, vpc))
                .with_context(|| format!("finding the egress-only internet gateway of {vpc}"))?;
        }
        if let (true, true, Some(n)) = (s3, dns_none, &lb_name) {
            lb_dns = rt.block_on(kops6_aws::queries::load_balancer_dns_name(&aws, n))?;
        }
    }
    if !s3 {
        eprintln!(
            "The state store is {}, which instances cannot read: nothing was published to it, \
             and nodes of this Terraform will not join. Use an s3:// state store for a cluster \
             that runs.",
            run.store.url()
        );
        return write_terraform(run.args, &run.terraform_graph(&region)?, &resolved);
    }
    let publishing = || format!("publishing the PKI of cluster {:?}", run.name());
    let graph = if dns_none {
        // The load balancer's name, when it exists already, is recorded for export
        // kubeconfig; the user data stay templates either way, so kubernetes.tf is the same
        // before and after the first terraform apply.
        let bootstrap = bootstrap_store::publish_template(
            run.store,
            &run.completed,
            lb_dns.as_deref(),
            &region,
        )
        .with_context(publishing)?;
        run.build_with(bootstrap_store::user_data(&bootstrap), true)?
    } else {
        let api = kops6_bootstrap::store::api_endpoint(&run.completed.cluster, lb_dns.as_deref())?;
        let bootstrap = bootstrap_store::publish(run.store, &run.completed, &api, &region)
            .with_context(publishing)?;
        run.build(bootstrap_store::user_data(&bootstrap))?
    };
    write_terraform(run.args, &graph, &resolved)
}

#[cfg(not(feature = "aws"))]
fn online_terraform(run: &Run) -> Result<()> {
    // No AWS here: what needs it stays a variable (named by write_terraform), and nothing is
    // published (an s3:// store cannot even be opened in this build).
    let skeleton = run.build(Default::default())?;
    write_terraform(
        run.args,
        &run.terraform_graph(&skeleton.region)?,
        &kops6_terraform::Resolved::default(),
    )
}

/// The plan against what exists in AWS, or (`--yes`) its application.
#[cfg(feature = "aws")]
fn online(run: &Run) -> Result<()> {
    let args = run.args;
    if args.yes {
        // Before any AWS call: a cluster whose nodes cannot read their PKI never comes up.
        kops6_bootstrap::StateStoreLocation::from_url(&run.store.url(), run.name(), "")
            .require_s3()
            .context("update cluster --yes")?;
    }
    let skeleton = run.build(Default::default())?;
    let region = skeleton.region.clone();
    let (_, left) = kops6_aws::registry::direct_part(&skeleton);
    report_left_out(&left);
    if args.yes && !left.is_empty() && !args.leave_out_unsupported {
        bail!(
            "nothing was applied: direct apply would leave out the {} resource(s) above, so \
             the cluster would be incomplete. Pass --leave-out-unsupported to apply the rest \
             anyway, or write the whole cluster with --target terraform",
            left.len()
        );
    }
    let lb_name = api_load_balancer(&skeleton);
    let rt = runtime()?;
    let aws = rt.block_on(kops6_aws::Aws::connect(Some(&region)));
    // Once per run, on the whole cluster: every bad image, machine type or zone is reported
    // before anything changes, and each is looked up once even when the apply has two parts.
    let facts = rt.block_on(kops6_aws::preflight(
        &aws,
        &kops6_aws::registry::direct_part(&skeleton).0,
    ))?;
    let started = std::time::Instant::now();
    let mut actual = rt.block_on(kops6_aws::discover::discover_for(&aws, &skeleton))?;
    // The load balancer's DNS name is in what discovery read. With a DNS zone the API name is
    // known without it; it still goes on the API certificate, so it is used either way.
    let find_lb = |actual: &kops6_aws::actual::Actual| {
        lb_name
            .as_deref()
            .and_then(|n| kops6_aws::queries::discovered_load_balancer_dns_name(actual, n))
    };
    let mut lb_dns = find_lb(&actual);
    if !args.yes {
        let api = run.api(lb_dns.as_deref());
        let user_data = run.rendered_user_data(
            api.as_ref(),
            &region,
            "before the load balancer exists (the first --yes creates it, then the user data)",
        )?;
        let (part, _) = kops6_aws::registry::direct_part(&run.build(user_data)?);
        let preview = kops6_aws::preview_prepared(&part, actual, facts)?;
        return show(
            &preview.plan,
            args,
            &part,
            &format!("against {}", aws.endpoint),
        );
    }
    let opts = kops6_aws::ApplyOptions {
        parallelism: args.parallelism.max(1),
        sink: Some(crate::progress::sink()),
        ..kops6_aws::ApplyOptions::default()
    };
    let mut report = kops6_aws::ApplyReport::default();
    if lb_dns.is_none() && lb_name.is_some() {
        eprintln!(
            "First apply: everything but the launch templates and autoscaling groups, then the \
             PKI and user data once the API load balancer has its DNS name, then the rest."
        );
        let (part, _) = kops6_aws::registry::direct_part(&skeleton);
        let first = without_instances(&part);
        // What exists of the instances is left out of this part's diff too, so it is not
        // deleted for being absent from the graph.
        let mut existing = actual.clone();
        existing.resources.retain(|k, _| !is_instance_kind(k));
        add(
            &mut report,
            rt.block_on(kops6_aws::apply_prepared(
                &aws,
                &first,
                &opts,
                existing,
                facts.clone(),
            ))?,
        );
        actual = rt.block_on(kops6_aws::discover::discover_for(&aws, &skeleton))?;
        lb_dns = find_lb(&actual);
        if lb_dns.is_none() {
            bail!(
                "the API load balancer {} was created but AWS does not report its DNS name",
                lb_name.as_deref().unwrap_or_default()
            );
        }
    }
    let api = kops6_bootstrap::store::api_endpoint(&run.completed.cluster, lb_dns.as_deref())?;
    let bootstrap = bootstrap_store::publish(run.store, &run.completed, &api, &region)
        .with_context(|| format!("publishing the PKI of cluster {:?}", run.name()))?;
    let (part, _) =
        kops6_aws::registry::direct_part(&run.build(bootstrap_store::user_data(&bootstrap))?);
    add(
        &mut report,
        rt.block_on(kops6_aws::apply_prepared(&aws, &part, &opts, actual, facts))?,
    );
    if report == kops6_aws::ApplyReport::default() {
        println!(
            "No changes: cluster {:?} is up to date in {}",
            part.cluster, part.region
        );
    } else {
        println!(
            "Cluster {:?} updated in {}: {} created, {} updated, {} deleted ({:.1}s)",
            part.cluster,
            part.region,
            report.created,
            report.updated,
            report.deleted,
            started.elapsed().as_secs_f64()
        );
    }
    if !report.needs_rolling.is_empty() {
        println!(
            "Instance groups whose launch template changed: {}. Their running instances keep \
             the old version until they are replaced (terminate them one at a time, or run \
             an instance refresh of their autoscaling groups).",
            report.needs_rolling.join(", ")
        );
    }
    Ok(())
}

#[cfg(feature = "aws")]
fn add(total: &mut kops6_aws::ApplyReport, r: kops6_aws::ApplyReport) {
    total.created += r.created;
    total.updated += r.updated;
    total.deleted += r.deleted;
    total.needs_rolling.extend(r.needs_rolling);
    total.needs_rolling.sort();
    total.needs_rolling.dedup();
}

/// The kinds that need the user data, so wait for the load balancer's name.
#[cfg(feature = "aws")]
fn is_instance_kind(key: &Key) -> bool {
    matches!(
        key.kind,
        kops6_model::Kind::LaunchTemplate | kops6_model::Kind::AutoscalingGroup
    )
}

/// `graph` without the launch templates, autoscaling groups and what depends on them.
#[cfg(feature = "aws")]
fn without_instances(graph: &ResourceGraph) -> ResourceGraph {
    let mut dropped: std::collections::BTreeSet<Key> = Default::default();
    let mut out = ResourceGraph {
        resources: Vec::new(),
        ..graph.clone()
    };
    for r in &graph.resources {
        if is_instance_kind(&r.key) || r.dependencies().iter().any(|d| dropped.contains(*d)) {
            dropped.insert(r.key.clone());
        } else {
            out.resources.push(r.clone());
        }
    }
    out
}

#[cfg(not(feature = "aws"))]
fn online(run: &Run) -> Result<()> {
    let what = if run.args.yes {
        "update cluster --yes"
    } else {
        "update cluster without --offline (it compares the plan with what exists in AWS)"
    };
    Err(crate::aws_support::unavailable(
        what,
        "--offline plans against an empty account and --target terraform writes Terraform",
    ))
}

fn write_terraform(
    args: &UpdateClusterArgs,
    graph: &ResourceGraph,
    resolved: &kops6_terraform::Resolved,
) -> Result<()> {
    let Some(out) = args.out.as_deref() else {
        bail!("--target terraform needs --out DIR for kubernetes.tf");
    };
    let path = kops6_terraform::write_with(graph, resolved, out)?;
    let missing = kops6_terraform::missing_variables(graph, resolved);
    let vars: String = missing
        .iter()
        .map(|m| format!(" -var {}=...", m.name))
        .collect();
    println!(
        "Wrote {} ({} resources). Next: cd {} && terraform init && terraform apply{vars}",
        path.display(),
        graph.resources.len(),
        out.display()
    );
    for m in &missing {
        println!(
            "  {}: {}; Terraform cannot find it, so pass it: -var {}=<id>",
            m.name, m.description, m.name
        );
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonChange<'a> {
    action: kops6_model::Action,
    kind: &'a str,
    name: &'a str,
    why: &'a str,
    attributes: serde_json::Map<String, serde_json::Value>,
}

fn show(plan: &Plan, args: &UpdateClusterArgs, graph: &ResourceGraph, against: &str) -> Result<()> {
    if args.output == Some(PlanFormat::Json) {
        let changes: Vec<JsonChange> = plan
            .changes
            .iter()
            .map(|c| JsonChange {
                action: c.action,
                kind: &c.kind,
                name: &c.name,
                why: &c.why,
                attributes: c
                    .attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str())))
                    .collect(),
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "changes": changes }))?
        );
        return Ok(());
    }
    if plan.changes.is_empty() {
        println!(
            "No changes: cluster {:?} is up to date ({against})",
            graph.cluster
        );
        return Ok(());
    }
    println!(
        "Cluster {:?} in {}: {} change(s) {against}:\n",
        graph.cluster,
        graph.region,
        plan.changes.len()
    );
    let rows = plan.changes.iter().map(|c| {
        let attrs: Vec<String> = c
            .attributes
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        vec![
            format!("{:?}", c.action).to_lowercase(),
            c.kind.clone(),
            c.name.clone(),
            attrs.join(" "),
            c.why.clone(),
        ]
    });
    print_table(&["ACTION", "KIND", "NAME", "ATTRIBUTES", "WHY"], rows);
    println!("\nMust specify --yes to apply, or --target terraform --out DIR to write Terraform.");
    Ok(())
}
