//! Running the kops6 binary against a local state store, for the CLI tests that need no AWS
//! (the AWS bed is `common`).
#![allow(dead_code)]

use std::process::Output;

use assert_cmd::Command;

/// `kops6 --state STATE ARGS...`, never pointed at an AWS endpoint.
pub fn kops6(state: &str, args: &[&str]) -> Output {
    Command::cargo_bin("kops6")
        .expect("kops6 binary")
        .arg("--state")
        .arg(state)
        .args(args)
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .expect("kops6 runs")
}

/// The standard output of a kops6 run that must succeed.
pub fn ok(state: &str, args: &[&str]) -> String {
    let out = kops6(state, args);
    assert!(
        out.status.success(),
        "kops6 {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
