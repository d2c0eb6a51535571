//! Errors of the AWS edge: each says what kops6 was doing, to which resource, and what AWS said.

use std::fmt;

use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AwsError {
    #[error("{action} {resource}: {message}")]
    Api {
        action: String,
        resource: String,
        code: Option<String>,
        message: String,
    },
    #[error("cannot reach {endpoint}: {message}")]
    Unreachable { endpoint: String, message: String },
    #[error("the shared VPC {vpc} is not ready for an IPv6 cluster; nothing was created:\n{}", bullets(.problems))]
    SharedVpc { vpc: String, problems: Vec<String> },
    #[error("kops6 does not replace resources in place; nothing was changed:\n{}", bullets(.reasons))]
    NeedsReplacement { reasons: Vec<String> },
    #[error("timed out after {seconds}s waiting for {what}")]
    Timeout { what: String, seconds: u64 },
    #[error("{count} change(s) failed:\n{}", bullets(.errors))]
    Failed { count: usize, errors: Vec<String> },
    #[error("{0}")]
    Other(String),
}

fn bullets(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("  - {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl AwsError {
    /// The AWS error code, when AWS answered.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api { code, .. } => code.as_deref(),
            _ => None,
        }
    }
}

/// Turns an SDK error into an [`AwsError`] that names the action and resource.
pub fn api_error<E, R>(
    err: SdkError<E, R>,
    action: &str,
    resource: &dyn fmt::Display,
    endpoint: &str,
) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: fmt::Debug,
{
    match &err {
        SdkError::DispatchFailure(e) => AwsError::Unreachable {
            endpoint: endpoint.to_string(),
            message: if e.is_io() || e.is_timeout() {
                "connection failed (is the endpoint up and AWS_ENDPOINT_URL right?)".into()
            } else {
                format!("{e:?}")
            },
        },
        SdkError::TimeoutError(_) => AwsError::Unreachable {
            endpoint: endpoint.to_string(),
            message: "the request timed out".into(),
        },
        _ => {
            let code = err.code().map(str::to_string);
            let message = err.message().map(str::to_string).unwrap_or_else(|| {
                aws_smithy_types::error::display::DisplayErrorContext(&err).to_string()
            });
            AwsError::Api {
                action: action.to_string(),
                resource: resource.to_string(),
                message: match &code {
                    Some(c) => format!("{c}: {message}"),
                    None => message,
                },
                code,
            }
        }
    }
}
