//! `update cluster NAME`: what the cluster's network needs against what exists in AWS (or
//! against nothing, `--offline`), applied with `--yes`, or written as Terraform.

use anyhow::{bail, Context, Result};
#[cfg(feature = "aws")]
use kops6_aws::{ApplyOptions, Aws};
use kops6_model::{build_network, create_all, Plan, ResourceGraph};
use serde::Serialize;

use super::{checked, print_table};
use crate::cli::{PlanFormat, TargetArg, UpdateArgs, UpdateClusterArgs, UpdateWhat};
use crate::store;

pub fn run(state: Option<&str>, args: UpdateArgs) -> Result<()> {
    let UpdateWhat::Cluster(args) = args.what;
    let store = store::open(state)?;
    let set = store::load(store.as_ref(), &args.name)?;
    let completed = checked(&set)?;
    let graph = build_network(&completed.cluster)
        .with_context(|| format!("building the network of cluster {:?}", args.name))?;
    if args.target == Some(TargetArg::Terraform) {
        return terraform(&args, &graph);
    }
    if args.out.is_some() {
        bail!("--out is only used with --target terraform");
    }
    if args.offline {
        return show(
            &create_all(&graph),
            &args,
            &graph,
            "against an empty account (--offline)",
        );
    }
    online(&graph, &args)
}

/// The plan against what exists in AWS, or (`--yes`) its application.
#[cfg(feature = "aws")]
fn online(graph: &ResourceGraph, args: &UpdateClusterArgs) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let aws = Aws::connect(Some(&graph.region)).await;
        if args.yes {
            apply(&aws, graph, args).await
        } else {
            let preview = kops6_aws::preview(&aws, graph).await?;
            show(
                &preview.plan,
                args,
                graph,
                &format!("against {}", aws.endpoint),
            )
        }
    })
}

#[cfg(not(feature = "aws"))]
fn online(_graph: &ResourceGraph, args: &UpdateClusterArgs) -> Result<()> {
    let what = if args.yes {
        "update cluster --yes"
    } else {
        "update cluster without --offline (it compares the plan with what exists in AWS)"
    };
    Err(crate::aws_support::unavailable(
        what,
        "--offline plans against an empty account and --target terraform writes Terraform",
    ))
}

fn terraform(args: &UpdateClusterArgs, graph: &ResourceGraph) -> Result<()> {
    let Some(out) = args.out.as_deref() else {
        bail!("--target terraform needs --out DIR for kubernetes.tf");
    };
    if args.yes {
        bail!(
            "--yes applies to AWS directly; with --target terraform, run terraform apply yourself"
        );
    }
    let path = kops6_terraform::write(graph, out)?;
    println!(
        "Wrote {} ({} resources). Next: cd {} && terraform init && terraform apply",
        path.display(),
        graph.resources.len(),
        out.display()
    );
    Ok(())
}

#[cfg(feature = "aws")]
async fn apply(aws: &Aws, graph: &ResourceGraph, args: &UpdateClusterArgs) -> Result<()> {
    let opts = ApplyOptions {
        parallelism: args.parallelism.max(1),
        ..ApplyOptions::default()
    };
    let started = std::time::Instant::now();
    let report = kops6_aws::apply(aws, graph, &opts).await?;
    if report == kops6_aws::ApplyReport::default() {
        println!(
            "No changes: cluster {:?} is up to date in {}",
            graph.cluster, graph.region
        );
    } else {
        println!(
            "Cluster {:?} updated in {}: {} created, {} updated, {} deleted ({:.1}s)",
            graph.cluster,
            graph.region,
            report.created,
            report.updated,
            report.deleted,
            started.elapsed().as_secs_f64()
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
