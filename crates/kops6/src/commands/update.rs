//! `update cluster NAME`: the plan of the cluster's network, or its Terraform.

use anyhow::{bail, Context, Result};
use kops6_model::{build_network, create_all, Plan};
use serde::Serialize;

use super::{checked, print_table};
use crate::cli::{PlanFormat, TargetArg, UpdateArgs, UpdateWhat};
use crate::store;

pub fn run(state: Option<&str>, args: UpdateArgs) -> Result<()> {
    let UpdateWhat::Cluster(args) = args.what;
    let store = store::open(state)?;
    let set = store::load(store.as_ref(), &args.name)?;
    let completed = checked(&set)?;
    let graph = build_network(&completed.cluster)
        .with_context(|| format!("building the network of cluster {:?}", args.name))?;
    if args.target == Some(TargetArg::Terraform) {
        let Some(out) = args.out.as_deref() else {
            bail!("--target terraform needs --out DIR for kubernetes.tf");
        };
        let path = kops6_terraform::write(&graph, out)?;
        println!(
            "Wrote {} ({} resources). Next: cd {} && terraform init && terraform apply",
            path.display(),
            graph.resources.len(),
            out.display()
        );
        return Ok(());
    }
    if args.out.is_some() {
        bail!("--out is only used with --target terraform");
    }
    if args.yes {
        bail!(
            "applying to AWS directly is not available in this build; \
             use `kops6 update cluster {} --target terraform --out DIR` and Terraform",
            args.name
        );
    }
    let plan = create_all(&graph);
    match args.output {
        Some(PlanFormat::Json) => print_json(&plan),
        None => {
            print_plan(&plan, &graph.region, &args.name);
            Ok(())
        }
    }
}

#[derive(Serialize)]
struct JsonChange<'a> {
    action: kops6_model::Action,
    kind: &'a str,
    name: &'a str,
    why: &'a str,
    attributes: serde_json::Map<String, serde_json::Value>,
}

fn print_json(plan: &Plan) -> Result<()> {
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
    Ok(())
}

fn print_plan(plan: &Plan, region: &str, cluster: &str) {
    if plan.changes.is_empty() {
        println!("No changes");
        return;
    }
    println!(
        "Cluster {cluster:?} needs {} network resources in {region}:\n",
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
}
