//! The command line, as clap types. kOps' command and flag names, so its users feel at home.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// `--parallelism` when not given: `kops6_aws::DEFAULT_PARALLELISM` (kept here too, since the
/// offline build has no kops6-aws; a test checks that the two agree).
pub const DEFAULT_PARALLELISM: usize = 16;

#[derive(Debug, Parser)]
#[command(
    name = "kops6",
    version,
    about = "Create and run IPv6 Kubernetes clusters on AWS (kOps v1alpha2 specs)"
)]
pub struct Cli {
    /// Where cluster specs are kept: file://DIR or s3://bucket/prefix (default file://$HOME/.kops6).
    #[arg(long, env = "KOPS_STATE_STORE", global = true)]
    pub state: Option<String>,

    /// Say more when something fails (the AWS SDK's full account of an error).
    #[arg(short, long, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a cluster (`create cluster`) or resources from a file (`create -f FILE`).
    Create(CreateArgs),
    /// Replace a cluster's spec with the one in a file.
    Replace(ReplaceArgs),
    /// Show clusters and instance groups.
    Get(GetArgs),
    /// Edit a cluster's spec in $EDITOR; it is validated before it is saved.
    Edit(EditArgs),
    /// Delete a cluster.
    Delete(DeleteArgs),
    /// Show the network a cluster needs, or render it as Terraform.
    Update(UpdateArgs),
    /// Why each resource exists: the spec field and rule that made it, what it needs and what
    /// needs it.
    Explain(ExplainArgs),
    /// Draw the cluster's network (zones, subnets, gateways, routes, groups, API load balancer).
    Diagram(DiagramArgs),
    /// Would traffic from a subnet reach a destination? Simulated hop by hop, without AWS or DNS.
    Reach(ReachArgs),
    /// Print a shell completion script (e.g. `source <(kops6 completion bash)`).
    Completion(CompletionArgs),
    /// Print kops6's version.
    Version(VersionArgs),
    /// Write a kubeconfig for a cluster.
    Export(ExportArgs),
    /// Check that a cluster is healthy.
    Validate(ValidateArgs),
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The cluster.
    pub name: String,
    /// One resource as KIND/NAME (e.g. Subnet/us-east-1a, Route/private-us-east-1a.NAME/::/0);
    /// the whole cluster, one line per resource, when omitted.
    pub resource: Option<String>,
    /// Output format (text when omitted).
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<PlanFormat>,
}

#[derive(Debug, Args)]
pub struct DiagramArgs {
    /// The cluster.
    pub name: String,
    /// svg (self-contained) or mermaid (for Markdown docs).
    #[arg(short = 'o', long, value_enum)]
    pub output: DiagramFormat,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The VPC's IPv6 block, to show resolved ranges instead of /LEN#N.
    #[arg(long, value_name = "CIDR")]
    pub vpc_ipv6_cidr: Option<Ipv6Net>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagramFormat {
    Svg,
    Mermaid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReachProtocol {
    Tcp,
    Udp,
    Icmp,
}

#[derive(Debug, Args)]
pub struct ReachArgs {
    /// The cluster.
    pub name: String,
    /// A subnet or instance group of the cluster, an address in one of its subnets, `internet`,
    /// or an internet host's address.
    #[arg(long)]
    pub from: String,
    /// An IPv4/IPv6 address, a host name, or an instance group (from `internet`: a subnet, or an
    /// address in one).
    #[arg(long)]
    pub to: String,
    /// The host name's A records, comma separated (none given: it has none).
    #[arg(long = "a", value_delimiter = ',', value_name = "IPV4")]
    pub a: Vec<Ipv4Addr>,
    /// The host name's AAAA records, comma separated (none given: it has none).
    #[arg(long = "aaaa", value_delimiter = ',', value_name = "IPV6")]
    pub aaaa: Vec<Ipv6Addr>,
    /// The destination port (from `internet`, 443 reaches the control plane through the API load
    /// balancer). Without it, a security group rule for any port of the protocol counts.
    #[arg(long)]
    pub port: Option<u16>,
    /// The protocol the security groups are asked about (icmp: an echo request, no port).
    #[arg(long, value_enum, default_value_t = ReachProtocol::Tcp)]
    pub protocol: ReachProtocol,
    /// The instance group that sends, when groups with different security groups share the
    /// `--from` subnet.
    #[arg(long, value_name = "NAME")]
    pub group: Option<String>,
    /// The VPC's IPv6 block, so addresses inside it match the local route.
    #[arg(long, value_name = "CIDR")]
    pub vpc_ipv6_cidr: Option<Ipv6Net>,
    /// Output format (text when omitted).
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<PlanFormat>,
}

#[derive(Debug, Args)]
pub struct CompletionArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Print only the version number.
    #[arg(long)]
    pub short: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(subcommand)]
    pub what: ValidateWhat,
}

