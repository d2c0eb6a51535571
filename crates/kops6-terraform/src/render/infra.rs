//! The SPEC 7 kinds as the `hashicorp/aws` provider's resources, attribute for attribute as
//! kOps renders them (`tests/integration/update_cluster/minimal-ipv6/kubernetes.tf`).

use hcl::expr::Expression;
use hcl::structure::BlockBuilder;
use hcl::Block;
use kops6_model::specs::{ImageRule, LaunchTemplateSpec, RuleSource, SecurityGroupRuleSpec};
use kops6_model::{Kind, Resource, Spec, Value};

use super::{expr, tags, Renderer};
use crate::names::{resource_type, sanitize};
use crate::TerraformError;

/// Whether the kind writes its own tags (all SPEC 7 kinds do, in their attribute order).
pub(super) fn renders_own_tags(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::SecurityGroup
            | Kind::SecurityGroupRule
            | Kind::IamRole
            | Kind::IamRolePolicy
            | Kind::IamInstanceProfile
            | Kind::KeyPair
            | Kind::LoadBalancer
            | Kind::TargetGroup
            | Kind::Listener
            | Kind::EbsVolume
            | Kind::LaunchTemplate
            | Kind::AutoscalingGroup
            | Kind::DnsRecord
    )
}

/// The `data "aws_ami"` name for an image.
pub(super) fn image_data_name(owner: &str, name: &str) -> String {
    sanitize(&format!("image-{owner}-{name}"))
}

fn list(items: Vec<Expression>) -> Expression {
    Expression::Array(items)
}

