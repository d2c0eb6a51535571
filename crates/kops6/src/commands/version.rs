//! `version` and `completion`.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionArgs, VersionArgs};

/// Like `kops version`: `Client version: X`, plus the API kops6 speaks.
pub fn version(args: VersionArgs) -> Result<()> {
    let v = env!("CARGO_PKG_VERSION");
    if args.short {
        println!("{v}");
    } else {
        println!(
            "Client version: {v} (speaks {})",
            kops6_api::types::API_VERSION
        );
    }
    Ok(())
}

pub fn completion(args: CompletionArgs) -> Result<()> {
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut Cli::command(), "kops6", &mut out);
    out.flush()?;
    Ok(())
}
