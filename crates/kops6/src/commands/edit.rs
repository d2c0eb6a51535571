//! `edit cluster NAME`: the cluster document in $EDITOR, validated before it is saved. An
//! invalid edit is reopened with the problems on top (as kubectl does); closing the editor
//! without changing anything gives up and saves nothing.

use std::process::Command;

use anyhow::{bail, Context, Result};
use kops6_api::yaml::{parse_documents, write_documents, Document, Format};
use kops6_api::ClusterSpecSet;

use super::{checked, reviewed};
use crate::cli::{EditArgs, EditWhat};
use crate::store;

const HEADER: &str = "# Edit the cluster spec. Lines starting with '#' are ignored.\n# Save and close to apply; close without changes to cancel.\n";

pub fn run(state: Option<&str>, args: EditArgs) -> Result<()> {
    let EditWhat::Cluster { name } = args.what;
    let store = store::open(state)?;
    let set = store::load(store.as_ref(), &name)?;
    let original = write_documents(
        &[Document::Cluster(Box::new(set.cluster.clone()))],
        Format::Yaml,
    )?;
    let file = tempfile::Builder::new()
        .prefix(&format!("kops6-edit-{name}-"))
        .suffix(".yaml")
        .tempfile()
        .context("creating a file to edit")?;
    let mut shown = format!("{HEADER}{original}");
    let mut last_body = original.clone();
    loop {
        std::fs::write(file.path(), &shown).context("writing the file to edit")?;
        open_editor(file.path())?;
        let edited = std::fs::read_to_string(file.path()).context("reading the edited file")?;
        let body = strip_comments(&edited);
        if body.trim() == last_body.trim() {
            if body.trim() == original.trim() {
                println!("Edit cancelled: no changes.");
                return Ok(());
            }
            bail!("the edit is still invalid and was not changed; nothing was saved");
        }
        match apply(&set, &body) {
            Ok(updated) => {
                store::save(store.as_ref(), &updated, false)?;
                println!("Saved cluster {name:?}");
                return Ok(());
            }
            Err(problems) => {
                eprintln!("The edited spec is not valid; reopening the editor.\n{problems:#}");
                let notes: String = format!("{problems:#}")
                    .lines()
                    .map(|l| format!("# {l}\n"))
                    .collect();
                shown = format!("{HEADER}#\n{notes}#\n{body}");
                last_body = body;
            }
        }
    }
}

fn apply(set: &ClusterSpecSet, body: &str) -> Result<ClusterSpecSet> {
    let docs = parse_documents(body)?;
    let cluster = match docs.as_slice() {
        [Document::Cluster(c)] => (**c).clone(),
        _ => bail!("the file must hold exactly the one Cluster document"),
    };
    if cluster.metadata.name != set.name() {
        bail!(
            "metadata.name: renaming a cluster is not supported ({:?} -> {:?})",
            set.name(),
            cluster.metadata.name
        );
    }
    let updated = ClusterSpecSet::new(cluster, set.instance_groups.clone())?;
    checked(&updated)?;
    reviewed(&updated)?;
    Ok(updated)
}

fn strip_comments(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Runs `$EDITOR` (or `$VISUAL`, or `vi`) through the shell, so values like `code --wait` work.
fn open_editor(path: &std::path::Path) -> Result<()> {
    let editor = std::env::var("EDITOR")
        .or_else(|_| std::env::var("VISUAL"))
        .unwrap_or_else(|_| "vi".into());
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("kops6-edit")
        .arg(path)
        .status()
        .with_context(|| format!("starting the editor {editor:?}"))?;
    if !status.success() {
        bail!("the editor {editor:?} failed ({status}); nothing was saved");
    }
    Ok(())
}
