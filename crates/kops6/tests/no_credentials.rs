//! Issue 9: without AWS credentials, `update cluster` and `delete cluster` say so in one line
//! (which sources were tried, how to set them) and exit non-zero; the SDK's own account of
//! the failure only with `-v`. The environment is empty: HOME is an empty directory, no AWS
//! variable but `AWS_EC2_METADATA_DISABLED`, so no provider of the chain can find anything and
//! no call leaves the machine.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

const C: &str = "ipv6.example.com";

fn kops6(home: &Path, args: &[&str]) -> Output {
    let state = format!("file://{}", home.join("store").display());
    Command::cargo_bin("kops6")
        .expect("kops6 binary")
        .env_clear()
        .env("HOME", home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .arg("--state")
        .arg(&state)
        .args(args)
        .output()
        .expect("kops6 runs")
}

fn with_cluster() -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("temp dir");
    let out = kops6(
        home.path(),
        &[
            "create",
            "cluster",
            "--name",
            C,
            "--zones",
            "us-east-1a",
            "--ipv6",
            "--kubernetes-version",
            "v1.35.0",
        ],
    );
    assert!(
        out.status.success(),
        "create cluster needs no AWS:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    home
}

/// The one line, exactly.
fn expect_one_line(out: &Output) {
    assert!(!out.status.success());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr:\n{stderr}");
    let line = lines[0];
    assert!(
        line.starts_with("Error: no AWS credentials found (tried: environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profile \"default\""),
        "{line}"
    );
    assert!(
        line.contains("EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)"),
        "{line}"
    );
    assert!(
        line.contains("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
        "{line}"
    );
}

#[test]
fn update_cluster_without_credentials_says_so_in_one_line() {
    let home = with_cluster();
    // The plan against AWS needs credentials; `--yes` with this file:// store is refused
    // before AWS is asked (nodes could not read it), so it never gets to the credentials.
    expect_one_line(&kops6(home.path(), &["update", "cluster", C]));
    let yes = kops6(home.path(), &["update", "cluster", C, "--yes"]);
    let stderr = String::from_utf8_lossy(&yes.stderr);
    assert!(stderr.contains("use an s3:// state store"), "{stderr}");
    assert!(!stderr.contains("credentials"), "{stderr}");
}

#[test]
fn delete_cluster_without_credentials_says_so_in_one_line() {
    let home = with_cluster();
    expect_one_line(&kops6(home.path(), &["delete", "cluster", C, "--yes"]));
    // Nothing was deleted: the spec is still there.
    let out = kops6(home.path(), &["get", "clusters"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(C));
}

#[test]
fn verbose_adds_the_sdk_detail() {
    let home = with_cluster();
    let out = kops6(home.path(), &["-v", "update", "cluster", C]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with("Error: no AWS credentials found"),
        "{stderr}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("  AWS SDK: ")),
        "the SDK's detail with -v:\n{stderr}"
    );
}
