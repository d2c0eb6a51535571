//! Errors of the AWS edge: each says what kops6 was doing, to which resource, and what AWS said.

use std::fmt;

use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::error::display::DisplayErrorContext;
use kops6_model::{Key, Kind};
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
    #[error("timed out after {seconds}s waiting for {what} (last seen: {last})")]
    Timeout {
        what: String,
        seconds: u64,
        last: String,
    },
    #[error("{resource} failed: {reason}")]
    ResourceFailed { resource: String, reason: String },
    #[error("{count} change(s) failed:\n{}", bullets(.errors))]
    Failed { count: usize, errors: Vec<String> },
    #[error("{key}: not changed because {dependency} failed")]
    Blocked { key: Key, dependency: Key },
    #[error("kops6 cannot yet apply {} directly to AWS ({}); use --target terraform", kind_list(.kinds), key_list(.keys))]
    UnsupportedKind { kinds: Vec<Kind>, keys: Vec<Key> },
    #[error("{key}: kops6 cannot change {field} in place")]
    NotUpdatable { key: Key, field: String },
    #[error("{key}: its spec is not a {}", .key.kind)]
    WrongSpec { key: Key },
    #[error("{key}: the ID of {value} is not known yet")]
    UnknownId { key: Key, value: String },
    #[error("{key}: the VPC's IPv6 block is not known, so {cidr} cannot be resolved")]
    UnresolvedIpv6 { key: Key, cidr: String },
    #[error("publicIP {address}: no Elastic IP with that address in {region}")]
    ElasticIpNotFound { address: String, region: String },
    #[error("instancegroup/{instance_group}: spec.image {image:?} matches no AMI: searched {searched} in {region}; nothing was changed")]
    ImageNotFound {
        instance_group: String,
        image: String,
        searched: String,
        region: String,
    },
    #[error("instancegroup/{instance_group}: spec.image {image:?} resolved to {ami} ({ami_name:?}), whose name {rule}; nothing was changed")]
    ImageRuleBroken {
        instance_group: String,
        image: String,
        ami: String,
        ami_name: String,
        rule: String,
    },
    #[error("instancegroup/{instance_group}: spec.machineType {machine_type} is not offered in {zone} ({region}); choose a type AWS offers in every zone of the group's subnets; nothing was changed")]
    InstanceTypeNotOffered {
        instance_group: String,
        machine_type: String,
        zone: String,
        region: String,
    },
    #[error("the resources refer to each other in a cycle, so no order works: {}", key_list(.keys))]
    Cycle { keys: Vec<Key> },
}

fn kind_list(kinds: &[Kind]) -> String {
    kinds
        .iter()
        .map(Kind::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn key_list(keys: &[Key]) -> String {
    let mut names: Vec<String> = keys.iter().take(5).map(Key::to_string).collect();
    if keys.len() > 5 {
        names.push(format!("and {} more", keys.len() - 5));
    }
    names.join(", ")
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
pub fn api_error<E>(
    err: SdkError<E, HttpResponse>,
    action: &str,
    resource: &dyn fmt::Display,
    endpoint: &str,
) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match &err {
        SdkError::DispatchFailure(e) => AwsError::Unreachable {
            endpoint: endpoint.to_string(),
            message: if e.is_io() || e.is_timeout() {
                "connection failed (is the endpoint up and AWS_ENDPOINT_URL right?)".into()
            } else {
                e.as_connector_error()
                    .map(|c| DisplayErrorContext(c).to_string())
                    .unwrap_or_else(|| format!("{e:?}"))
            },
        },
        // An answer without an AWS error in it (a load balancer's or proxy's 502/503/504, an
        // HTML page) means something other than the AWS API answered, retries included.
        SdkError::ServiceError(_) | SdkError::ResponseError(_)
            if err.code().is_none()
                && err.raw_response().is_some_and(|r| !r.status().is_success()) =>
        {
            let status = err.raw_response().map(|r| r.status().as_u16()).unwrap_or(0);
            let reason = http_reason(status);
            AwsError::Unreachable {
                endpoint: endpoint.to_string(),
                message: format!(
                    "it answered HTTP {status}{reason}, not an AWS API response (is the endpoint up and AWS_ENDPOINT_URL right?)"
                ),
            }
        }
        SdkError::TimeoutError(_) => AwsError::Unreachable {
            endpoint: endpoint.to_string(),
            message: "the request timed out".into(),
        },
        _ => {
            let code = err.code().map(str::to_string);
            let message = err
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| DisplayErrorContext(&err).to_string());
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

/// ` Bad Gateway` for 502 and the like, for messages.
fn http_reason(status: u16) -> &'static str {
    match status {
        400 => " Bad Request",
        403 => " Forbidden",
        404 => " Not Found",
        500 => " Internal Server Error",
        502 => " Bad Gateway",
        503 => " Service Unavailable",
        504 => " Gateway Timeout",
        _ => "",
    }
}
