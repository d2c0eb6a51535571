//! The VPC (SPEC 6): its IPv4 block, the Amazon-provided IPv6 /56, and DNS settings. Its
//! DHCP options association is read from the same answer
//! ([`super::vpc_dhcp_options_association`]).

use std::time::Duration;

use aws_sdk_ec2::types::{ResourceType, VpcAttributeName};
use ipnet::Ipv6Net;
use kops6_model::graph::Tags;
use kops6_model::{Key, Kind, Resource, Spec};

use super::vpc_dhcp_options_association::Association;
use super::{describe_owned, flag, not_updatable, tag_spec, tags_of, wrong_spec};
use crate::actual::{Found, Observed};
use crate::compare::{Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::discover::is_owned;
use crate::error::{api_error, AwsError};
use crate::kind::{AwsKind, BoxFuture, Discovered, Name, Op, QUICK_STEP_SECS};
use crate::wait::{fresh, until, Patience, Poll};

pub struct Vpc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VpcObserved {
    pub cidr: String,
    /// The associated Amazon-provided (else first) IPv6 block.
    pub ipv6_block: Option<Ipv6Net>,
    /// An IPv6 block is being associated.
    pub ipv6_pending: bool,
    pub dns_hostnames: bool,
    pub dns_support: bool,
    pub dhcp_options_id: Option<String>,
}

/// The IPv6 block of a discovered VPC.
pub fn ipv6_block(found: &Found) -> Option<Ipv6Net> {
    found.observed.get::<VpcObserved>()?.ipv6_block
}

/// How long a new IPv6 block may take to be associated.
const IPV6_WAIT: Patience = Patience {
    timeout: Duration::from_secs(120),
    max_doublings: 5,
};

impl AwsKind for Vpc {
    fn kind(&self) -> Kind {
        Kind::Vpc
    }

    /// A create waits (seconds) for the Amazon-provided IPv6 block to be associated.
    fn typical_secs(&self, op: Op) -> f64 {
        match op {
            Op::Create => 3.0,
            Op::Update | Op::Delete => QUICK_STEP_SECS,
        }
    }

    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async move {
            let vpcs = describe_owned!(aws, cluster, describe_vpcs, "listing VPCs of")?;
            let mut out = Vec::new();
            for vpc in vpcs {
                let id = vpc.vpc_id().unwrap_or_default().to_string();
                let tags = tags_of(vpc.tags());
                if !is_owned(&tags, cluster) {
                    continue;
                }
                let (dns_hostnames, dns_support) = dns(aws, &id).await?;
                let (ipv6_block, ipv6_pending) = vpc_ipv6(&vpc);
                let name = Name::from_tags(&tags);
                let dhcp = vpc.dhcp_options_id().map(str::to_string);
                out.push(Discovered {
                    kind: Kind::VpcDhcpOptionsAssociation,
                    name: name.clone(),
                    found: Found {
                        id: id.clone(),
                        tags: Tags::new(),
                        refs: vec![],
                        observed: Observed::new(Association {
                            vpc_id: id.clone(),
                            dhcp_options_id: dhcp.clone(),
                        }),
                    },
                });
                out.push(Discovered {
                    kind: Kind::Vpc,
                    name,
                    found: Found {
                        id,
                        tags,
                        // Its DHCP options can only go once it no longer uses them.
                        refs: dhcp.iter().cloned().collect(),
                        observed: Observed::new(VpcObserved {
                            cidr: vpc.cidr_block().unwrap_or_default().to_string(),
                            ipv6_block,
                            ipv6_pending,
                            dns_hostnames,
                            dns_support,
                            dhcp_options_id: dhcp,
                        }),
                    },
                });
            }
            Ok(out)
        })
    }

    fn compare(&self, desired: &Resource, found: &Found, _cx: &Resolve<'_>) -> Compare {
        let (
            Spec::Vpc {
                cidr,
                amazon_ipv6_block,
                dns_hostnames,
                dns_support,
            },
            Some(a),
        ) = (&desired.spec, found.observed.get::<VpcObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.immutable("cidr", &a.cidr, cidr);
        if *amazon_ipv6_block && a.ipv6_block.is_none() && !a.ipv6_pending {
            c.mutable("ipv6Block", "(none)", "Amazon-provided /56");
        }
        c.mutable("enableDnsHostnames", a.dns_hostnames, dns_hostnames);
        c.mutable("enableDnsSupport", a.dns_support, dns_support);
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::Vpc {
                cidr,
                amazon_ipv6_block,
                dns_hostnames,
                dns_support,
            } = &r.spec
            else {
                return Err(wrong_spec(&r.key));
            };
            let key = &r.key;
            let out = cx
                .aws
                .ec2
                .create_vpc()
                .cidr_block(cidr.to_string())
                .amazon_provided_ipv6_cidr_block(*amazon_ipv6_block)
                .tag_specifications(tag_spec(ResourceType::Vpc, &r.tags))
                .send()
                .await
                .map_err(|e| cx.err(e, "creating", key))?;
            let id = out
                .vpc()
                .and_then(|v| v.vpc_id())
                .unwrap_or_default()
                .to_string();
            // New VPCs have DNS support on and hostnames off. The DNS settings and the wait
            // for the IPv6 block are independent: side by side, the subnets start sooner.
            let dns = set_dns(
                cx,
                key,
                &id,
                dns_hostnames.then_some(true),
                (!dns_support).then_some(false),
            );
            let ipv6 = async {
                if !*amazon_ipv6_block {
                    return Ok(None);
                }
                // AWS may answer CreateVpc with the block still being associated; only then
                // is there anything to wait for.
                match out.vpc().and_then(|v| vpc_ipv6(v).0) {
                    Some(block) => Ok(Some(block)),
                    None => wait_ipv6(cx, key, &id).await.map(Some),
                }
            };
            let (dns, ipv6) = tokio::join!(dns, ipv6);
            dns?;
            if let Some(block) = ipv6? {
                cx.progress.note(&format!("{key} has IPv6 block {block}"));
                cx.set_vpc_block(block);
            }
            Ok(id)
        })
    }

    fn update<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
        id: &'a str,
        change: &'a FieldChange,
    ) -> BoxFuture<'a, Result<(), AwsError>> {
        Box::pin(async move {
            let key = &r.key;
            let on = change.to == "true";
            match change.field {
                "tags" => super::create_tags(cx, key, id, &r.tags).await,
                "ipv6Block" => {
                    fresh(|| async {
                        cx.aws
                            .ec2
                            .associate_vpc_cidr_block()
                            .vpc_id(id)
                            .amazon_provided_ipv6_cidr_block(true)
                            .send()
                            .await
                            .map_err(|e| cx.err(e, "adding an Amazon-provided IPv6 block to", key))
                    })
                    .await?;
                    let block = wait_ipv6(cx, key, id).await?;
                    cx.set_vpc_block(block);
                    Ok(())
                }
                "enableDnsHostnames" => set_dns(cx, key, id, Some(on), None).await,
                "enableDnsSupport" => set_dns(cx, key, id, None, Some(on)).await,
                other => Err(not_updatable(key, other)),
            }
        })
    }

    fn delete<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        key: &'a Key,
        found: &'a Found,
    ) -> BoxFuture<'a, Result<(), AwsError>> {
        Box::pin(async move {
            crate::kinds::route53::disassociate_private_zones(cx, key, &found.id).await?;
            cx.aws
                .ec2
                .delete_vpc()
                .vpc_id(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}

/// Both DNS attributes (one Describe each: EC2 has no batch form), read concurrently.
async fn dns(aws: &Aws, vpc: &str) -> Result<(bool, bool), AwsError> {
    let read = |attr: VpcAttributeName| async move {
        let r = aws
            .ec2
            .describe_vpc_attribute()
            .vpc_id(vpc)
            .attribute(attr.clone())
            .send()
            .await
            .map_err(|e| api_error(e, "reading DNS settings of", &vpc, &aws.endpoint))?;
        let value = match attr {
            VpcAttributeName::EnableDnsHostnames => {
                r.enable_dns_hostnames().and_then(|v| v.value())
            }
            _ => r.enable_dns_support().and_then(|v| v.value()),
        };
        Ok::<bool, AwsError>(value.unwrap_or(false))
    };
    let (hostnames, support) = tokio::join!(
        read(VpcAttributeName::EnableDnsHostnames),
        read(VpcAttributeName::EnableDnsSupport)
    );
    Ok((hostnames?, support?))
}

/// Sets DNS support, then hostnames (EC2 takes one attribute per call).
async fn set_dns(
    cx: &Ctx<'_>,
    key: &Key,
    vpc: &str,
    hostnames: Option<bool>,
    support: Option<bool>,
) -> Result<(), AwsError> {
    if let Some(v) = support {
        fresh(|| async {
            cx.aws
                .ec2
                .modify_vpc_attribute()
                .vpc_id(vpc)
                .enable_dns_support(flag(v))
                .send()
                .await
                .map_err(|e| cx.err(e, "setting DNS support of", key))
        })
        .await?;
    }
    if let Some(v) = hostnames {
        fresh(|| async {
            cx.aws
                .ec2
                .modify_vpc_attribute()
                .vpc_id(vpc)
                .enable_dns_hostnames(flag(v))
                .send()
                .await
                .map_err(|e| cx.err(e, "setting DNS hostnames of", key))
        })
        .await?;
    }
    Ok(())
}

/// Waits until the VPC's IPv6 block is associated, and returns it.
async fn wait_ipv6(cx: &Ctx<'_>, key: &Key, vpc: &str) -> Result<Ipv6Net, AwsError> {
    let what = format!("the IPv6 block of {key}");
    until(&what, IPV6_WAIT, || async {
        let out = fresh(|| async {
            cx.aws
                .ec2
                .describe_vpcs()
                .vpc_ids(vpc)
                .send()
                .await
                .map_err(|e| cx.err(e, "reading the IPv6 block of", key))
        })
        .await?;
        Ok(match out.vpcs().first().and_then(|v| vpc_ipv6(v).0) {
            Some(block) => Poll::Ready(block),
            None => Poll::Pending("no associated IPv6 block".into()),
        })
    })
    .await
}

/// The VPC's IPv6 block (SPEC 5: the Amazon-provided one, else the first associated), and
/// whether one is still being associated.
pub fn vpc_ipv6(vpc: &aws_sdk_ec2::types::Vpc) -> (Option<Ipv6Net>, bool) {
    let mut amazon = None;
    let mut first = None;
    let mut pending = false;
    for a in vpc.ipv6_cidr_block_association_set() {
        let state = a
            .ipv6_cidr_block_state()
            .and_then(|s| s.state())
            .map(|s| s.as_str().to_string())
            .unwrap_or_default();
        if state == "associating" {
            pending = true;
        }
        if state != "associated" {
            continue;
        }
        let Some(block) = a.ipv6_cidr_block().and_then(|b| b.parse::<Ipv6Net>().ok()) else {
            continue;
        };
        first.get_or_insert(block);
        if a.ipv6_pool() == Some("Amazon") {
            amazon.get_or_insert(block);
        }
    }
    (amazon.or(first), pending)
}
