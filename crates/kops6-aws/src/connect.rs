//! Reaching AWS: the standard configuration chain (profiles, environment, SSO, instance
//! roles), `AWS_ENDPOINT_URL` for emulators, the cluster's region, and bounded retries and
//! timeouts so an unreachable endpoint fails with a message instead of hanging.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};

/// Clients for one region.
#[derive(Clone, Debug)]
pub struct Aws {
    pub ec2: aws_sdk_ec2::Client,
    pub iam: aws_sdk_iam::Client,
    pub elbv2: aws_sdk_elasticloadbalancingv2::Client,
    pub autoscaling: aws_sdk_autoscaling::Client,
    pub s3: aws_sdk_s3::Client,
    pub region: String,
    /// Where requests go, for messages (`AWS_ENDPOINT_URL` or the AWS default).
    pub endpoint: String,
}

/// Retry attempts per call. Throttling and 5xx answers are retried by the SDK with
/// exponential backoff and jitter.
pub const MAX_ATTEMPTS: u32 = 8;

impl Aws {
    /// Loads the AWS configuration chain for `region` (or the chain's own region when `None`).
    pub async fn connect(region: Option<&str>) -> Aws {
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http)
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(MAX_ATTEMPTS)
                    .with_initial_backoff(Duration::from_millis(200))
                    .with_max_backoff(Duration::from_secs(5)),
            )
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(30))
                    .operation_timeout(Duration::from_secs(120))
                    .build(),
            );
        if let Some(r) = region {
            loader = loader.region(Region::new(r.to_string()));
        }
        let config = loader.load().await;
        let region = config.region().map(|r| r.to_string()).unwrap_or_default();
        let endpoint = std::env::var("AWS_ENDPOINT_URL_EC2")
            .or_else(|_| std::env::var("AWS_ENDPOINT_URL"))
            .unwrap_or_else(|_| format!("the AWS API in {region}"));
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(std::env::var_os("AWS_ENDPOINT_URL").is_some())
            .build();
        Aws {
            ec2: aws_sdk_ec2::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
            elbv2: aws_sdk_elasticloadbalancingv2::Client::new(&config),
            autoscaling: aws_sdk_autoscaling::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            region,
            endpoint,
        }
    }
}
