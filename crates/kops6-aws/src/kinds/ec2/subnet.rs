//! Subnets (SPEC 6): zone and ranges are replace-only; IPv6 assignment, DNS64 and the
//! resource-name DNS settings change in place.

use aws_sdk_ec2::types::{HostnameType, ResourceType};
use ipnet::Ipv6Net;
use kops6_api::Ipv6CidrSpec;
use kops6_model::graph::SubnetSpec;
use kops6_model::{Key, Kind, Resource, Spec};

use super::{describe_owned, flag, not_updatable, tag_spec, tags_of, wrong_spec};
use crate::actual::{Found, Observed};
use crate::compare::{opt, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::discover::is_owned;
use crate::error::AwsError;
use crate::kind::{AwsKind, BoxFuture, Discovered, Name};
use crate::wait::fresh;

pub struct Subnet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetObserved {
    pub vpc_id: String,
    pub zone: String,
    pub cidr: Option<String>,
    pub ipv6_cidr: Option<String>,
    pub ipv6_native: bool,
    pub assign_ipv6_on_creation: bool,
    pub dns64: bool,
    pub hostname_type: Option<String>,
    pub a_records: bool,
    pub aaaa_records: bool,
}

/// A subnet's concrete IPv6 range, given the VPC block.
pub fn subnet_ipv6(s: &SubnetSpec, vpc_block: Option<Ipv6Net>) -> Option<String> {
    match s.ipv6_cidr? {
        Ipv6CidrSpec::Literal(net) => Some(net.to_string()),
        spec @ Ipv6CidrSpec::Allocated { .. } => {
            spec.resolve(vpc_block?).ok().map(|n| n.to_string())
        }
    }
}

/// Subnet attributes that differ from what a new subnet has (IPv6 assignment, DNS64, DNS
/// names off; hostnames by IP, except IPv6-native subnets, which only name by resource).
pub fn settings_after_create(s: &SubnetSpec) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if s.assign_ipv6_on_creation {
        out.push(("assignIpv6AddressOnCreation", "true".to_string()));
    }
    if s.enable_dns64 {
        out.push(("enableDns64", "true".to_string()));
    }
    if s.ipv6_cidr.is_some() && s.resource_name_hostnames && !s.ipv6_native {
        out.push(("hostnameType", "resource-name".to_string()));
    }
    if s.dns_a_records {
        out.push(("enableResourceNameDnsARecord", "true".to_string()));
    }
    if s.dns_aaaa_records {
        out.push(("enableResourceNameDnsAAAARecord", "true".to_string()));
    }
    out
}

/// One ModifySubnetAttribute per attribute, as EC2 requires.
async fn set_attribute(
    cx: &Ctx<'_>,
    key: &Key,
    subnet: &str,
    field: &str,
    value: &str,
) -> Result<(), AwsError> {
    let b = cx.aws.ec2.modify_subnet_attribute().subnet_id(subnet);
    let on = value == "true";
    let b = match field {
        "assignIpv6AddressOnCreation" => b.assign_ipv6_address_on_creation(flag(on)),
        "enableDns64" => b.enable_dns64(flag(on)),
        "hostnameType" => b.private_dns_hostname_type_on_launch(HostnameType::from(value)),
        "enableResourceNameDnsARecord" => b.enable_resource_name_dns_a_record_on_launch(flag(on)),
        "enableResourceNameDnsAAAARecord" => {
            b.enable_resource_name_dns_aaaa_record_on_launch(flag(on))
        }
        other => return Err(not_updatable(key, other)),
    };
    fresh(|| async {
        b.clone()
            .send()
            .await
            .map_err(|e| cx.err(e, &format!("setting {field} of"), key))
    })
    .await
    .map(|_| ())
}

fn compare_subnet(c: &mut Compare, s: &SubnetSpec, a: &SubnetObserved, cx: &Resolve<'_>) {
    c.id("vpc", &a.vpc_id, cx.id(&s.vpc));
    c.immutable("zone", &a.zone, &s.zone);
    c.immutable("cidr", opt(&a.cidr), opt(&s.cidr.map(|n| n.to_string())));
    let desired_v6 = subnet_ipv6(s, cx.vpc_ipv6_block());
    c.immutable("ipv6Cidr", opt(&a.ipv6_cidr), opt(&desired_v6));
    c.immutable("ipv6Native", a.ipv6_native, s.ipv6_native);
    c.mutable(
        "assignIpv6AddressOnCreation",
        a.assign_ipv6_on_creation,
        s.assign_ipv6_on_creation,
    );
    c.mutable("enableDns64", a.dns64, s.enable_dns64);
    if s.ipv6_cidr.is_some() {
        let desired = if s.resource_name_hostnames {
            "resource-name"
        } else {
            "ip-name"
        };
        c.mutable("hostnameType", opt(&a.hostname_type), desired);
        c.mutable("enableResourceNameDnsARecord", a.a_records, s.dns_a_records);
        c.mutable(
            "enableResourceNameDnsAAAARecord",
            a.aaaa_records,
            s.dns_aaaa_records,
        );
    }
}

