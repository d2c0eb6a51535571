//! Preflight for launch template images (SPEC 7): `spec.image` as `OWNER/NAME` resolves to
//! the newest AMI of that owner whose name matches (DescribeImages, newest CreationDate, as
//! Terraform's `aws_ami` with `most_recent`), and an `ami-` id must exist. Then the image
//! rules (SPEC 4.4, 4.6) judge the AMI's real name. All before any change is made.

use aws_sdk_ec2::types::Image;
use kops6_model::specs::LaunchTemplateSpec;
use kops6_model::{Lookup, ResourceGraph, Spec, Value};

use super::filter;
use crate::connect::Aws;
use crate::context::{Facts, ImageFacts};
use crate::error::{api_error, AwsError};

/// `spec.image` as the user wrote it.
pub fn image_text(v: &Value) -> String {
    match v {
        Value::Shared(id) => id.clone(),
        Value::Lookup(Lookup::Image { owner, name }) => format!("{owner}/{name}"),
        other => kops6_model::plan::describe_value(other),
    }
}

/// What was searched for `v`, for the error when nothing matches.
fn searched(v: &Value) -> String {
    match v {
        Value::Lookup(Lookup::Image { owner, name }) => {
            format!("images owned by {owner} named {name}")
        }
        Value::Shared(id) => format!("the image {id}"),
        other => kops6_model::plan::describe_value(other),
    }
}

fn facts_of(img: &Image) -> Option<(String, ImageFacts)> {
    Some((
        img.image_id()?.to_string(),
        ImageFacts {
            name: img.name().unwrap_or_default().to_string(),
            // AWS reports a root device for every EBS-backed AMI; /dev/xvda is the HVM default
            // it would have.
            root_device: img.root_device_name().unwrap_or("/dev/xvda").to_string(),
        },
    ))
}

fn launch_templates(graph: &ResourceGraph) -> impl Iterator<Item = &LaunchTemplateSpec> {
    graph.resources.iter().filter_map(|r| match &r.spec {
        Spec::LaunchTemplate(s) => Some(&**s),
        _ => None,
    })
}

/// Resolves every launch template's image into `facts` (`resolved` for `OWNER/NAME`,
/// `images` for every AMI), and checks each against its instance group's image rules. One
/// DescribeImages per distinct `OWNER/NAME` and per distinct `ami-` id. Returns every
/// group's problem (a user with three wrong images sees all three); `Err` only when AWS
/// could not be asked.
pub async fn resolve_images(
    aws: &Aws,
    graph: &ResourceGraph,
    facts: &mut Facts,
) -> Result<Vec<AwsError>, AwsError> {
    let mut images: Vec<&Value> = Vec::new();
    for s in launch_templates(graph) {
        if !images.contains(&&s.image) {
            images.push(&s.image);
        }
    }
    for image in images {
        let what = image_text(image);
        let found = match image {
            Value::Lookup(l @ Lookup::Image { owner, name }) => {
                let all = aws
                    .ec2
                    .describe_images()
                    .owners(owner)
                    .filters(filter("name", name))
                    .send()
                    .await
                    .map_err(|e| api_error(e, "looking up", &what, &aws.endpoint))?;
                // Newest first; CreationDate is ISO 8601, so text order is time order.
                let newest = all
                    .images()
                    .iter()
                    .filter(|i| i.image_id().is_some())
                    .max_by(|a, b| a.creation_date().cmp(&b.creation_date()))
                    .and_then(facts_of);
                if let Some((id, _)) = &newest {
                    facts.resolved.insert(l.clone(), id.clone());
                }
                newest
            }
            Value::Shared(id) => {
                match aws.ec2.describe_images().image_ids(id).send().await {
                    Ok(out) => out.images().first().and_then(facts_of),
                    Err(e) => {
                        let e = api_error(e, "looking up", &what, &aws.endpoint);
                        // An id that does not exist (or is not an id) is the spec's problem.
                        if e.code().is_some_and(|c| c.starts_with("InvalidAMIID")) {
                            None
                        } else {
                            return Err(e);
                        }
                    }
                }
            }
            _ => None,
        };
        if let Some((id, f)) = found {
            facts.images.insert(id, f);
        }
    }
    Ok(launch_templates(graph)
        .filter_map(|s| image_problem(aws, s, facts))
        .collect())
}

/// What is wrong with `s`'s image, as preflight found it.
fn image_problem(aws: &Aws, s: &LaunchTemplateSpec, facts: &Facts) -> Option<AwsError> {
    let id = match &s.image {
        Value::Shared(id) => Some(id.clone()),
        Value::Lookup(l) => facts.resolved.get(l).cloned(),
        Value::Ref(_) => None,
    };
    let Some(found) = id.as_ref().and_then(|id| facts.images.get(id)) else {
        return Some(AwsError::ImageNotFound {
            instance_group: s.instance_group.clone(),
            image: image_text(&s.image),
            searched: searched(&s.image),
            region: aws.region.clone(),
        });
    };
    let rule = s.image_rules.iter().find(|r| !r.allows(&found.name))?;
    Some(AwsError::ImageRuleBroken {
        instance_group: s.instance_group.clone(),
        image: image_text(&s.image),
        ami: id.unwrap_or_default(),
        ami_name: found.name.clone(),
        rule: rule.message().to_string(),
    })
}
