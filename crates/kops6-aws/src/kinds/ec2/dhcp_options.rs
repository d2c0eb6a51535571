//! DHCP options: the domain name and name servers of the cluster's VPC. Replace-only.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{NewDhcpConfiguration, ResourceType};
use kops6_model::{Key, Kind, Resource, Spec};

use super::{describe_owned, not_updatable, tag_spec, tags_of, wrong_spec};
use crate::actual::{Found, Observed};
use crate::compare::{opt, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::discover::is_owned;
use crate::error::AwsError;
use crate::kind::{AwsKind, BoxFuture, Discovered, Name};

pub struct DhcpOptions;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DhcpObserved {
    pub domain_name: Option<String>,
    pub domain_name_servers: Vec<String>,
}

impl AwsKind for DhcpOptions {
    fn kind(&self) -> Kind {
        Kind::DhcpOptions
    }

    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async move {
            let all = describe_owned!(
                aws,
                cluster,
                describe_dhcp_options,
                "listing DHCP options of"
            )?;
            let mut out = Vec::new();
            for d in all {
                let id = d.dhcp_options_id().unwrap_or_default().to_string();
                let tags = tags_of(d.tags());
                if !is_owned(&tags, cluster) {
                    continue;
                }
                let mut config: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for c in d.dhcp_configurations() {
                    let values = c
                        .values()
                        .iter()
                        .filter_map(|v| v.value().map(str::to_string))
                        .collect();
                    config.insert(c.key().unwrap_or_default().to_string(), values);
                }
                out.push(Discovered {
                    kind: Kind::DhcpOptions,
                    name: Name::from_tags(&tags),
                    found: Found {
                        id,
                        tags,
                        refs: vec![],
                        observed: Observed::new(DhcpObserved {
                            domain_name: config.get("domain-name").and_then(|v| v.first().cloned()),
                            domain_name_servers: config
                                .remove("domain-name-servers")
                                .unwrap_or_default(),
                        }),
                    },
                });
            }
            Ok(out)
        })
    }

    fn compare(&self, desired: &Resource, found: &Found, _cx: &Resolve<'_>) -> Compare {
        let (
            Spec::DhcpOptions {
                domain_name,
                domain_name_servers,
            },
            Some(a),
        ) = (&desired.spec, found.observed.get::<DhcpObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.immutable("domainName", opt(&a.domain_name), domain_name);
        c.immutable(
            "domainNameServers",
            a.domain_name_servers.join(","),
            domain_name_servers.join(","),
        );
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::DhcpOptions {
                domain_name,
                domain_name_servers,
            } = &r.spec
            else {
                return Err(wrong_spec(&r.key));
            };
            let out = cx
                .aws
                .ec2
                .create_dhcp_options()
                .dhcp_configurations(
                    NewDhcpConfiguration::builder()
                        .key("domain-name")
                        .values(domain_name)
                        .build(),
                )
                .dhcp_configurations(
                    NewDhcpConfiguration::builder()
                        .key("domain-name-servers")
                        .set_values(Some(domain_name_servers.clone()))
                        .build(),
                )
                .tag_specifications(tag_spec(ResourceType::DhcpOptions, &r.tags))
                .send()
                .await
                .map_err(|e| cx.err(e, "creating", &r.key))?;
            Ok(out
                .dhcp_options()
                .and_then(|d| d.dhcp_options_id())
                .unwrap_or_default()
                .to_string())
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
                .delete_dhcp_options()
                .dhcp_options_id(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}
