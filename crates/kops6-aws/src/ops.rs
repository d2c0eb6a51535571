//! One function per AWS call kops6 makes to change something. Every create tags at creation
//! (so a crash never leaves an untagged orphan) and uses a client token where EC2 offers one.

use std::future::Future;
use std::time::{Duration, Instant};

use aws_sdk_ec2::types::{
    AttributeBooleanValue, ConnectivityType, DomainType, HostnameType, NewDhcpConfiguration,
    ResourceType, Tag, TagSpecification,
};
use ipnet::{IpNet, Ipv6Net};
use kops6_model::graph::{SubnetSpec, Tags};
use kops6_model::{Key, Kind};
use rand::Rng;

use crate::connect::Aws;
use crate::discover::vpc_ipv6;
use crate::error::{api_error, AwsError};

fn tag_spec(kind: Kind, tags: &Tags) -> TagSpecification {
    let resource_type = match kind {
        Kind::Vpc => ResourceType::Vpc,
        Kind::DhcpOptions => ResourceType::DhcpOptions,
        Kind::InternetGateway => ResourceType::InternetGateway,
        Kind::EgressOnlyInternetGateway => ResourceType::EgressOnlyInternetGateway,
        Kind::Subnet => ResourceType::Subnet,
        Kind::ElasticIp => ResourceType::ElasticIp,
        Kind::NatGateway => ResourceType::Natgateway,
        Kind::RouteTable => ResourceType::RouteTable,
        Kind::VpcDhcpOptionsAssociation | Kind::Route | Kind::RouteTableAssociation => {
            ResourceType::Vpc
        }
    };
    TagSpecification::builder()
        .resource_type(resource_type)
        .set_tags(Some(aws_tags(tags)))
        .build()
}

fn aws_tags(tags: &Tags) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

fn flag(v: bool) -> AttributeBooleanValue {
    AttributeBooleanValue::builder().value(v).build()
}

/// How long to keep retrying a call that fails because AWS has not yet made a new ID visible.
const EVENTUAL_CONSISTENCY: Duration = Duration::from_secs(60);
/// How long to keep retrying a delete that something still depends on.
pub const DEPENDENCY_WAIT: Duration = Duration::from_secs(300);

/// Sleeps a jittered, growing backoff: 0.2 s doubling to 5 s, each +-50 %.
async fn backoff(attempt: u32) {
    let base = 200u64.saturating_mul(1 << attempt.min(5)).min(5_000);
    let jitter = rand::rng().random_range(base / 2..=base + base / 2);
    tokio::time::sleep(Duration::from_millis(jitter)).await;
}