impl Renderer<'_> {
    /// `<type>.<name>.<attribute>` of a graph resource; a shared value is its literal.
    fn attr(&self, v: &Value, attribute: &str) -> Result<Expression, TerraformError> {
        match v {
            Value::Ref(key) => expr(&format!(
                "{}.{}.{attribute}",
                resource_type(key.kind),
                self.name_of(key)
            )),
            _ => self.value(v),
        }
    }

    fn values(&self, vs: &[Value]) -> Result<Expression, TerraformError> {
        Ok(list(
            vs.iter().map(|v| self.value(v)).collect::<Result<_, _>>()?,
        ))
    }

    pub(super) fn infra_resource(
        &self,
        b: BlockBuilder,
        r: &Resource,
    ) -> Result<BlockBuilder, TerraformError> {
        let name = r.key.name.as_str();
        Ok(match &r.spec {
            Spec::SecurityGroup { vpc, description } => b
                .add_attribute(("description", description.as_str()))
                .add_attribute(("name", name))
                .add_attribute(("tags", tags(r)))
                .add_attribute(("vpc_id", self.value(vpc)?)),
            Spec::SecurityGroupRule(rule) => self.security_group_rule(b, rule)?,
            Spec::IamRole { assume_role_policy } => b
                .add_attribute((
                    "assume_role_policy",
                    self.data_file(
                        "file",
                        format!("data/aws_iam_role_{name}_policy"),
                        assume_role_policy,
                    )?,
                ))
                .add_attribute(("name", name))
                .add_attribute(("tags", tags(r))),
            Spec::IamRolePolicy { role, policy } => b
                .add_attribute(("name", name))
                .add_attribute((
                    "policy",
                    self.data_file(
                        "file",
                        format!("data/aws_iam_role_policy_{name}_policy"),
                        policy,
                    )?,
                ))
                .add_attribute(("role", self.attr(role, "name")?)),
            Spec::IamInstanceProfile { role } => b
                .add_attribute(("name", name))
                .add_attribute(("role", self.attr(role, "name")?))
                .add_attribute(("tags", tags(r))),
            Spec::KeyPair { public_key } => b
                .add_attribute(("key_name", name))
                .add_attribute((
                    "public_key",
                    self.data_file(
                        "file",
                        format!("data/aws_key_pair_{}_public_key", name.replace(':', "")),
                        public_key,
                    )?,
                ))
                .add_attribute(("tags", tags(r))),
            Spec::LoadBalancer(lb) => {
                let mut b = b
                    .add_attribute(("enable_cross_zone_load_balancing", lb.cross_zone))
                    .add_attribute(("internal", lb.internal));
                if lb.dualstack {
                    b = b.add_attribute(("ip_address_type", "dualstack"));
                }
                b = b
                    .add_attribute(("load_balancer_type", "network"))
                    .add_attribute(("name", lb.aws_name.as_str()))
                    .add_attribute(("security_groups", self.values(&lb.security_groups)?));
                for s in &lb.subnets {
                    b = b.add_block(
                        Block::builder("subnet_mapping")
                            .add_attribute(("subnet_id", self.value(s)?))
                            .build(),
                    );
                }
                b.add_attribute(("tags", tags(r)))
            }
            Spec::TargetGroup(tg) => b
                .add_attribute((
                    "deregistration_delay",
                    tg.deregistration_delay_seconds.to_string(),
                ))
                .add_block(
                    Block::builder("health_check")
                        .add_attribute(("healthy_threshold", tg.healthy_threshold))
                        .add_attribute(("interval", tg.interval_seconds))
                        .add_attribute(("protocol", "TCP"))
                        .add_attribute(("unhealthy_threshold", tg.unhealthy_threshold))
                        .build(),
                )
                .add_attribute(("name", tg.aws_name.as_str()))
                .add_attribute(("port", tg.port))
                .add_attribute(("protocol", "TCP"))
                .add_attribute(("tags", tags(r)))
                .add_attribute(("vpc_id", self.value(&tg.vpc)?)),
            Spec::Listener {
                load_balancer,
                port,
                target_group,
            } => b
                .add_block(
                    Block::builder("default_action")
                        .add_attribute(("target_group_arn", self.value(target_group)?))
                        .add_attribute(("type", "forward"))
                        .build(),
                )
                .add_attribute(("load_balancer_arn", self.value(load_balancer)?))
                .add_attribute(("port", *port))
                .add_attribute(("protocol", "TCP")),
            Spec::EbsVolume(v) => {
                let mut b = b
                    .add_attribute(("availability_zone", v.zone.as_str()))
                    .add_attribute(("encrypted", v.encrypted));
                if v.iops > 0 {
                    b = b.add_attribute(("iops", v.iops));
                }
                b = b
                    .add_attribute(("size", v.size_gib))
                    .add_attribute(("tags", tags(r)));
                if v.throughput > 0 {
                    b = b.add_attribute(("throughput", v.throughput));
                }
                b.add_attribute(("type", v.volume_type.as_str()))
            }
            Spec::LaunchTemplate(lt) => self.launch_template(b, r, lt)?,
            Spec::AutoscalingGroup(asg) => {
                let lt = &asg.launch_template;
                let mut b = b
                    .add_block(
                        Block::builder("launch_template")
                            .add_attribute(("id", self.attr(lt, "id")?))
                            .add_attribute(("version", self.attr(lt, "latest_version")?))
                            .build(),
                    )
                    .add_attribute(("max_size", asg.max_size))
                    .add_attribute(("min_size", asg.min_size))
                    .add_attribute(("name", name));
                for (k, v) in &r.tags {
                    b = b.add_block(
                        Block::builder("tag")
                            .add_attribute(("key", k.as_str()))
                            .add_attribute(("propagate_at_launch", true))
                            .add_attribute(("value", v.as_str()))
                            .build(),
                    );
                }
                if !asg.target_groups.is_empty() {
                    b = b.add_attribute(("target_group_arns", self.values(&asg.target_groups)?));
                }
                b.add_attribute(("vpc_zone_identifier", self.values(&asg.subnets)?))
            }
            Spec::DnsRecord(rec) => b
                .add_block(
                    Block::builder("alias")
                        .add_attribute(("evaluate_target_health", false))
                        .add_attribute(("name", self.attr(&rec.alias_to, "dns_name")?))
                        .add_attribute(("zone_id", self.attr(&rec.alias_to, "zone_id")?))
                        .build(),
                )
                .add_attribute(("name", rec.name.as_str()))
                .add_attribute(("type", rec.record_type.as_str()))
                .add_attribute(("zone_id", self.value(&rec.zone)?)),
            other => {
                return Err(TerraformError::Render {
                    what: r.key.to_string(),
                    message: format!("no Terraform rendering for {other:?}"),
                })
            }
        })
    }

    fn security_group_rule(
        &self,
        b: BlockBuilder,
        rule: &SecurityGroupRuleSpec,
    ) -> Result<BlockBuilder, TerraformError> {
        let mut b = b;
        if let RuleSource::Ipv4(n) = &rule.source {
            b = b.add_attribute(("cidr_blocks", list(vec![Expression::from(n.to_string())])));
        }
        b = b.add_attribute(("from_port", rule.from_port));
        if let RuleSource::Ipv6(n) = &rule.source {
            b = b.add_attribute((
                "ipv6_cidr_blocks",
                list(vec![Expression::from(n.to_string())]),
            ));
        }
        if let RuleSource::PrefixList(id) = &rule.source {
            b = b.add_attribute(("prefix_list_ids", list(vec![Expression::from(id.as_str())])));
        }
        b = b
            .add_attribute(("protocol", rule.protocol.as_aws()))
            .add_attribute(("security_group_id", self.value(&rule.group)?));
        if let RuleSource::Group(g) = &rule.source {
            b = b.add_attribute(("source_security_group_id", self.value(g)?));
        }
        Ok(b.add_attribute(("to_port", rule.to_port))
            .add_attribute(("type", rule.direction.as_str())))
    }

    /// The image's data source, for its id and root device name: the newest match of
    /// `OWNER/NAME`, or the given `ami-` id; with the SPEC 4.4/4.6 rules as postconditions on
    /// the AMI's real name.
    fn image_source(&self, image: &Value) -> Option<(String, String)> {
        match image {
            Value::Lookup(kops6_model::Lookup::Image { owner, name }) => {
                Some((image_data_name(owner, name), format!("{owner}/{name}")))
            }
            Value::Shared(id) => Some((sanitize(&format!("image-{id}")), id.clone())),
            _ => None,
        }
    }

    pub(super) fn image_data(&self, owner: &str, name: &str) -> Result<Block, TerraformError> {
        let rules = self.image_rules(&Value::Lookup(kops6_model::Lookup::Image {
            owner: owner.into(),
            name: name.into(),
        }));
        let b = Block::builder("data")
            .add_label("aws_ami")
            .add_label(image_data_name(owner, name))
            .add_block(
                Block::builder("filter")
                    .add_attribute(("name", "name"))
                    .add_attribute(("values", list(vec![Expression::from(name)])))
                    .build(),
            )
            .add_attribute(("most_recent", true))
            .add_attribute(("owners", list(vec![Expression::from(owner)])));
        Ok(with_image_rules(b, &rules, &format!("{owner}/{name}"))?.build())
    }

    /// The data sources of `ami-` ids named literally (for their root device name and rules).
    pub(super) fn literal_image_blocks(&self) -> Result<Vec<Block>, TerraformError> {
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for r in &self.graph.resources {
            let Spec::LaunchTemplate(lt) = &r.spec else {
                continue;
            };
            let Value::Shared(id) = &lt.image else {
                continue;
            };
            if seen.contains(&id.as_str()) {
                continue;
            }
            seen.push(id);
            let b = Block::builder("data")
                .add_label("aws_ami")
                .add_label(sanitize(&format!("image-{id}")))
                .add_block(
                    Block::builder("filter")
                        .add_attribute(("name", "image-id"))
                        .add_attribute(("values", list(vec![Expression::from(id.as_str())])))
                        .build(),
                );
            out.push(with_image_rules(b, &lt.image_rules, id)?.build());
        }
        Ok(out)
    }

    /// The rules the launch templates using this image ask of it.
    fn image_rules(&self, image: &Value) -> Vec<ImageRule> {
        let mut rules = Vec::new();
        for r in &self.graph.resources {
            if let Spec::LaunchTemplate(lt) = &r.spec {
                if &lt.image == image {
                    for rule in &lt.image_rules {
                        if !rules.contains(rule) {
                            rules.push(*rule);
                        }
                    }
                }
            }
        }
        rules
    }

    fn launch_template(
        &self,
        b: BlockBuilder,
        r: &Resource,
        lt: &LaunchTemplateSpec,
    ) -> Result<BlockBuilder, TerraformError> {
        let name = r.key.name.as_str();
        let (data, _) = self
            .image_source(&lt.image)
            .ok_or_else(|| TerraformError::Render {
                what: r.key.to_string(),
                message: "the image is neither an ami- id nor OWNER/NAME".into(),
            })?;
        let rv = &lt.root_volume;
        let mut ebs = Block::builder("ebs")
            .add_attribute(("delete_on_termination", true))
            .add_attribute(("encrypted", rv.encrypted));
        if let Some(iops) = rv.iops {
            ebs = ebs.add_attribute(("iops", iops));
        }
        if let Some(t) = rv.throughput {
            ebs = ebs.add_attribute(("throughput", t));
        }
        ebs = ebs
            .add_attribute(("volume_size", rv.size_gib))
            .add_attribute(("volume_type", rv.volume_type.as_str()));
        let image_id = match &lt.image {
            Value::Shared(id) => Expression::from(id.as_str()),
            _ => expr(&format!("data.aws_ami.{data}.id"))?,
        };
        let mut b = b
            .add_block(
                Block::builder("block_device_mappings")
                    .add_attribute((
                        "device_name",
                        expr(&format!("data.aws_ami.{data}.root_device_name"))?,
                    ))
                    .add_block(ebs.build())
                    .build(),
            )
            .add_block(
                Block::builder("iam_instance_profile")
                    .add_attribute(("name", self.attr(&lt.instance_profile, "id")?))
                    .build(),
            )
            .add_attribute(("image_id", image_id))
            .add_attribute(("instance_type", lt.instance_type.as_str()));
        if let Some(k) = &lt.key_pair {
            b = b.add_attribute(("key_name", self.attr(k, "id")?));
        }
        let enabled = |on: bool| if on { "enabled" } else { "disabled" };
        b = b
            .add_block(
                Block::builder("lifecycle")
                    .add_attribute(("create_before_destroy", true))
                    .build(),
            )
            .add_block(
                Block::builder("metadata_options")
                    .add_attribute(("http_endpoint", "enabled"))
                    .add_attribute(("http_protocol_ipv6", enabled(lt.metadata.ipv6_endpoint)))
                    .add_attribute(("http_put_response_hop_limit", lt.metadata.hop_limit))
                    .add_attribute(("http_tokens", lt.metadata.http_tokens.as_str()))
                    .build(),
            )
            .add_block(
                Block::builder("monitoring")
                    .add_attribute(("enabled", false))
                    .build(),
            )
            .add_attribute(("name", name))
            .add_block(
                Block::builder("network_interfaces")
                    .add_attribute(("associate_public_ip_address", lt.associate_public_ip))
                    .add_attribute(("delete_on_termination", true))
                    .add_attribute(("ipv6_address_count", lt.ipv6_address_count))
                    .add_attribute(("security_groups", self.values(&lt.security_groups)?))
                    .build(),
            );
        let instance_tags = Resource {
            tags: lt.instance_tags.clone(),
            ..r.clone()
        };
        for kind in ["instance", "volume", "network-interface"] {
            b = b.add_block(
                Block::builder("tag_specifications")
                    .add_attribute(("resource_type", kind))
                    .add_attribute(("tags", tags(&instance_tags)))
                    .build(),
            );
        }
        b = b.add_attribute(("tags", tags(r)));
        if let Some(user_data) = &lt.user_data {
            let path = format!("data/aws_launch_template_{name}_user_data");
            let value = match &lt.user_data_api_load_balancer {
                None => self.data_file("filebase64", path, user_data)?,
                Some(lb) => self.user_data_template(path, user_data, lb)?,
            };
            b = b.add_attribute(("user_data", value));
        }
        Ok(b)
    }
}

/// Postconditions judging the resolved AMI's name (SPEC 4.4, 4.6).
fn with_image_rules(
    mut b: BlockBuilder,
    rules: &[ImageRule],
    searched: &str,
) -> Result<BlockBuilder, TerraformError> {
    if rules.is_empty() {
        return Ok(b);
    }
    let mut lifecycle = Block::builder("lifecycle");
    for rule in rules {
        let condition = match rule {
            ImageRule::NotDebian => "!can(regex(\"(?i)debian\", self.name))",
            ImageRule::CalicoIpv6Os => "can(regex(\"(?i)flatcar\", self.name)) || try(tonumber(regex(\"(?i)ubuntu\\\\D*(\\\\d\\\\d)\\\\.\\\\d\\\\d\", self.name)[0]) >= 22, false)",
        };
        lifecycle = lifecycle.add_block(
            Block::builder("postcondition")
                .add_attribute(("condition", expr(condition)?))
                .add_attribute((
                    "error_message",
                    format!(
                        "spec.image {searched:?} resolved to an AMI whose name {}.",
                        rule.message()
                    ),
                ))
                .build(),
        );
    }
    b = b.add_block(lifecycle.build());
    Ok(b)
}
