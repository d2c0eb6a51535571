//! One module per command.

pub mod create;
pub mod delete;
pub mod edit;
pub mod export;
pub mod get;
pub mod replace;
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
