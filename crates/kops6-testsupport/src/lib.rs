//! The test bed: real parts on this machine, never real AWS.
//!
//! - [`Moto`]: `moto_server` on 127.0.0.1, on a free port, started through
//!   `testsupport/moto/kops6_moto.py` (which fixes moto 5.2.1's IPv6 gaps), stopped by PID.
//! - [`Terraform`]: the `terraform` binary with a CLI config whose `filesystem_mirror` points
//!   at the machine's `hashicorp/aws` provider mirror, found at run time.
//! - [`aws`]: reading what exists back through the AWS API (boto3, as moto ships it).

pub mod cluster;
mod moto;
pub mod network;
mod proxy;
mod terraform;
pub use proxy::Proxy;

pub use moto::Moto;
pub use terraform::Terraform;

use std::path::PathBuf;

/// The repository root (this crate lives in `crates/kops6-testsupport`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root exists")
}

/// The Python that runs moto and boto3 (`KOPS6_PYTHON`, else `python3`).
pub fn python() -> String {
    std::env::var("KOPS6_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Prints a skip notice and returns `None`. The notice goes straight to the process's stderr,
/// past the test harness's output capture, so it shows in every `cargo test` run.
pub fn skip<T>(test: &str, why: &str) -> Option<T> {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {test}: {why}");
    None
}

/// Runs `testsupport/moto/aws.py COMMAND ARGS...` against an endpoint and parses its JSON.
pub fn aws(endpoint: &str, args: &[&str]) -> serde_json::Value {
    let script = repo_root().join("testsupport/moto/aws.py");
    let out = std::process::Command::new(python())
        .arg(&script)
        .arg("--endpoint")
        .arg(endpoint)
        .args(args)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "aws.py {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("aws.py prints JSON")
}