/// Retries `f` while it fails with one of `codes` (suffix match), for at most `limit`.
pub async fn retry_on<T, F, Fut>(codes: &[&str], limit: Duration, mut f: F) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    let start = Instant::now();
    let mut attempt = 0;
    loop {
        match f().await {
            Err(e)
                if start.elapsed() < limit
                    && e.code()
                        .is_some_and(|c| codes.iter().any(|s| c.ends_with(s))) =>
            {
                backoff(attempt).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Retries a call that names IDs created moments ago (`InvalidXxx.NotFound`).
pub async fn fresh<T, F, Fut>(f: F) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    retry_on(&[".NotFound", "NotFound"], EVENTUAL_CONSISTENCY, f).await
}

pub struct Ops<'a> {
    pub aws: &'a Aws,
    /// Unique to this run: client tokens make the SDK's own retries idempotent.
    pub run_token: String,
}

impl Ops<'_> {
    fn err<E>(
        &self,
        e: aws_sdk_ec2::error::SdkError<
            E,
            aws_smithy_runtime_api::client::orchestrator::HttpResponse,
        >,
        action: &str,
        key: &dyn std::fmt::Display,
    ) -> AwsError
    where
        E: aws_sdk_ec2::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        api_error(e, action, key, &self.aws.endpoint)
    }

    fn token(&self, key: &Key) -> String {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut h);
        format!("kops6-{}-{:016x}", self.run_token, h.finish())
    }

    pub async fn create_vpc(
        &self,
        key: &Key,
        tags: &Tags,
        cidr: &str,
        ipv6: bool,
    ) -> Result<String, AwsError> {
        let out = self
            .aws
            .ec2
            .create_vpc()
            .cidr_block(cidr)
            .amazon_provided_ipv6_cidr_block(ipv6)
            .tag_specifications(tag_spec(Kind::Vpc, tags))
            .send()
            .await
            .map_err(|e| self.err(e, "creating", key))?;
        Ok(out
            .vpc()
            .and_then(|v| v.vpc_id())
            .unwrap_or_default()
            .to_string())
    }

    pub async fn set_vpc_dns(
        &self,
        key: &Key,
        vpc: &str,
        hostnames: Option<bool>,
        support: Option<bool>,
    ) -> Result<(), AwsError> {
        // EC2 takes one attribute per call.
        if let Some(v) = support {
            fresh(|| async {
                self.aws
                    .ec2
                    .modify_vpc_attribute()
                    .vpc_id(vpc)
                    .enable_dns_support(flag(v))
                    .send()
                    .await
                    .map_err(|e| self.err(e, "setting DNS support of", key))
            })
            .await?;
        }
        if let Some(v) = hostnames {
            fresh(|| async {
                self.aws
                    .ec2
                    .modify_vpc_attribute()
                    .vpc_id(vpc)
                    .enable_dns_hostnames(flag(v))
                    .send()
                    .await
                    .map_err(|e| self.err(e, "setting DNS hostnames of", key))
            })
            .await?;
        }
        Ok(())
    }

    pub async fn associate_vpc_ipv6(&self, key: &Key, vpc: &str) -> Result<(), AwsError> {
        fresh(|| async {
            self.aws
                .ec2
                .associate_vpc_cidr_block()
                .vpc_id(vpc)
                .amazon_provided_ipv6_cidr_block(true)
                .send()
                .await
                .map_err(|e| self.err(e, "adding an Amazon-provided IPv6 block to", key))
        })
        .await
        .map(|_| ())
    }

    /// Waits (bounded) until the VPC's IPv6 block is associated, and returns it.
    pub async fn wait_vpc_ipv6(&self, key: &Key, vpc: &str) -> Result<Ipv6Net, AwsError> {
        let limit = Duration::from_secs(120);
        let start = Instant::now();
        let mut attempt = 0;
        loop {
            let out = fresh(|| async {
                self.aws
                    .ec2
                    .describe_vpcs()
                    .vpc_ids(vpc)
                    .send()
                    .await
                    .map_err(|e| self.err(e, "reading the IPv6 block of", key))
            })
            .await?;
            if let Some(block) = out.vpcs().first().and_then(|v| vpc_ipv6(v).0) {
                return Ok(block);
            }
            if start.elapsed() > limit {
                return Err(AwsError::Timeout {
                    what: format!("the IPv6 block of {key}"),
                    seconds: limit.as_secs(),
                });
            }
            backoff(attempt).await;
            attempt += 1;
        }
    }

    pub async fn create_dhcp_options(
        &self,
        key: &Key,
        tags: &Tags,
        domain: &str,
        servers: &[String],
    ) -> Result<String, AwsError> {
        let out = self
            .aws
            .ec2
            .create_dhcp_options()
            .dhcp_configurations(
                NewDhcpConfiguration::builder()
                    .key("domain-name")
                    .values(domain)
                    .build(),
            )
            .dhcp_configurations(
                NewDhcpConfiguration::builder()
                    .key("domain-name-servers")
                    .set_values(Some(servers.to_vec()))
                    .build(),
            )
            .tag_specifications(tag_spec(Kind::DhcpOptions, tags))
            .send()
            .await
            .map_err(|e| self.err(e, "creating", key))?;
        Ok(out
            .dhcp_options()
            .and_then(|d| d.dhcp_options_id())
            .unwrap_or_default()
            .to_string())
    }

    pub async fn associate_dhcp_options(
        &self,
        key: &Key,
        vpc: &str,
        dhcp: &str,
    ) -> Result<(), AwsError> {
        fresh(|| async {
            self.aws
                .ec2
                .associate_dhcp_options()
                .vpc_id(vpc)
                .dhcp_options_id(dhcp)
                .send()
                .await
                .map_err(|e| self.err(e, "associating", key))
        })
        .await
        .map(|_| ())
    }

    pub async fn create_internet_gateway(
        &self,
        key: &Key,
        tags: &Tags,
    ) -> Result<String, AwsError> {
        let out = self
            .aws
            .ec2
            .create_internet_gateway()
            .tag_specifications(tag_spec(Kind::InternetGateway, tags))
            .send()
            .await
            .map_err(|e| self.err(e, "creating", key))?;
        Ok(out
            .internet_gateway()
            .and_then(|g| g.internet_gateway_id())
            .unwrap_or_default()
            .to_string())
    }

    pub async fn attach_internet_gateway(
        &self,
        key: &Key,
        igw: &str,
        vpc: &str,
    ) -> Result<(), AwsError> {
        fresh(|| async {
            self.aws
                .ec2
                .attach_internet_gateway()
                .internet_gateway_id(igw)
                .vpc_id(vpc)
                .send()
                .await
                .map_err(|e| self.err(e, "attaching", key))
        })
        .await
        .map(|_| ())
    }

    pub async fn create_egress_only_gateway(
        &self,
        key: &Key,
        tags: &Tags,
        vpc: &str,
    ) -> Result<String, AwsError> {
        let out = fresh(|| async {
            self.aws
                .ec2
                .create_egress_only_internet_gateway()
                .vpc_id(vpc)
                .client_token(self.token(key))
                .tag_specifications(tag_spec(Kind::EgressOnlyInternetGateway, tags))
                .send()
                .await
                .map_err(|e| self.err(e, "creating", key))
        })
        .await?;
        Ok(out
            .egress_only_internet_gateway()
            .and_then(|g| g.egress_only_internet_gateway_id())
            .unwrap_or_default()
            .to_string())
    }

    pub async fn create_subnet(
        &self,
        key: &Key,
        tags: &Tags,
        s: &SubnetSpec,
        vpc: &str,
        ipv6: Option<&str>,
    ) -> Result<String, AwsError> {
        let out = fresh(|| async {
            self.aws
                .ec2
                .create_subnet()
                .vpc_id(vpc)
                .availability_zone(&s.zone)
                .set_cidr_block(s.cidr.map(|c| c.to_string()))
                .set_ipv6_cidr_block(ipv6.map(str::to_string))
                .ipv6_native(s.ipv6_native)
                .tag_specifications(tag_spec(Kind::Subnet, tags))
                .send()
                .await
                .map_err(|e| self.err(e, "creating", key))
        })
        .await?;
        Ok(out
            .subnet()
            .and_then(|s| s.subnet_id())
            .unwrap_or_default()
            .to_string())
    }

    /// One ModifySubnetAttribute per attribute, as EC2 requires.
    pub async fn set_subnet_attribute(
        &self,
        key: &Key,
        subnet: &str,
        field: &str,
        value: &str,
    ) -> Result<(), AwsError> {
        let b = self.aws.ec2.modify_subnet_attribute().subnet_id(subnet);
        let on = value == "true";
        let b = match field {
            "assignIpv6AddressOnCreation" => b.assign_ipv6_address_on_creation(flag(on)),
            "enableDns64" => b.enable_dns64(flag(on)),
            "hostnameType" => b.private_dns_hostname_type_on_launch(HostnameType::from(value)),
            "enableResourceNameDnsARecord" => {
                b.enable_resource_name_dns_a_record_on_launch(flag(on))
            }
            "enableResourceNameDnsAAAARecord" => {
                b.enable_resource_name_dns_aaaa_record_on_launch(flag(on))
            }
            other => {
                return Err(AwsError::Other(format!(
                    "{key}: kops6 cannot change subnet attribute {other}"
                )))
            }
        };
        fresh(|| async {
            b.clone()
                .send()
                .await
                .map_err(|e| self.err(e, &format!("setting {field} of"), key))
        })
        .await
        .map(|_| ())
    }

    pub async fn allocate_address(&self, key: &Key, tags: &Tags) -> Result<String, AwsError> {
        let out = self
            .aws
            .ec2
            .allocate_address()
            .domain(DomainType::Vpc)
            .tag_specifications(tag_spec(Kind::ElasticIp, tags))
            .send()
            .await
            .map_err(|e| self.err(e, "allocating", key))?;
        Ok(out.allocation_id().unwrap_or_default().to_string())
    }

    pub async fn create_nat_gateway(
        &self,
        key: &Key,
        tags: &Tags,
        subnet: &str,
        allocation: &str,
    ) -> Result<String, AwsError> {
        let out = fresh(|| async {
            self.aws
                .ec2
                .create_nat_gateway()
                .subnet_id(subnet)
                .allocation_id(allocation)
                .connectivity_type(ConnectivityType::Public)
                .client_token(self.token(key))
                .tag_specifications(tag_spec(Kind::NatGateway, tags))
                .send()
                .await
                .map_err(|e| self.err(e, "creating", key))
        })
        .await?;
        Ok(out
            .nat_gateway()
            .and_then(|n| n.nat_gateway_id())
            .unwrap_or_default()
            .to_string())
    }

    /// Waits (bounded) for a NAT gateway to reach `want` ("available" or "deleted").
    pub async fn wait_nat_gateway(
        &self,
        key: &Key,
        id: &str,
        want: &str,
        limit: Duration,
    ) -> Result<(), AwsError> {
        let start = Instant::now();
        let mut attempt = 0;
        loop {
            let out = fresh(|| async {
                self.aws
                    .ec2
                    .describe_nat_gateways()
                    .nat_gateway_ids(id)
                    .send()
                    .await
                    .map_err(|e| self.err(e, "reading the state of", key))
            })
            .await?;
            let state = out
                .nat_gateways()
                .first()
                .and_then(|n| n.state())
                .map(|s| s.as_str().to_string());
            match state.as_deref() {
                Some(s) if s == want => return Ok(()),
                None if want == "deleted" => return Ok(()),
                Some("failed") if want == "available" => {
                    let why = out
                        .nat_gateways()
                        .first()
                        .and_then(|n| n.failure_message())
                        .unwrap_or("no reason given");
                    return Err(AwsError::Other(format!("{key} ({id}) failed: {why}")));
                }
                _ => {}
            }
            if start.elapsed() > limit {
                return Err(AwsError::Timeout {
                    what: format!("{key} ({id}) to be {want}"),
                    seconds: limit.as_secs(),
                });
            }
            backoff(attempt.min(3)).await;
            attempt += 1;
        }
    }

    pub async fn create_route_table(
        &self,
        key: &Key,
        tags: &Tags,
        vpc: &str,
    ) -> Result<String, AwsError> {
        let out = fresh(|| async {
            self.aws
                .ec2
                .create_route_table()
                .vpc_id(vpc)
                .client_token(self.token(key))
                .tag_specifications(tag_spec(Kind::RouteTable, tags))
                .send()
                .await
                .map_err(|e| self.err(e, "creating", key))
        })
        .await?;
        Ok(out
            .route_table()
            .and_then(|t| t.route_table_id())
            .unwrap_or_default()
            .to_string())
    }

    /// Creates (or, with `replace`, retargets) a route.
    pub async fn put_route(
        &self,
        key: &Key,
        table: &str,
        destination: IpNet,
        target: &str,
        replace: bool,
    ) -> Result<(), AwsError> {
        macro_rules! route {
            ($b:expr) => {{
                let b = $b.route_table_id(table);
                let b = match destination {
                    IpNet::V4(n) => b.destination_cidr_block(n.to_string()),
                    IpNet::V6(n) => b.destination_ipv6_cidr_block(n.to_string()),
                };
                match target.split('-').next().unwrap_or_default() {
                    "nat" => b.nat_gateway_id(target),
                    "eigw" => b.egress_only_internet_gateway_id(target),
                    "tgw" => b.transit_gateway_id(target),
                    "i" => b.instance_id(target),
                    "pcx" => b.vpc_peering_connection_id(target),
                    "vpce" => b.vpc_endpoint_id(target),
                    _ => b.gateway_id(target),
                }
            }};
        }
        if replace {
            let b = route!(self.aws.ec2.replace_route());
            fresh(|| async {
                b.clone()
                    .send()
                    .await
                    .map_err(|e| self.err(e, "retargeting", key))
            })
            .await?;
        } else {
            let b = route!(self.aws.ec2.create_route());
            fresh(|| async {
                b.clone()
                    .send()
                    .await
                    .map_err(|e| self.err(e, "creating", key))
            })
            .await?;
        }
        Ok(())
    }

    pub async fn associate_route_table(
        &self,
        key: &Key,
        table: &str,
        subnet: &str,
    ) -> Result<String, AwsError> {
        let out = fresh(|| async {
            self.aws
                .ec2
                .associate_route_table()
                .route_table_id(table)
                .subnet_id(subnet)
                .send()
                .await
                .map_err(|e| self.err(e, "creating", key))
        })
        .await?;
        Ok(out.association_id().unwrap_or_default().to_string())
    }

    pub async fn replace_association(
        &self,
        key: &Key,
        association: &str,
        table: &str,
    ) -> Result<(), AwsError> {
        fresh(|| async {
            self.aws
                .ec2
                .replace_route_table_association()
                .association_id(association)
                .route_table_id(table)
                .send()
                .await
                .map_err(|e| self.err(e, "moving", key))
        })
        .await
        .map(|_| ())
    }

    pub async fn create_tags(&self, key: &Key, id: &str, tags: &Tags) -> Result<(), AwsError> {
        fresh(|| async {
            self.aws
                .ec2
                .create_tags()
                .resources(id)
                .set_tags(Some(aws_tags(tags)))
                .send()
                .await
                .map_err(|e| self.err(e, "tagging", key))
        })
        .await
        .map(|_| ())
    }
}
