//! The whole cluster: the network (SPEC 6), then firewall, IAM, the API's and the bastion's
//! load balancers, compute and DNS (SPEC 7), each from its own builder, in one graph.

use std::collections::BTreeMap;

use kops6_api::types::{Cluster, InstanceGroup};

use crate::compute::UserData;
use crate::context::Ctx;
use crate::firewall::Firewall;
use crate::graph::ResourceGraph;
use crate::iam::StateStoreAccess;
use crate::network::{build_network, ModelError};
use crate::ssh_key::SshPublicKey;

/// What the cluster's infrastructure needs from outside the spec. Each is optional: without
/// them there is no key pair, no user data and no state-store statement.
#[derive(Debug, Clone, Default)]
pub struct ClusterInputs {
    /// The admin SSH key, as kept in the state store (`pki/ssh/public/admin/<id>`).
    pub ssh_public_key: Option<SshPublicKey>,
    /// User data by instance group name, from the bootstrap layer.
    pub user_data: BTreeMap<String, String>,
    /// The user data are Terraform templates waiting for the API load balancer's DNS name
    /// (no DNS zone, `--target terraform`).
    pub user_data_needs_api_load_balancer: bool,
    /// What each role may read in an S3 state store.
    pub state_store: Option<StateStoreAccess>,
}

/// Builds every resource of a completed, validated cluster and its instance groups.
pub fn build_cluster(
    cluster: &Cluster,
    groups: &[InstanceGroup],
    inputs: &ClusterInputs,
) -> Result<ResourceGraph, ModelError> {
    let mut graph = build_network(cluster)?;
    let vpc = match &graph.vpc {
        crate::VpcSource::Managed(k) => crate::Value::Ref(k.clone()),
        crate::VpcSource::Shared(id) => crate::Value::Shared(id.clone()),
    };
    let mut ctx = Ctx {
        name: &cluster.metadata.name,
        region: &graph.region,
        spec: &cluster.spec,
        groups,
        vpc,
        resources: Vec::new(),
    };
    let calico = cluster
        .spec
        .networking
        .as_ref()
        .is_some_and(|n| n.calico.is_some());
    ctx.firewall(&Firewall {
        api_load_balancer: ctx.wants_api_load_balancer(),
        calico,
    });
    ctx.iam(inputs.state_store.as_ref());
    let key_pair = ctx.key_pair(inputs.ssh_public_key.as_ref());
    let api = ctx.api_load_balancer()?;
    let bastion = ctx.bastion_load_balancer()?;
    ctx.etcd_volumes()?;
    let user_data = UserData {
        by_group: &inputs.user_data,
        api_load_balancer: match (inputs.user_data_needs_api_load_balancer, &api) {
            (false, _) => None,
            (true, Some(a)) => Some(&a.load_balancer),
            (true, None) => {
                return Err(ModelError::Field {
                    field: "spec.api.loadBalancer".into(),
                    message: "the user data waits for the API load balancer's DNS name, but \
                              the cluster has no API load balancer"
                        .into(),
                })
            }
        },
    };
    ctx.instance_groups(
        key_pair,
        api.as_ref().map(|a| &a.target_group),
        bastion.as_ref().map(|b| &b.target_group),
        &user_data,
    )?;
    ctx.dns(api.as_ref().map(|a| &a.load_balancer));
    ctx.bastion_dns(bastion.as_ref().map(|b| &b.load_balancer));
    let extra = ctx.resources;
    graph.resources.extend(extra);
    Ok(graph)
}
