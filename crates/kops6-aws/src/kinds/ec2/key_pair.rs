//! The admin SSH key pair (`kubernetes.<cluster>-<fingerprint>`, as kOps names it), imported
//! with ImportKeyPair. Keyed by its key name (its `Name` tag is the cluster's, as in kOps). A
//! different key has a different name, so a new key is a new key pair and the old one is
//! removed; the material of one name is replace-only.

use aws_sdk_ec2::primitives::Blob;
use aws_sdk_ec2::types::ResourceType;
use kops6_model::{Key, Kind, Resource, Spec};

use super::{not_updatable, owned_filter, tag_spec, tags_of, wrong_spec};
use crate::actual::{Found, Observed};
use crate::compare::{Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::discover::is_owned;
use crate::error::{api_error, AwsError};
use crate::kind::{AwsKind, BoxFuture, Discovered, Name};

pub struct KeyPair;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPairObserved {
    /// The OpenSSH public key, when EC2 returns it (`IncludePublicKey`).
    pub public_key: Option<String>,
}

/// The key's type and base64 body, without the comment, which EC2 does not keep.
fn material(openssh: &str) -> String {
    openssh
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

impl AwsKind for KeyPair {
    fn kind(&self) -> Kind {
        Kind::KeyPair
    }

    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async move {
            // DescribeKeyPairs has no pages.
            let what = format!("resources of cluster {cluster}");
            let all = aws
                .ec2
                .describe_key_pairs()
                .filters(owned_filter(cluster))
                .include_public_key(true)
                .send()
                .await
                .map_err(|e| api_error(e, "listing key pairs of", &what, &aws.endpoint))?;
            let mut out = Vec::new();
            for k in all.key_pairs() {
                let tags = tags_of(k.tags());
                if !is_owned(&tags, cluster) {
                    continue;
                }
                let name = k.key_name().unwrap_or_default().to_string();
                out.push(Discovered {
                    kind: Kind::KeyPair,
                    name: Name::Given(name.clone()),
                    found: Found {
                        // Every call takes the name.
                        id: name,
                        tags,
                        refs: vec![],
                        observed: Observed::new(KeyPairObserved {
                            public_key: k.public_key().map(str::to_string),
                        }),
                    },
                });
            }
            Ok(out)
        })
    }

    fn compare(&self, desired: &Resource, found: &Found, _cx: &Resolve<'_>) -> Compare {
        let (Spec::KeyPair { public_key }, Some(a)) =
            (&desired.spec, found.observed.get::<KeyPairObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        if let Some(seen) = &a.public_key {
            c.immutable("publicKey", material(seen), material(public_key));
        }
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::KeyPair { public_key } = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            cx.aws
                .ec2
                .import_key_pair()
                .key_name(&r.key.name)
                .public_key_material(Blob::new(public_key.as_bytes()))
                .tag_specifications(tag_spec(ResourceType::KeyPair, &r.tags))
                .send()
                .await
                .map_err(|e| cx.err(e, "importing", &r.key))?;
            Ok(r.key.name.clone())
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
                // CreateTags takes the key pair's ID, not its name.
                "tags" => {
                    let out = cx
                        .aws
                        .ec2
                        .describe_key_pairs()
                        .key_names(id)
                        .send()
                        .await
                        .map_err(|e| cx.err(e, "reading", &r.key))?;
                    let pair_id = out
                        .key_pairs()
                        .first()
                        .and_then(|k| k.key_pair_id())
                        .unwrap_or(id)
                        .to_string();
                    super::create_tags(cx, &r.key, &pair_id, &r.tags).await
                }
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
                .delete_key_pair()
                .key_name(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}
