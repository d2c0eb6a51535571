//! Errors of the AWS edge: each says what kops6 was doing, to which resource, and what AWS said.

use std::fmt;

use aws_credential_types::provider::error::CredentialsError;
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
    /// One line; the SDK's own account (every provider of the chain and why it had nothing)
    /// is in `detail`, for `-v`.
    #[error("no AWS credentials found (tried: {}); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE to a profile in ~/.aws/config (`aws configure`, or `aws sso login` for SSO)", .tried.join(", "))]
    NoCredentials { tried: Vec<String>, detail: String },
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
    #[error("spec.dnsZone: Route53 has no {} hosted zone named {zone} (looked up with ListHostedZonesByName); create it (`aws route53 create-hosted-zone --name {zone} --caller-reference $(date +%s)`{}) or set spec.dnsZone to a zone you have; nothing was changed", if *.private { "private" } else { "public" }, if *.private { " with --vpc and --hosted-zone-config PrivateZone=true" } else { "" })]
    HostedZoneNotFound { zone: String, private: bool },
    #[error("spec.dnsZone: Route53 has several hosted zones named {zone} ({}); set spec.dnsZone to the ID of the one to use; nothing was changed", .ids.join(", "))]
    HostedZoneAmbiguous { zone: String, ids: Vec<String> },
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
    /// Every problem preflight found in the spec (bad images, machine types, hosted zones),
    /// so one run shows them all; each keeps its own typed error.
    #[error("{} problems in the spec, found before any change; nothing was changed:\n{}", .problems.len(), problem_list(.problems))]
    Preflight { problems: Vec<AwsError> },
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

/// What every preflight message ends with; said once for a list of them.
const NOTHING_CHANGED: &str = "; nothing was changed";

fn problem_list(problems: &[AwsError]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| p.to_string().trim_end_matches(NOTHING_CHANGED).to_string())
        .collect();
    bullets(&lines)
}

/// No problem, the one problem as it is, or all of them in one [`AwsError::Preflight`].
pub fn preflight_result(mut problems: Vec<AwsError>) -> Result<(), AwsError> {
    match problems.len() {
        0 => Ok(()),
        1 => Err(problems.remove(0)),
        _ => Err(AwsError::Preflight { problems }),
    }
}

fn bullets(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("  - {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl AwsError {
    /// What the SDK said in full, when the one-line message leaves it out.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Self::NoCredentials { detail, .. } => Some(detail),
            _ => None,
        }
    }

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
    if credentials_error(&err).is_some() {
        return AwsError::NoCredentials {
            tried: credential_sources(|k| std::env::var(k).ok()),
            detail: DisplayErrorContext(&err).to_string(),
        };
    }
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

/// The credentials provider's error, if that is why a call failed. The SDK resolves
/// credentials while sending, so their absence surfaces as a dispatch failure whose source
/// chain holds the provider chain's [`CredentialsError`]; found by type, not by message.
fn credentials_error<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a CredentialsError> {
    let mut at = Some(err);
    while let Some(e) = at {
        if let Some(c) = e.downcast_ref::<CredentialsError>() {
            return Some(c);
        }
        at = e.source();
    }
    None
}

/// The sources the SDK's default chain tries, in its order, named as this environment has
/// them (`env` reads a variable).
pub fn credential_sources(env: impl Fn(&str) -> Option<String>) -> Vec<String> {
    let profile = env("AWS_PROFILE").unwrap_or_else(|| "default".into());
    let config = env("AWS_CONFIG_FILE").unwrap_or_else(|| "~/.aws/config".into());
    let credentials =
        env("AWS_SHARED_CREDENTIALS_FILE").unwrap_or_else(|| "~/.aws/credentials".into());
    let imds = if env("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)"
    } else {
        "EC2 instance metadata"
    };
    vec![
        "environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY".into(),
        format!(
            "profile {profile:?} (keys, SSO, credential_process) in {config} and {credentials}"
        ),
        "web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)".into(),
        "ECS container credentials".into(),
        imds.into(),
    ]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sources_name_the_profile_files_and_a_disabled_imds() {
        let env = |k: &str| match k {
            "AWS_PROFILE" => Some("prod".to_string()),
            "AWS_EC2_METADATA_DISABLED" => Some("true".to_string()),
            _ => None,
        };
        let tried = credential_sources(env);
        assert_eq!(tried.len(), 5);
        assert_eq!(
            tried[1],
            "profile \"prod\" (keys, SSO, credential_process) in ~/.aws/config and ~/.aws/credentials"
        );
        assert_eq!(
            tried[4],
            "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)"
        );
    }

    #[test]
    fn one_problem_is_itself_and_several_are_listed_once_each() {
        let not_offered = |group: &str| AwsError::InstanceTypeNotOffered {
            instance_group: group.into(),
            machine_type: "m9.huge".into(),
            zone: "us-east-1a".into(),
            region: "us-east-1".into(),
        };
        assert!(preflight_result(Vec::new()).is_ok());
        let one = preflight_result(vec![not_offered("a")]).expect_err("one problem");
        assert!(
            matches!(one, AwsError::InstanceTypeNotOffered { .. }),
            "{one:?}"
        );
        let two = preflight_result(vec![not_offered("a"), not_offered("b")]).expect_err("two");
        let text = two.to_string();
        assert!(
            text.starts_with("2 problems in the spec, found before any change; nothing was changed:\n  - instancegroup/a: "),
            "{text}"
        );
        assert_eq!(text.matches("nothing was changed").count(), 1, "{text}");
        assert!(
            text.contains("\n  - instancegroup/b: spec.machineType m9.huge"),
            "{text}"
        );
    }

    #[test]
    fn no_credentials_is_one_line() {
        let e = AwsError::NoCredentials {
            tried: credential_sources(|_| None),
            detail: "the SDK's\nmany\nlines".into(),
        };
        let text = e.to_string();
        assert!(!text.contains('\n'), "{text}");
        assert!(text.starts_with("no AWS credentials found (tried: environment variables"));
        assert_eq!(e.detail(), Some("the SDK's\nmany\nlines"));
    }
}