#[derive(Debug, Subcommand)]
pub enum ValidateWhat {
    /// Nodes Ready, every instance group with its nodes, kube-system's critical pods running.
    Cluster(ValidateClusterArgs),
}

#[derive(Debug, Args)]
pub struct ValidateClusterArgs {
    /// The cluster (its kubeconfig context, as `export kubeconfig` writes it).
    pub name: String,
    /// Keep checking until the cluster is valid or this much time has passed.
    #[arg(long, value_name = "DURATION")]
    pub wait: Option<humantime::Duration>,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value = "table")]
    pub output: ValidateFormat,
    /// The kubeconfig to read (default: the first file of $KUBECONFIG, else ~/.kube/config).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    Table,
    Json,
    Yaml,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub what: ExportWhat,
}

#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// Merge a kubeconfig for the cluster into $KUBECONFIG (or ~/.kube/config), as kubectl does.
    #[command(alias = "kubecfg")]
    Kubeconfig(ExportKubeconfigArgs),
}

#[derive(Debug, Args)]
pub struct ExportKubeconfigArgs {
    /// The cluster.
    pub name: String,
    /// A client certificate from the cluster CA in group system:masters, valid this long.
    #[arg(long, value_name = "DURATION", num_args = 0..=1, default_missing_value = "18h")]
    pub admin: Option<humantime::Duration>,
    /// The kubeconfig file to merge into (default: the first file of $KUBECONFIG, else ~/.kube/config).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CreateArgs {
    /// A YAML or JSON file of Cluster and InstanceGroup documents ("-" for standard input).
    #[arg(short = 'f', long = "filename")]
    pub filename: Option<PathBuf>,

    #[command(subcommand)]
    pub what: Option<CreateWhat>,
}

#[derive(Debug, Subcommand)]
pub enum CreateWhat {
    /// Create a new cluster spec from flags.
    Cluster(Box<CreateClusterArgs>),
    /// Set the cluster's admin SSH public key (the key pair kubernetes.<C>-<fingerprint>).
    Sshpublickey(CreateSshPublicKeyArgs),
}

#[derive(Debug, Args)]
pub struct CreateSshPublicKeyArgs {
    /// The cluster.
    pub name: String,
    /// The OpenSSH public key file (e.g. ~/.ssh/id_ed25519.pub).
    #[arg(short = 'i', long = "ssh-public-key", required = true)]
    pub ssh_public_key: PathBuf,
}

