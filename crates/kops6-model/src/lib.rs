//! The model: a completed, validated cluster spec becomes the AWS resources it needs, as a
//! [`ResourceGraph`] (DESIGN "Key types"). Every resource has a stable logical key and says
//! why it exists. Pure: no I/O; the same spec always gives the same graph.
//!
//! The network (SPEC 6) is built today; security groups, launch templates, load balancers,
//! DNS and IAM (SPEC 7) join the same graph as they are built.

pub mod graph;
pub mod network;
pub mod plan;

pub use graph::{
    Key, Kind, Lookup, Resource, ResourceGraph, RouteTarget, Spec, Value, VpcSource, Why,
};
pub use network::{build_network, ModelError};
pub use plan::{create_all, Action, Change, Plan};
