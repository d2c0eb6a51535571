//! The etcd EBS volumes (SPEC 7: one encrypted gp3 volume per member of the `main` etcd
//! cluster, tagged for the instance in its zone to attach). Zone and encryption are
//! replace-only; size, type, IOPS and throughput change in place (ModifyVolume, which only
//! grows a volume).

use aws_sdk_ec2::types::{ResourceType, VolumeType};
use kops6_model::{Key, Kind, Resource, Spec};

use super::{describe_owned, not_updatable, tag_spec, tags_of, wrong_spec};
use crate::actual::{Found, Observed};
use crate::compare::{Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::discover::is_owned;
use crate::error::AwsError;
use crate::kind::{AwsKind, BoxFuture, Discovered, Name};

pub struct EbsVolume;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeObserved {
    pub zone: String,
    pub size_gib: i32,
    pub volume_type: String,
    pub iops: i32,
    pub throughput: i32,
    pub encrypted: bool,
}

impl AwsKind for EbsVolume {
    fn kind(&self) -> Kind {
        Kind::EbsVolume
    }

    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async move {
            let all = describe_owned!(aws, cluster, describe_volumes, "listing volumes of")?;
            let mut out = Vec::new();
            for v in all {
                let tags = tags_of(v.tags());
                if !is_owned(&tags, cluster) {
                    continue;
                }
                out.push(Discovered {
                    kind: Kind::EbsVolume,
                    name: Name::from_tags(&tags),
                    found: Found {
                        id: v.volume_id().unwrap_or_default().to_string(),
                        tags,
                        refs: vec![],
                        observed: Observed::new(VolumeObserved {
                            zone: v.availability_zone().unwrap_or_default().to_string(),
                            size_gib: v.size().unwrap_or(0),
                            volume_type: v
                                .volume_type()
                                .map(|t| t.as_str().to_string())
                                .unwrap_or_default(),
                            iops: v.iops().unwrap_or(0),
                            throughput: v.throughput().unwrap_or(0),
                            encrypted: v.encrypted().unwrap_or(false),
                        }),
                    },
                });
            }
            Ok(out)
        })
    }

    fn compare(&self, desired: &Resource, found: &Found, _cx: &Resolve<'_>) -> Compare {
        let (Spec::EbsVolume(s), Some(a)) = (&desired.spec, found.observed.get::<VolumeObserved>())
        else {
            return Compare::mismatch(found);
        };
        let mut c = Compare::new();
        c.immutable("zone", &a.zone, &s.zone);
        c.immutable("encrypted", a.encrypted, s.encrypted);
        if a.size_gib > s.size_gib as i32 {
            c.immutable("size", a.size_gib, s.size_gib);
        } else {
            c.mutable("size", a.size_gib, s.size_gib);
        }
        c.mutable("type", &a.volume_type, &s.volume_type);
        c.mutable("iops", a.iops, s.iops);
        c.mutable("throughput", a.throughput, s.throughput);
        c.tags(&found.tags, &desired.tags);
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::EbsVolume(s) = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let out = cx
                .aws
                .ec2
                .create_volume()
                .availability_zone(&s.zone)
                .size(s.size_gib as i32)
                .volume_type(VolumeType::from(s.volume_type.as_str()))
                .iops(s.iops as i32)
                .throughput(s.throughput as i32)
                .encrypted(s.encrypted)
                .client_token(cx.token(&r.key))
                .tag_specifications(tag_spec(ResourceType::Volume, &r.tags))
                .send()
                .await
                .map_err(|e| cx.err(e, "creating", &r.key))?;
            Ok(out.volume_id().unwrap_or_default().to_string())
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
            let Spec::EbsVolume(s) = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            let b = cx.aws.ec2.modify_volume().volume_id(id);
            let b = match change.field {
                "tags" => return super::create_tags(cx, &r.key, id, &r.tags).await,
                "size" => b.size(s.size_gib as i32),
                "type" => b.volume_type(VolumeType::from(s.volume_type.as_str())),
                "iops" => b.iops(s.iops as i32),
                "throughput" => b.throughput(s.throughput as i32),
                other => return Err(not_updatable(&r.key, other)),
            };
            b.send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, &format!("changing {} of", change.field), &r.key))
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
                .delete_volume()
                .volume_id(&found.id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| cx.err(e, "deleting", key))
        })
    }
}