#[derive(Debug, Args)]
pub struct CreateClusterArgs {
    /// The cluster's name, a DNS name such as mycluster.example.com.
    #[arg(value_name = "NAME")]
    pub positional_name: Option<String>,
    /// The cluster's name (same as the positional NAME).
    #[arg(long)]
    pub name: Option<String>,
    /// Zones for the cluster's subnets and nodes, comma separated (e.g. us-east-1a,us-east-1b).
    #[arg(long, value_delimiter = ',', required = true)]
    pub zones: Vec<String>,
    /// Zones for the control plane (default: the first zone).
    #[arg(long, value_delimiter = ',')]
    pub control_plane_zones: Vec<String>,
    /// How many control-plane instances.
    #[arg(long)]
    pub control_plane_count: Option<u32>,
    /// How many nodes in all, spread over the zones (default: one per zone).
    #[arg(long)]
    pub node_count: Option<u32>,
    /// IPv6 cluster: IPv6-only pods, IPv6-only or dual-stack nodes (sets nonMasqueradeCIDR ::/0).
    #[arg(long)]
    pub ipv6: bool,
    /// Network topology (default: private with --ipv6, else public).
    #[arg(long, value_enum)]
    pub topology: Option<TopologyArg>,
    /// The CNI: calico, cilium or cni for IPv6 (default cilium).
    #[arg(long)]
    pub networking: Option<String>,
    /// Kubernetes version, e.g. v1.35.0.
    #[arg(long)]
    pub kubernetes_version: Option<String>,
    /// The VPC's IPv4 CIDR (default 172.20.0.0/16).
    #[arg(long)]
    pub network_cidr: Option<Ipv4Net>,
    /// An existing VPC to use (shared; it must already have an IPv6 block).
    #[arg(long)]
    pub vpc: Option<String>,
    /// The cloud (only aws supports IPv6).
    #[arg(long, default_value = "aws")]
    pub cloud: String,
    /// Image for all instance groups (default Ubuntu 24.04 LTS).
    #[arg(long)]
    pub image: Option<String>,
    /// Machine type for nodes.
    #[arg(long)]
    pub node_size: Option<String>,
    /// Machine type for the control plane.
    #[arg(long)]
    pub control_plane_size: Option<String>,
    /// DNS type (default none, or public with --dns-zone).
    #[arg(long, value_enum)]
    pub dns: Option<DnsArg>,
    /// The DNS zone for the cluster's records.
    #[arg(long)]
    pub dns_zone: Option<String>,
    /// Add a bastion instance group (private topology only).
    #[arg(long)]
    pub bastion: bool,
    /// The API load balancer: public (default) or internal (in the DualStack/Private subnets).
    #[arg(long, value_enum)]
    pub api_loadbalancer_type: Option<LoadBalancerTypeArg>,
    /// CIDRs allowed to reach the API (default 0.0.0.0/0 and ::/0).
    #[arg(long, value_delimiter = ',')]
    pub admin_access: Vec<IpNet>,
    /// CIDRs allowed to SSH (default 0.0.0.0/0 and ::/0).
    #[arg(long, value_delimiter = ',')]
    pub ssh_access: Vec<IpNet>,
    /// The admin SSH public key file; it becomes the key pair kubernetes.<C>-<fingerprint>.
    #[arg(long)]
    pub ssh_public_key: Option<PathBuf>,
    /// Print the spec instead of saving it.
    #[arg(long)]
    pub dry_run: bool,
    /// Output format for --dry-run.
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<SpecFormat>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TopologyArg {
    Public,
    Private,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LoadBalancerTypeArg {
    Public,
    Internal,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DnsArg {
    Public,
    Private,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SpecFormat {
    Yaml,
    Json,
}

#[derive(Debug, Args)]
pub struct ReplaceArgs {
    /// A YAML or JSON file of Cluster and InstanceGroup documents ("-" for standard input).
    #[arg(short = 'f', long = "filename", required = true)]
    pub filename: PathBuf,
    /// Create the cluster if it does not exist.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    #[command(subcommand)]
    pub what: GetWhat,
}

#[derive(Debug, Subcommand)]
pub enum GetWhat {
    /// List clusters, or show one.
    #[command(alias = "cluster")]
    Clusters(GetClustersArgs),
    /// List a cluster's instance groups.
    #[command(aliases = ["instancegroup", "ig"])]
    Instancegroups(GetInstanceGroupsArgs),
    /// Show a cluster's admin SSH public key.
    #[command(alias = "sshpublickey")]
    Sshpublickeys {
        /// The cluster.
        name: String,
        /// Output format (a table when omitted; yaml and json both print JSON).
        #[arg(short = 'o', long, value_enum)]
        output: Option<SpecFormat>,
    },
}

#[derive(Debug, Args)]
pub struct GetClustersArgs {
    /// A cluster name (all clusters when omitted).
    pub name: Option<String>,
    /// Output format (a table when omitted).
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<SpecFormat>,
    /// Print the completed spec, with every default filled in (YAML unless -o json).
    #[arg(long)]
    pub full: bool,
}

#[derive(Debug, Args)]
pub struct GetInstanceGroupsArgs {
    /// The cluster.
    #[arg(long)]
    pub name: String,
    /// Output format (a table when omitted).
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<SpecFormat>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    #[command(subcommand)]
    pub what: EditWhat,
}

#[derive(Debug, Subcommand)]
pub enum EditWhat {
    /// Edit a cluster's spec.
    Cluster {
        /// The cluster.
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(subcommand)]
    pub what: DeleteWhat,
}

#[derive(Debug, Subcommand)]
pub enum DeleteWhat {
    /// Delete a cluster (without --yes, only show what would be deleted).
    Cluster {
        /// The cluster.
        name: String,
        /// Really delete.
        #[arg(long)]
        yes: bool,
        /// Delete only the spec; do not look for the cluster's AWS resources.
        #[arg(long)]
        offline: bool,
        /// Resources deleted at once.
        #[arg(long, default_value_t = DEFAULT_PARALLELISM, conflicts_with = "offline")]
        parallelism: usize,
    },
    /// Remove a cluster's admin SSH public key.
    #[command(alias = "sshpublickeys")]
    Sshpublickey {
        /// The cluster.
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(subcommand)]
    pub what: UpdateWhat,
}

#[derive(Debug, Subcommand)]
pub enum UpdateWhat {
    /// Show the cluster's network plan, or write it as Terraform with --target terraform.
    Cluster(UpdateClusterArgs),
}

#[derive(Debug, Args)]
pub struct UpdateClusterArgs {
    /// The cluster.
    pub name: String,
    /// Where the changes go: `terraform` writes kubernetes.tf to --out.
    #[arg(long, value_enum)]
    pub target: Option<TargetArg>,
    /// The folder for --target terraform.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Apply the changes to AWS.
    #[arg(long, conflicts_with = "offline")]
    pub yes: bool,
    /// Plan against an empty account without contacting AWS (every resource is a create).
    #[arg(long)]
    pub offline: bool,
    /// Resources created, changed or deleted at once while applying.
    #[arg(long, default_value_t = DEFAULT_PARALLELISM)]
    pub parallelism: usize,
    /// With --yes, apply the part of the cluster direct apply can create even when some
    /// resources are left out (they are listed first); without it, --yes refuses.
    #[arg(long, requires = "yes")]
    pub leave_out_unsupported: bool,
    /// Plan output format (a table when omitted).
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<PlanFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TargetArg {
    Terraform,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "aws")]
    #[test]
    fn the_default_parallelism_is_the_apply_engines() {
        assert_eq!(DEFAULT_PARALLELISM, kops6_aws::DEFAULT_PARALLELISM);
        assert_eq!(
            DEFAULT_PARALLELISM,
            kops6_aws::ApplyOptions::default().parallelism
        );
    }

    #[test]
    fn update_and_delete_take_the_default_parallelism() {
        let update = Cli::parse_from(["kops6", "update", "cluster", "c.example.com"]);
        let Command::Update(UpdateArgs {
            what: UpdateWhat::Cluster(args),
        }) = update.command
        else {
            panic!("update cluster parses as such");
        };
        assert_eq!(args.parallelism, DEFAULT_PARALLELISM);
        let delete = Cli::parse_from([
            "kops6",
            "delete",
            "cluster",
            "c.example.com",
            "--parallelism",
            "3",
        ]);
        let Command::Delete(DeleteArgs {
            what: DeleteWhat::Cluster { parallelism, .. },
        }) = delete.command
        else {
            panic!("delete cluster parses as such");
        };
        assert_eq!(parallelism, 3);
    }
}