impl AwsKind for Subnet {
    fn kind(&self) -> Kind {
        Kind::Subnet
    }

    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async move {
            let all = describe_owned!(aws, cluster, describe_subnets, "listing subnets of")?;
            let mut out = Vec::new();
            for s in all {
                let id = s.subnet_id().unwrap_or_default().to_string();
                let tags = tags_of(s.tags());
                if !is_owned(&tags, cluster) {
                    continue;
                }
                let ipv6_cidr = s
                    .ipv6_cidr_block_association_set()
                    .iter()
                    .find(|a| {
                        a.ipv6_cidr_block_state()
                            .and_then(|st| st.state())
                            .is_some_and(|st| st.as_str() == "associated")
                    })
                    .and_then(|a| a.ipv6_cidr_block().map(str::to_string));
                let dns = s.private_dns_name_options_on_launch();
                let vpc_id = s.vpc_id().unwrap_or_default().to_string();
                out.push(Discovered {
                    kind: Kind::Subnet,
                    name: Name::from_tags(&tags),
                    found: Found {
                        id,
                        tags,
                        refs: vec![vpc_id.clone()],
                        observed: Observed::new(SubnetObserved {
                            vpc_id,
                            zone: s.availability_zone().unwrap_or_default().to_string(),
                            cidr: s.cidr_block().filter(|c| !c.is_empty()).map(str::to_string),
                            ipv6_cidr,
                            ipv6_native: s.ipv6_native().unwrap_or(false),
                            assign_ipv6_on_creation: s
                                .assign_ipv6_address_on_creation()
                                .unwrap_or(false),
                            dns64: s.enable_dns64().unwrap_or(false),
                            hostname_type: dns
                                .and_then(|d| d.hostname_type())
                                .map(|h| h.as_str().to_string()),
                            a_records: dns
                                .and_then(|d| d.enable_resource_name_dns_a_record())
                                .unwrap_or(false),
                            aaaa_records: dns
                                .and_then(|d| d.enable_resource_name_dns_aaaa_record())
                                .unwrap_or(false),
                        }),
                    },
                });
            }
            Ok(out)
        })
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::Subnet(s), Some(a)) = (&desired.spec, found.observed.get::<SubnetObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        compare_subnet(&mut c, s, a, cx);
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::Subnet(s) = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let key = &r.key;
            let ipv6 = subnet_ipv6(s, cx.vpc_block());
            if let (Some(cidr), None) = (s.ipv6_cidr, &ipv6) {
                return Err(AwsError::UnresolvedIpv6 {
                    key: key.clone(),
                    cidr: cidr.to_string(),
                });
            }
            let vpc = cx.value(key, &s.vpc)?;
            let out = fresh(|| async {
                cx.aws
                    .ec2
                    .create_subnet()
                    .vpc_id(&vpc)
                    .availability_zone(&s.zone)
                    .set_cidr_block(s.cidr.map(|c| c.to_string()))
                    .set_ipv6_cidr_block(ipv6.clone())
                    .ipv6_native(s.ipv6_native)
                    .tag_specifications(tag_spec(ResourceType::Subnet, &r.tags))
                    .send()
                    .await
                    .map_err(|e| cx.err(e, "creating", key))
            })
            .await?;
            let id = out
                .subnet()
                .and_then(|s| s.subnet_id())
                .unwrap_or_default()
                .to_string();
            // One attribute per ModifySubnetAttribute call, none depending on another: all
            // at once, so a subnet takes two round trips to make, not one per setting.
            let settings = settings_after_create(s);
            let set = settings
                .iter()
                .map(|(field, value)| set_attribute(cx, key, &id, field, value));
            for result in crate::schedule::join_all(set).await {
                result?;
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
            match change.field {
                "tags" => super::create_tags(cx, &r.key, id, &r.tags).await,
                field => set_attribute(cx, &r.key, id, field, &change.to).await,
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
            cx.aws
                .ec2
                .delete_subnet()
                .subnet_id(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}
