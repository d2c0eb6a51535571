//! User data that Terraform completes at apply time.
//!
//! Without a DNS zone (`topology.dns.type: None`) nodes reach the API by the API load
//! balancer's DNS name, which AWS gives only once the load balancer exists. For
//! `--target terraform` the user data is therefore a Terraform template file: the API name is
//! `${api_lb_dns_name}` wherever it appears (kubeadm's `controlPlaneEndpoint`, the API
//! certificate's SANs, the prelude's `KOPS6_API`), and every other `${` and `%{` is escaped
//! (`$${`, `%%{`) so that `templatefile()` gives back the shell and cloud-init text unchanged.
//! The launch template reads it with `templatefile(..., { api_lb_dns_name = aws_lb.X.dns_name })`.
//!
//! [`fill`] is the same substitution done here (for the size limit and the tests); the tests
//! also check it against Terraform itself.

use crate::facts::ApiEndpoint;
use crate::{Bootstrap, BootstrapError, Inputs, StateStoreLocation, USER_DATA_LIMIT};
use kops6_api::complete::Completed;

/// The template variable that holds the API load balancer's DNS name.
pub const API_LB_VARIABLE: &str = "api_lb_dns_name";

/// What the bootstrap is rendered with before the placeholder goes in: a name no real host
/// has (`.invalid` is reserved, RFC 2606) and with no `$` or `%`, so escaping leaves it alone.
const STAND_IN: &str = "api-load-balancer.kops6.invalid";

/// AWS's longest NLB DNS name in `region`: a 32-character name, `-`, 16 hex digits,
/// `.elb.<region>.amazonaws.com`, with the `internal-` prefix AWS gives internal load
/// balancers of older kinds counted too, to be safe.
pub fn longest_load_balancer_dns_name(region: &str) -> String {
    format!(
        "internal-{}-{}.elb.{region}.amazonaws.com",
        "n".repeat(32),
        "0".repeat(16)
    )
}

/// The endpoint the state store's copies are written with while the load balancer's name is
/// unknown. Nodes never use it: the prelude points the discovery kubeconfig at the API name of
/// its user data.
pub fn stand_in_endpoint() -> ApiEndpoint {
    ApiEndpoint {
        name: STAND_IN.into(),
        load_balancer: Some(STAND_IN.into()),
    }
}

/// `text` with every `${` and `%{` escaped, so a Terraform template gives it back unchanged.
pub fn escape(text: &str) -> String {
    text.replace("${", "$${").replace("%{", "%%{")
}

/// What Terraform's `templatefile()` makes of `template` with `api_lb_dns_name = value`, for
/// the subset [`render`] writes: escapes and that one variable. Anything else (another
/// variable, a directive) is an error, as it would be a template kops6 did not mean to write.
pub fn fill(template: &str, value: &str) -> Result<String, BootstrapError> {
    let placeholder = format!("${{{API_LB_VARIABLE}}}");
    let mut out = String::with_capacity(template.len() + value.len());
    let mut rest = template;
    while let Some(i) = rest.find(['$', '%']) {
        out.push_str(&rest[..i]);
        let here = &rest[i..];
        let (text, used) = if here.starts_with("$${") {
            ("${", 3)
        } else if here.starts_with("%%{") {
            ("%{", 3)
        } else if here.starts_with(&placeholder) {
            (value, placeholder.len())
        } else if here.starts_with("${") || here.starts_with("%{") {
            return Err(BootstrapError::Render {
                what: "user data template".into(),
                message: format!(
                    "unexpected template sequence at {:?}",
                    here.chars().take(24).collect::<String>()
                ),
            });
        } else {
            (&here[..1], 1)
        };
        out.push_str(text);
        rest = &here[used..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Renders every group's user data as a Terraform template (see the module comment). Each is
/// checked against EC2's limit with the longest DNS name a load balancer in `region` can have.
pub fn render(
    completed: &Completed,
    state_store: StateStoreLocation,
    region: &str,
) -> Result<Bootstrap, BootstrapError> {
    let inputs = Inputs {
        api: stand_in_endpoint(),
        state_store,
    };
    let mut bootstrap = crate::render(completed, &inputs)?;
    let placeholder = format!("${{{API_LB_VARIABLE}}}");
    let longest = longest_load_balancer_dns_name(region);
    for g in &mut bootstrap.groups {
        let template = escape(&g.user_data).replace(STAND_IN, &placeholder);
        let size = fill(&template, &longest)?.len();
        if size > USER_DATA_LIMIT {
            return Err(BootstrapError::TooLarge {
                group: g.instance_group.clone(),
                size,
                limit: USER_DATA_LIMIT,
            });
        }
        g.user_data = template;
    }
    Ok(bootstrap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_fills_back_to_itself() {
        for text in [
            "plain",
            "${X} and %{ if } and $${Y} and %%{z}",
            "$$${a} $ % {b} $",
            "echo \"${KOPS6_ENV:-/etc}\" %{",
            "",
        ] {
            assert_eq!(fill(&escape(text), "lb").unwrap(), text, "{text:?}");
        }
    }

    #[test]
    fn the_placeholder_is_filled_wherever_it_is() {
        let t = format!("a ${{{API_LB_VARIABLE}}}:443 b $${{c}} ${{{API_LB_VARIABLE}}}");
        assert_eq!(fill(&t, "x.elb").unwrap(), "a x.elb:443 b ${c} x.elb");
    }

    #[test]
    fn an_unescaped_sequence_is_an_error() {
        assert!(fill("${other}", "x").is_err());
        assert!(fill("%{ if true }", "x").is_err());
    }

    #[test]
    fn the_longest_name_is_as_long_as_aws_allows() {
        let n = longest_load_balancer_dns_name("ap-southeast-2");
        assert_eq!(
            n.len(),
            "internal-".len() + 32 + 1 + 16 + ".elb.ap-southeast-2.amazonaws.com".len()
        );
    }
}
