//! What the bootstrap keeps in the state store besides the PKI (kops6-pki's `paths`), and the
//! API name derived from the spec.

use kops6_api::types::{Cluster, DnsType};

use crate::facts::ApiEndpoint;
use crate::kubeconfig::{server_url, Credentials, Kubeconfig};
use crate::BootstrapError;

/// The API load balancer's DNS name, written when the cluster is applied (it is only known from
/// AWS). Without a DNS zone it is the name clients use.
pub const API_ENDPOINT: &str = "bootstrap/api-endpoint";

/// The name clients and nodes use for the API: `api.<C>` with a DNS zone, else the load
/// balancer's DNS name, which must be known (`load_balancer`, from [`API_ENDPOINT`] or AWS).
pub fn api_endpoint(
    cluster: &Cluster,
    load_balancer: Option<&str>,
) -> Result<ApiEndpoint, BootstrapError> {
    let name = &cluster.metadata.name;
    let dns_none = cluster
        .spec
        .topology
        .as_ref()
        .and_then(|t| t.dns.as_ref())
        .is_some_and(|d| d.dns_type == DnsType::None);
    let load_balancer = load_balancer.map(str::trim).filter(|s| !s.is_empty());
    match (dns_none, load_balancer) {
        (false, lb) => Ok(ApiEndpoint {
            name: format!("api.{name}"),
            load_balancer: lb.map(Into::into),
        }),
        (true, Some(lb)) => Ok(ApiEndpoint {
            name: lb.into(),
            load_balancer: Some(lb.into()),
        }),
        (true, None) => Err(BootstrapError::Input {
            what: format!("cluster {name:?}"),
            message: "has no DNS zone (topology.dns.type: None), so clients use the API load \
                      balancer's DNS name, and none is recorded: the cluster has not been \
                      applied (kops6 update cluster NAME --yes)"
                .into(),
        }),
    }
}

/// The kubeconfig workers pass to `kubeadm join` as file discovery: the cluster CA, the API's
/// URL and the bootstrap token. It is a secret: kept under `pki/private/`, never in user data.
pub fn node_bootstrap_kubeconfig(
    cluster: &str,
    api: &ApiEndpoint,
    cluster_ca_pem: &str,
    token: &str,
) -> Result<String, BootstrapError> {
    Kubeconfig {
        name: cluster.into(),
        server: server_url(api),
        ca_pem: cluster_ca_pem.into(),
        user: Credentials::Token(token.into()),
    }
    .to_yaml()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kops6_api::types::{DnsSpec, TopologySpec};

    fn cluster(dns: DnsType) -> Cluster {
        let mut c: Cluster = serde_json::from_value(serde_json::json!({
            "apiVersion": "kops.k8s.io/v1alpha2", "kind": "Cluster",
            "metadata": {"name": "v6.example.org"}, "spec": {}
        }))
        .unwrap();
        c.spec.topology = Some(TopologySpec {
            dns: Some(DnsSpec { dns_type: dns }),
            ..Default::default()
        });
        c
    }

    #[test]
    fn with_a_dns_zone_clients_use_api_dot_cluster() {
        let e = api_endpoint(&cluster(DnsType::Public), Some("lb.example")).unwrap();
        assert_eq!(e.name, "api.v6.example.org");
        assert_eq!(e.load_balancer.as_deref(), Some("lb.example"));
    }

    #[test]
    fn without_dns_clients_use_the_load_balancer_name() {
        let e = api_endpoint(&cluster(DnsType::None), Some("lb.example\n")).unwrap();
        assert_eq!(e.name, "lb.example");
    }

    #[test]
    fn without_dns_and_never_applied_is_an_error_that_says_so() {
        let err = api_endpoint(&cluster(DnsType::None), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("has not been applied"), "{err}");
    }

    #[test]
    fn the_node_bootstrap_kubeconfig_carries_ca_server_and_token() {
        let api = ApiEndpoint {
            name: "api.c".into(),
            load_balancer: None,
        };
        let k = node_bootstrap_kubeconfig("c", &api, "CA", "abcdef.0123456789abcdef").unwrap();
        let v: serde_json::Value = serde_saphyr::from_str(&k).unwrap();
        assert_eq!(v["clusters"][0]["cluster"]["server"], "https://api.c:443");
        assert_eq!(
            v["clusters"][0]["cluster"]["certificate-authority-data"],
            "Q0E="
        );
        assert_eq!(v["users"][0]["user"]["token"], "abcdef.0123456789abcdef");
    }
}
