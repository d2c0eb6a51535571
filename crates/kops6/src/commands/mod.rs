//! One module per command.

pub mod create;
pub mod delete;
pub mod edit;
pub mod export;
pub mod get;
pub mod replace;
pub mod ssh_key;
pub mod update;
pub mod validate;
pub mod version;
pub mod views;

use anyhow::{anyhow, Result};
use kops6_api::validate::ValidationContext;
use kops6_api::yaml::{write_documents, Document, Format};
use kops6_api::ClusterSpecSet;

use crate::cli::SpecFormat;

pub fn format_of(f: SpecFormat) -> Format {
    match f {
        SpecFormat::Yaml => Format::Yaml,
        SpecFormat::Json => Format::Json,
    }
}

pub fn print_documents(docs: &[Document], format: SpecFormat) -> Result<()> {
    print!("{}", write_documents(docs, format_of(format))?);
    Ok(())
}

/// Completes and validates; a spec that fails is never written, and every problem is listed.
pub fn checked(set: &ClusterSpecSet) -> Result<kops6_api::complete::Completed> {
    set.check(&ValidationContext::default()).map_err(|e| {
        anyhow!(
            "cluster {:?} is not valid; nothing was saved.\n{e}",
            set.name()
        )
    })
}

/// Refuses a spec that asks for what kops6 does not implement (a field whose omission would
/// build another network, security boundary or node configuration), and otherwise prints, on
/// stderr, one line per field kops6 stores without acting on and per setting it ignores as
/// kOps does (docs/api-fields.md).
pub fn reviewed(set: &ClusterSpecSet) -> Result<()> {
    let review = kops6_api::support::review(&set.cluster, &set.instance_groups);
    if !review.refused.is_empty() {
        let lines: Vec<String> = review.refused.iter().map(|e| format!("  - {e}")).collect();
        return Err(anyhow!(
            "cluster {:?} uses fields kops6 does not implement; nothing was changed.\n{}",
            set.name(),
            lines.join("\n")
        ));
    }
    for line in review.warnings() {
        eprintln!("{line}");
    }
    Ok(())
}

/// Left-aligned columns separated by three spaces, like kubectl's tables. Short enough that
/// a table crate is not worth a dependency.
pub fn print_table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) {
    let rows: Vec<Vec<String>> = std::iter::once(header.iter().map(|h| h.to_string()).collect())
        .chain(rows)
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &rows {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| format!("{cell:<w$}", w = widths[i]))
            .collect();
        println!("{}", line.join("   ").trim_end());
    }
}
