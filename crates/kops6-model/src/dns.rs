//! Route53 alias records for the API (SPEC 7), after kOps' `pkg/model/awsmodel/dns.go`:
//! `api.<C>` A and AAAA to the API load balancer, and the bastion's public name to its own.

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
    /// The hosted zone records go to: None without `dnsZone` or with DNS type None.
    fn record_zone(&self) -> Option<Value> {
        let zone = self.spec.dns_zone.as_deref()?;
        let dns_type = self
            .spec
            .topology
            .as_ref()
            .and_then(|t| t.dns)
            .map(|d| d.dns_type)
            .unwrap_or(DnsType::Public);
        if dns_type == DnsType::None {
            return None;
        }
        Some(if is_zone_id(zone) {
            Value::Shared(zone.trim_start_matches("/hostedzone/").to_string())
        } else {
            Value::Lookup(Lookup::HostedZone {
                name: zone.trim_end_matches('.').to_string(),
                private: dns_type == DnsType::Private,
            })
        })
    }

    pub(crate) fn dns(&mut self, load_balancer: Option<&Key>) {
        let (Some(zone), Some(lb)) = (self.record_zone(), load_balancer) else {
            return;
        };
        let name = self
            .spec
            .api
            .as_ref()
            .and_then(|a| a.public_name.clone())
            .unwrap_or_else(|| self.named("api"));
        self.alias_records(zone, &name, lb, "spec.dnsZone", "the API load balancer");
    }

    /// `spec.topology.bastion.bastionPublicName` A and AAAA to the bastion's load balancer
    /// (kOps' `bastion.go`); none without the name or a DNS zone.
    pub(crate) fn bastion_dns(&mut self, load_balancer: Option<&Key>) {
        let name = self
            .spec
            .topology
            .as_ref()
            .and_then(|t| t.bastion.as_ref())
            .and_then(|b| b.bastion_public_name.clone());
        let (Some(zone), Some(lb), Some(name)) = (self.record_zone(), load_balancer, name) else {
            return;
        };
        self.alias_records(
            zone,
            &name,
            lb,
            "spec.topology.bastion.bastionPublicName",
            "the bastion's load balancer",
        );
    }

    /// `<name>` (A) and `<name>-AAAA` (AAAA), as kOps keys its DNS name tasks.
    fn alias_records(&mut self, zone: Value, name: &str, lb: &Key, field: &str, target: &str) {
        for (record_type, key_name) in [
            (RecordType::A, name.to_string()),
            (RecordType::Aaaa, format!("{name}-AAAA")),
        ] {
            self.push(
                Key::new(Kind::DnsRecord, key_name),
                Spec::DnsRecord(DnsRecordSpec {
                    zone: zone.clone(),
                    name: name.to_string(),
                    record_type,
                    alias_to: Value::Ref(lb.clone()),
                }),
                Default::default(),
                Why::new(
                    field,
                    format!("SPEC 7: {name} {} alias to {target}", record_type.as_str()),
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
