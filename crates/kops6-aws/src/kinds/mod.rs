//! One module per AWS kind, grouped by service. Each holds the kind's discovery, typed
//! comparison, create, update and delete, behind [`crate::kind::AwsKind`]; the kind is
//! registered once, in [`crate::registry`].

pub mod autoscaling;
pub mod ec2;
pub mod elbv2;
pub mod iam;
pub mod route53;
