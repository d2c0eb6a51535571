//! What turns an instance into a Kubernetes node (SPEC 8): for a completed spec, per instance
//! group the cloud-config user data (with the kubeadm and kubelet configuration and the kops6
//! prelude script in it), plus the addon manifests the first control plane applies.
//!
//! Pure: no file, network, clock or randomness, and nothing secret goes into what it renders.
//! The nodes fetch the CAs and the join credential from the state store at boot; the names of
//! those objects are in [`kops6_pki`'s paths] (mirrored here by [`StateStoreLocation`]).
//!
//! Not for: making keys (kops6-pki), writing files or the state store (the CLI), or building
//! launch templates (kops6-model takes the user data from here as a `String`).

pub mod addons;
pub mod cloudinit;
pub mod config;
pub mod facts;
pub mod kubeadm;
pub mod kubeconfig;
pub mod permissions;
pub mod store;
pub mod template;
pub mod versions;

use kops6_api::complete::Completed;

pub use addons::Manifest;
pub use facts::{ApiEndpoint, StateStoreLocation};

/// The EC2 limit on raw user data.
pub const USER_DATA_LIMIT: usize = 16 * 1024;

/// The prelude every instance runs before kubeadm (POSIX sh, linted by shellcheck).
pub const PRELUDE: &str = include_str!("prelude.sh");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BootstrapError {
    /// The spec asks for something kops6 cannot bootstrap.
    #[error("{path}: {message}")]
    Spec { path: String, message: String },
    /// An input from outside the spec is unusable.
    #[error("{what}: {message}")]
    Input { what: String, message: String },
    #[error("user data for instance group {group:?} is {size} bytes, over EC2's limit of {limit}")]
    TooLarge {
        group: String,
        size: usize,
        limit: usize,
    },
    #[error("rendering {what}: {message}")]
    Render { what: String, message: String },
}

/// What kops6 knows from outside the spec when it renders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    /// The name clients and nodes reach the API by (LB DNS name, or `api.<C>`).
    pub api: ApiEndpoint,
    /// Where the cluster's directory is in the state store.
    pub state_store: StateStoreLocation,
}

/// One instance group's bootstrap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupBootstrap {
    pub instance_group: String,
    /// `#cloud-config` YAML, at most [`USER_DATA_LIMIT`] bytes.
    pub user_data: String,
}

/// Everything rendered for one cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bootstrap {
    /// One per instance group that bootstraps (bastions do not), sorted by group name.
    pub groups: Vec<GroupBootstrap>,
    /// Addon manifests kops6 builds, to be written to the state store under their `path`.
    pub addons: Vec<Manifest>,
}

/// Renders the bootstrap of every instance group and the addons.
pub fn render(completed: &Completed, inputs: &Inputs) -> Result<Bootstrap, BootstrapError> {
    let facts = facts::ClusterFacts::new(completed, inputs)?;
    let addons = addons::manifests(&facts)?;
    let groups = completed
        .instance_groups
        .iter()
        .filter_map(|g| facts::GroupFacts::new(&facts, g).transpose())
        .map(|g| {
            let g = g?;
            let user_data = cloudinit::user_data(&facts, &g, &addons)?;
            if user_data.len() > USER_DATA_LIMIT {
                return Err(BootstrapError::TooLarge {
                    group: g.name.clone(),
                    size: user_data.len(),
                    limit: USER_DATA_LIMIT,
                });
            }
            Ok(GroupBootstrap {
                instance_group: g.name.clone(),
                user_data,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Bootstrap { groups, addons })
}

pub(crate) fn to_yaml<T: serde::Serialize>(
    what: &str,
    value: &T,
) -> Result<String, BootstrapError> {
    let options = serde_saphyr::ser_options! { compact_list_indent: true };
    serde_saphyr::to_string_with_options(value, options).map_err(|e| BootstrapError::Render {
        what: what.into(),
        message: e.to_string(),
    })
}
