//! What this build can do with AWS. The `aws` cargo feature (on by default) brings the AWS SDK;
//! without it kops6 is a complete offline tool, and each thing that needs AWS says so in one line
//! rather than missing silently.

/// The error a build without the `aws` feature gives for `what`, which needs AWS; `instead` says
/// what this build can do in its place.
#[cfg(not(feature = "aws"))]
pub fn unavailable(what: &str, instead: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "{what} needs AWS, and this kops6 was built without AWS support (cargo feature `aws`); \
         {instead}, or build the full binary: cargo build --release --bin kops6"
    )
}
