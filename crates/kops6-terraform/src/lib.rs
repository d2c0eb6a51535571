//! Terraform target: a [`ResourceGraph`] becomes `kubernetes.tf` for Terraform >= 1.5 and the
//! `hashicorp/aws` provider 5.x (DESIGN "Terraform target").
//!
//! Resources are named `<name>-<cluster with dots as dashes>` as kOps names them, `/LEN#N`
//! becomes `cidrsubnet(local.vpc_ipv6_cidr_block, LEN - local.vpc_ipv6_cidr_length, N)`, and a
//! shared VPC is read with `data "aws_vpc"`, checked for an IPv6 block before anything is
//! planned. Output is byte-stable: the same graph always renders the same file.

mod names;
mod render;

use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

pub use names::terraform_name;
pub use render::{missing_variables, render, render_all, MissingVariable, Rendered, Resolved};

/// The file kOps writes, and so do we.
pub const FILE_NAME: &str = "kubernetes.tf";

#[derive(Debug, Error)]
pub enum TerraformError {
    #[error("cannot render {what}: {message}")]
    Render { what: String, message: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Writes `kubernetes.tf` into `dir` (created if missing), atomically; returns its path.
pub fn write(graph: &kops6_model::ResourceGraph, dir: &Path) -> Result<PathBuf, TerraformError> {
    write_with(graph, &Resolved::default(), dir)
}

/// Writes `kubernetes.tf` and its data files (`data/...`: IAM policies, the SSH key, user
/// data) into `dir`, each atomically, data files first; returns the path of `kubernetes.tf`.
pub fn write_with(
    graph: &kops6_model::ResourceGraph,
    resolved: &Resolved,
    dir: &Path,
) -> Result<PathBuf, TerraformError> {
    let rendered = render_all(graph, resolved)?;
    for (relative, text) in &rendered.files {
        write_atomically(&dir.join(relative), text)?;
    }
    let path = dir.join(FILE_NAME);
    write_atomically(&path, &rendered.main)?;
    Ok(path)
}

fn write_atomically(path: &Path, text: &str) -> Result<(), TerraformError> {
    let error = |source| TerraformError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(error)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(error)?;
    tmp.write_all(text.as_bytes()).map_err(error)?;
    tmp.persist(path).map_err(|e| error(e.error))?;
    Ok(())
}
