//! `update cluster NAME`: comes with the network model.

use anyhow::{bail, Result};

use crate::cli::UpdateArgs;

pub fn run(_state: Option<&str>, _args: UpdateArgs) -> Result<()> {
    bail!("update cluster is not available in this build")
}
