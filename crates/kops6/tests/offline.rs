//! The offline build (`--no-default-features`: no `aws` feature, no AWS SDK), as `scripts/demo`
//! builds it. `scripts/test` runs this file against that build; in the full build it is empty.
//!
//! It runs the README's main job (`scripts/demo`) with the offline binary, checks that every
//! command that needs AWS answers in one line that this build has no AWS support, and that the
//! build's dependency tree holds no AWS SDK crate.
#![cfg(not(feature = "aws"))]

use std::path::{Path, PathBuf};

mod cli;
use cli::kops6;

const NAME: &str = "ipv6.example.com";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A state store holding the demo's cluster.
fn store_with_cluster() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = format!("file://{}/state", dir.path().display());
    let out = kops6(
        &state,
        &[
            "create",
            "cluster",
            "--name",
            NAME,
            "--zones",
            "us-east-1a,us-east-1b",
            "--ipv6",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    (dir, state)
}

#[test]
fn the_readme_demo_runs_with_the_offline_binary() {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let bin = assert_cmd::cargo::cargo_bin("kops6");
    let out = std::process::Command::new(repo().join("scripts/demo"))
        .arg(out_dir.path())
        .env("KOPS6_BIN", &bin)
        .output()
        .expect("scripts/demo runs");
    let stdout = text(&out.stdout);
    assert!(
        out.status.success(),
        "scripts/demo failed:\n{stdout}\n{}",
        text(&out.stderr)
    );
    for step in [
        "$ kops6 create cluster --name ipv6.example.com",
        "$ kops6 get clusters",
        "$ kops6 get instancegroups --name ipv6.example.com",
        "$ kops6 update cluster ipv6.example.com --offline",
        "$ kops6 update cluster ipv6.example.com --target terraform",
    ] {
        assert!(stdout.contains(step), "no step {step:?} in:\n{stdout}");
    }
    assert!(
        stdout.contains("against an empty account (--offline)"),
        "{stdout}"
    );
    let tf = std::fs::read_to_string(out_dir.path().join("terraform/kubernetes.tf"))
        .expect("the demo writes kubernetes.tf");
    assert!(tf.contains("resource \"aws_vpc\""), "{tf}");
    assert!(out_dir
        .path()
        .join(format!("state/{NAME}/config"))
        .is_file());
}

/// Runs kops6 and returns its one line of error output, after checking it failed.
fn refused(state: &str, args: &[&str]) -> String {
    let out = kops6(state, args);
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "kops6 {args:?} succeeded: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr}");
    assert!(
        stderr.contains("built without AWS support") && stderr.contains("cargo build --release"),
        "{stderr}"
    );
    stderr
}

#[test]
fn update_cluster_against_aws_says_this_build_has_no_aws_support() {
    let (_dir, state) = store_with_cluster();
    let plan = refused(&state, &["update", "cluster", NAME]);
    assert!(
        plan.contains("--offline plans against an empty account"),
        "{plan}"
    );
    let apply = refused(&state, &["update", "cluster", NAME, "--yes"]);
    assert!(apply.contains("update cluster --yes needs AWS"), "{apply}");
}

#[test]
fn delete_cluster_without_offline_says_this_build_has_no_aws_support() {
    let (dir, state) = store_with_cluster();
    let err = refused(&state, &["delete", "cluster", NAME, "--yes"]);
    assert!(err.contains("--offline deletes only the spec"), "{err}");
    assert!(dir.path().join(format!("state/{NAME}/config")).is_file());
}

#[test]
fn an_s3_state_store_says_this_build_has_no_aws_support() {
    let err = refused("s3://my-bucket/clusters", &["get", "clusters"]);
    assert!(err.contains("s3://my-bucket"), "{err}");
}

#[test]
fn delete_offline_says_aws_was_not_asked() {
    let (dir, state) = store_with_cluster();
    let preview = kops6(&state, &["delete", "cluster", NAME, "--offline"]);
    let shown = text(&preview.stdout);
    assert!(preview.status.success(), "{}", text(&preview.stderr));
    assert!(shown.contains("were not looked up (--offline)"), "{shown}");
    assert!(!shown.contains("no AWS resources"), "{shown}");

    let out = kops6(&state, &["delete", "cluster", NAME, "--offline", "--yes"]);
    let said = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(said.contains("AWS was not asked (--offline)"), "{said}");
    assert!(!said.contains("no AWS resources"), "{said}");
    assert!(!dir.path().join(format!("state/{NAME}/config")).exists());

    let again = kops6(&state, &["delete", "cluster", NAME, "--offline", "--yes"]);
    let said = text(&again.stdout);
    assert!(said.contains("already deleted"), "{said}");
    assert!(said.contains("AWS was not asked (--offline)"), "{said}");
}

#[test]
fn the_offline_build_has_no_aws_sdk_crate() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = std::process::Command::new(cargo)
        .current_dir(repo())
        .args([
            "tree",
            "--locked",
            "--offline",
            "-p",
            "kops6",
            "--no-default-features",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ])
        .output()
        .expect("cargo tree runs");
    let tree = text(&out.stdout);
    assert!(out.status.success(), "cargo tree: {}", text(&out.stderr));
    assert!(tree.contains("kops6-model"), "an empty tree? {tree}");
    let aws: Vec<&str> = tree
        .lines()
        .filter(|l| l.starts_with("aws-") || l.starts_with("kops6-aws"))
        .collect();
    assert!(aws.is_empty(), "the offline build depends on {aws:?}");
}
