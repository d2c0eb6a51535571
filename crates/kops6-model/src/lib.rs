//! The model: a completed, validated cluster spec becomes the AWS resources it needs, as a
//! [`ResourceGraph`] (DESIGN "Key types"). Every resource has a stable logical key and says
//! why it exists. Pure: no I/O; the same spec always gives the same graph.
//!
//! One builder per concern, like kOps' `pkg/model/awsmodel`: `network` (SPEC 6), then
//! `firewall`, `iam`, `api_load_balancer`, `bastion`, `compute` and `dns` (SPEC 7); `build_cluster`
//! runs them all into one graph.

mod api_load_balancer;
mod bastion;
mod cluster;
pub mod compute;
mod context;
mod dns;
mod firewall;
pub mod graph;
pub mod iam;
pub mod network;
pub mod plan;
pub mod specs;
pub mod ssh_key;

pub use cluster::{build_cluster, ClusterInputs};
pub use context::{aws_short_name, iam_name, resource_name32, truncate_name, IAM_NAME_MAX};
pub use graph::{
    Key, Kind, Lookup, Resource, ResourceGraph, RouteTarget, Spec, Value, VpcSource, Why,
};
pub use iam::StateStoreAccess;
pub use network::{build_network, ModelError};
pub use plan::{create_all, Action, Change, Plan};
pub use specs::USER_DATA_API_LB_VARIABLE;
pub use ssh_key::{SshKeyError, SshPublicKey};
