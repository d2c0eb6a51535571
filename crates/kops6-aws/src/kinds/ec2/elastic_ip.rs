//! Elastic IPs for NAT gateways. Nothing about one changes but its tags.

use aws_sdk_ec2::types::{DomainType, ResourceType};
use kops6_model::{Key, Kind, Resource, Spec};

use super::{not_updatable, owned_filter, tag_spec, tags_of, wrong_spec};
use crate::actual::{Found, Observed};
use crate::compare::{Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::discover::is_owned;
use crate::error::{api_error, AwsError};
use crate::kind::{AwsKind, BoxFuture, Discovered, Name};

pub struct ElasticIp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressObserved {
    pub public_ip: Option<String>,
}

/// The allocation ID of an existing Elastic IP, by address (`publicIP`).
pub async fn allocation_of(aws: &Aws, address: &str) -> Result<Option<String>, AwsError> {
    let r = aws
        .ec2
        .describe_addresses()
        .public_ips(address)
        .send()
        .await
        .map_err(|e| api_error(e, "finding the Elastic IP", &address, &aws.endpoint))?;
    Ok(r.addresses()
        .first()
        .and_then(|a| a.allocation_id().map(str::to_string)))
}

impl AwsKind for ElasticIp {
    fn kind(&self) -> Kind {
        Kind::ElasticIp
    }

    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async move {
            // DescribeAddresses has no pages.
            let what = format!("resources of cluster {cluster}");
            let all = aws
                .ec2
                .describe_addresses()
                .filters(owned_filter(cluster))
                .send()
                .await
                .map_err(|e| api_error(e, "listing Elastic IPs of", &what, &aws.endpoint))?;
            let mut out = Vec::new();
            for a in all.addresses() {
                let id = a.allocation_id().unwrap_or_default().to_string();
                let tags = tags_of(a.tags());
                if !is_owned(&tags, cluster) {
                    continue;
                }
                out.push(Discovered {
                    kind: Kind::ElasticIp,
                    name: Name::from_tags(&tags),
                    found: Found {
                        id,
                        tags,
                        refs: vec![],
                        observed: Observed::new(AddressObserved {
                            public_ip: a.public_ip().map(str::to_string),
                        }),
                    },
                });
            }
            Ok(out)
        })
    }

    fn compare(&self, desired: &Resource, found: &Found, _cx: &Resolve<'_>) -> Compare {
        let (Spec::ElasticIp, Some(_)) = (&desired.spec, found.observed.get::<AddressObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::ElasticIp = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let out = cx
                .aws
                .ec2
                .allocate_address()
                .domain(DomainType::Vpc)
                .tag_specifications(tag_spec(ResourceType::ElasticIp, &r.tags))
                .send()
                .await
                .map_err(|e| cx.err(e, "allocating", &r.key))?;
            Ok(out.allocation_id().unwrap_or_default().to_string())
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
                other => Err(not_updatable(&r.key, other)),
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
                .release_address()
                .allocation_id(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "releasing", key))
        })
    }
}
