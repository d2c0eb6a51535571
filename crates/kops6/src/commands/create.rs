//! `create cluster` and `create -f FILE`.

use anyhow::{anyhow, bail, Result};
use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::{CloudProvider, DnsType, LoadBalancerType, Topology};
use kops6_api::ClusterSpecSet;
use kops6_state::ClusterFiles;

use super::{checked, print_documents};
use crate::cli::{
    CreateArgs, CreateClusterArgs, CreateWhat, DnsArg, LoadBalancerTypeArg, TopologyArg,
};
use crate::store;

pub fn run(state: Option<&str>, args: CreateArgs) -> Result<()> {
    match (args.filename, args.what) {
        (Some(path), None) => from_file(state, &path),
        (None, Some(CreateWhat::Cluster(c))) => cluster(state, *c),
        _ => bail!("use `kops6 create cluster ...` or `kops6 create -f FILE`"),
    }
}

fn from_file(state: Option<&str>, path: &std::path::Path) -> Result<()> {
    let docs = store::read_input(path)?;
    let mut set = ClusterSpecSet::from_documents(docs)
        .map_err(|e| anyhow!("{} does not hold one cluster:\n{e}", path.display()))?;
    checked(&set)?;
    let store = store::open(state)?;
    store::stamp_creation(&mut set);
    store::save(store.as_ref(), &set, true)?;
    println!("Created cluster {:?} in {}", set.name(), store.url());
    Ok(())
}

fn cluster(state: Option<&str>, args: CreateClusterArgs) -> Result<()> {
    if args.output.is_some() && !args.dry_run {
        bail!("--output is only used with --dry-run");
    }
    let name = match (args.positional_name.clone(), args.name.clone()) {
        (Some(a), Some(b)) if a != b => bail!("two cluster names given: {a:?} and {b:?}"),
        (Some(n), _) | (None, Some(n)) => n,
        (None, None) => bail!("--name is required (e.g. --name mycluster.example.com)"),
    };
    // kOps reads a shared VPC's CIDR from AWS; kops6 does not, and the default 172.20.0.0/16
    // would carve the subnets outside the VPC.
    if args.vpc.is_some() && args.network_cidr.is_none() {
        bail!(
            "--vpc: also give the shared VPC's IPv4 CIDR with --network-cidr (kops6 does not read it from AWS)"
        );
    }
    let store = store::open(state)?;
    let files = ClusterFiles::new(store.as_ref());
    let config_base = files.config_base(&name);
    let created = new_cluster(&options(&args, name, config_base)?)?;
    let mut set = ClusterSpecSet::new(created.cluster, created.instance_groups)?;
    checked(&set)?;
    if args.dry_run {
        return print_documents(
            &set.documents(),
            args.output.unwrap_or(crate::cli::SpecFormat::Yaml),
        );
    }
    store::stamp_creation(&mut set);
    store::save(store.as_ref(), &set, true)?;
    println!("Created cluster {:?} in {}.", set.name(), store.url());
    println!(
        "  kops6 get cluster {} --full            # the completed spec",
        set.name()
    );
    println!(
        "  kops6 update cluster {} --offline      # the network it needs (no AWS)",
        set.name()
    );
    println!(
        "  kops6 update cluster {} --target terraform --out ./out   # as Terraform",
        set.name()
    );
    Ok(())
}

fn options(
    args: &CreateClusterArgs,
    name: String,
    config_base: String,
) -> Result<NewClusterOptions> {
    let cloud: CloudProvider = args.cloud.parse().map_err(|e| anyhow!("--cloud: {e}"))?;
    Ok(NewClusterOptions {
        name,
        zones: args.zones.clone(),
        control_plane_zones: args.control_plane_zones.clone(),
        control_plane_count: args.control_plane_count,
        node_count: args.node_count,
        ipv6: args.ipv6,
        topology: args.topology.map(|t| match t {
            TopologyArg::Public => Topology::Public,
            TopologyArg::Private => Topology::Private,
        }),
        networking: args.networking.clone(),
        kubernetes_version: args.kubernetes_version.clone(),
        network_cidr: args.network_cidr,
        vpc: args.vpc.clone(),
        cloud: Some(cloud),
        image: args.image.clone(),
        node_size: args.node_size.clone(),
        control_plane_size: args.control_plane_size.clone(),
        dns: args.dns.map(|d| match d {
            DnsArg::Public => DnsType::Public,
            DnsArg::Private => DnsType::Private,
            DnsArg::None => DnsType::None,
        }),
        dns_zone: args.dns_zone.clone(),
        bastion: args.bastion,
        api_load_balancer_type: args.api_loadbalancer_type.map(|t| match t {
            LoadBalancerTypeArg::Public => LoadBalancerType::Public,
            LoadBalancerTypeArg::Internal => LoadBalancerType::Internal,
        }),
        admin_access: args.admin_access.clone(),
        ssh_access: args.ssh_access.clone(),
        config_base: Some(config_base),
    })
}
