//! Route53 alias records for the API (SPEC 7), after kOps' `pkg/model/awsmodel/dns.go`:
//! `api.<C>` A and AAAA to the API load balancer.

use kops6_api::types::DnsType;

use crate::context::Ctx;
use crate::graph::{Key, Kind, Lookup, Spec, Value, Why};
use crate::specs::{DnsRecordSpec, RecordType};

/// A hosted zone ID (`Z0123...`, optionally `/hostedzone/...`) rather than a zone name.
fn is_zone_id(zone: &str) -> bool {
    let id = zone.strip_prefix("/hostedzone/").unwrap_or(zone);
    id.starts_with('Z')
        && id.len() > 1
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

impl Ctx<'_> {
    pub(crate) fn dns(&mut self, load_balancer: Option<&Key>) {
        let (Some(zone), Some(lb)) = (self.spec.dns_zone.as_deref(), load_balancer) else {
            return;
        };
        let dns_type = self
            .spec
            .topology
            .as_ref()
            .and_then(|t| t.dns)
            .map(|d| d.dns_type)
            .unwrap_or(DnsType::Public);
        if dns_type == DnsType::None {
            return;
        }
        let zone_value = if is_zone_id(zone) {
            Value::Shared(zone.trim_start_matches("/hostedzone/").to_string())
        } else {
            Value::Lookup(Lookup::HostedZone {
                name: zone.trim_end_matches('.').to_string(),
                private: dns_type == DnsType::Private,
            })
        };
        let name = self
            .spec
            .api
            .as_ref()
            .and_then(|a| a.public_name.clone())
            .unwrap_or_else(|| self.named("api"));
        for (record_type, key_name) in [
            (RecordType::A, name.clone()),
            (RecordType::Aaaa, format!("{name}-AAAA")),
        ] {
            self.push(
                Key::new(Kind::DnsRecord, key_name),
                Spec::DnsRecord(DnsRecordSpec {
                    zone: zone_value.clone(),
                    name: name.clone(),
                    record_type,
                    alias_to: Value::Ref(lb.clone()),
                }),
                Default::default(),
                Why::new(
                    "spec.dnsZone",
                    format!(
                        "SPEC 7: {name} {} alias to the API load balancer",
                        record_type.as_str()
                    ),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_zone_id;

    #[test]
    fn zone_ids_and_names_are_told_apart() {
        assert!(is_zone_id("Z1AFAKE1ZON3YO"));
        assert!(is_zone_id("/hostedzone/Z1AFAKE1ZON3YO"));
        assert!(!is_zone_id("example.com"));
        assert!(!is_zone_id("Zexample.com"));
    }
}
