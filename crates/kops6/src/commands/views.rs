//! `explain`, `diagram` and `reach` (SPEC 9): the stored spec, completed and built into the
//! model, seen through `kops6-views`. Nothing here asks AWS.

use anyhow::{Context, Result};
use kops6_api::complete::Completed;
use kops6_model::{build_cluster, ClusterInputs, ResourceGraph};
use kops6_views::reach::{From, To};
use kops6_views::{Input, Query, QueryProtocol, Topology};

use super::checked;
use crate::cli::{DiagramArgs, DiagramFormat, ExplainArgs, PlanFormat, ReachArgs, ReachProtocol};
use crate::store;

struct Loaded {
    completed: Completed,
    graph: ResourceGraph,
}

fn load(state: Option<&str>, name: &str) -> Result<Loaded> {
    let store = store::open(state)?;
    let set = store::load(store.as_ref(), name)?;
    let completed = checked(&set)?;
    // Without the SSH key and user data (the views need neither): no key pair, no user data.
    let graph = build_cluster(
        &completed.cluster,
        &completed.instance_groups,
        &ClusterInputs::default(),
    )
    .with_context(|| format!("building the resources of cluster {name:?}"))?;
    Ok(Loaded { completed, graph })
}

impl Loaded {
    fn topology(&self, vpc_ipv6: Option<ipnet::Ipv6Net>) -> Topology {
        Topology::new(&Input {
            graph: &self.graph,
            cluster: &self.completed.cluster,
            instance_groups: &self.completed.instance_groups,
            vpc_ipv6,
        })
    }
}

pub fn explain(state: Option<&str>, args: ExplainArgs) -> Result<()> {
    let loaded = load(state, &args.name)?;
    let json = args.output == Some(PlanFormat::Json);
    match &args.resource {
        None => {
            let overview = kops6_views::overview(&loaded.graph);
            if json {
                println!("{}", serde_json::to_string_pretty(&overview)?);
            } else {
                print!("{}", overview.to_text());
            }
        }
        Some(what) => {
            let e = kops6_views::explain(&loaded.graph, what)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&e)?);
            } else {
                print!("{}", e.to_text());
            }
        }
    }
    Ok(())
}

pub fn diagram(state: Option<&str>, args: DiagramArgs) -> Result<()> {
    let loaded = load(state, &args.name)?;
    let topo = loaded.topology(args.vpc_ipv6_cidr);
    let text = match args.output {
        DiagramFormat::Svg => kops6_views::diagram::svg(&topo),
        DiagramFormat::Mermaid => kops6_views::diagram::mermaid(&topo),
    };
    match &args.out {
        Some(path) => {
            std::fs::write(path, &text).with_context(|| format!("writing {}", path.display()))?;
            println!("Wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}

/// Prints the answer; `Ok(false)` when the destination is not reachable.
pub fn reach(state: Option<&str>, args: ReachArgs) -> Result<bool> {
    let loaded = load(state, &args.name)?;
    let topo = loaded.topology(args.vpc_ipv6_cidr);
    let query = Query {
        from: From::parse(&args.from),
        to: To::parse(&args.to, args.a, args.aaaa)?,
        port: args.port,
        protocol: match args.protocol {
            ReachProtocol::Tcp => QueryProtocol::Tcp,
            ReachProtocol::Udp => QueryProtocol::Udp,
            ReachProtocol::Icmp => QueryProtocol::Icmp,
        },
        group: args.group,
    };
    let answer = kops6_views::reach(&topo, &query)?;
    if args.output == Some(PlanFormat::Json) {
        println!("{}", serde_json::to_string_pretty(&answer)?);
    } else {
        println!(
            "{} -> {} in cluster {:?}:",
            args.from, args.to, topo.cluster
        );
        print!("{}", answer.to_text());
    }
    Ok(answer.reachable)
}
