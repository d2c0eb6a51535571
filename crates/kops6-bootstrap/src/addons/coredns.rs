//! CoreDNS: cluster DNS at the service range's base + 10, forwarding to the VPC resolver, with
//! `dns64` so IPv6-only pods reach IPv4-only names through the NAT gateways' NAT64.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::{
    ConfigMap, ConfigMapVolumeSource, ContainerPort, HTTPGetAction, KeyToPath, PodSpec,
    PodTemplateSpec, Probe, ResourceRequirements, Service, ServiceAccount, ServicePort,
    ServiceSpec, Volume,
};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;

use super::util::*;
use super::{meta, object};
use crate::facts::ClusterFacts;
use crate::versions::images;
use crate::BootstrapError;

const APP: &str = "coredns";

/// The Corefile (kOps' `coredns.addons.k8s.io/k8s-1.12`, IPv6 branch).
pub fn corefile(f: &ClusterFacts) -> String {
    let upstream = if f.upstream_nameservers.is_empty() {
        "/etc/resolv.conf".to_string()
    } else {
        f.upstream_nameservers
            .iter()
            .map(|ip| ip.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let dns64 = if f.dns64 { "    dns64\n" } else { "" };
    format!(
        ".:53 {{\n    errors\n    health {{\n        lameduck 5s\n    }}\n    ready\n    \
         kubernetes {domain} in-addr.arpa ip6.arpa {{\n        pods insecure\n        \
         fallthrough in-addr.arpa ip6.arpa\n        ttl 30\n    }}\n    prometheus :9153\n    \
         forward . {upstream} {{\n        max_concurrent 1000\n    }}\n    cache 30\n    loop\n    \
         reload\n    loadbalance\n{dns64}}}\n",
        domain = f.dns_domain,
    )
}

fn port(name: &str, number: i32, protocol: &str) -> ContainerPort {
    ContainerPort {
        name: Some(name.into()),
        container_port: number,
        protocol: Some(protocol.into()),
        ..Default::default()
    }
}

fn http_probe(path: &str, port: i32, initial: i32) -> Probe {
    Probe {
        http_get: Some(HTTPGetAction {
            path: Some(path.into()),
            port: IntOrString::Int(port),
            scheme: Some("HTTP".into()),
            ..Default::default()
        }),
        initial_delay_seconds: Some(initial),
        period_seconds: Some(10),
        timeout_seconds: Some(5),
        ..Default::default()
    }
}

pub fn objects(f: &ClusterFacts) -> Result<Vec<Value>, BootstrapError> {
    let ns = Some(KUBE_SYSTEM);
    let selector = labels(&[("k8s-app", "kube-dns")]);
    let mut c = container(
        APP,
        images::COREDNS,
        &strings(&["-conf", "/etc/coredns/Corefile"]),
    );
    c.ports = Some(vec![
        port("dns", 53, "UDP"),
        port("dns-tcp", 53, "TCP"),
        port("metrics", 9153, "TCP"),
    ]);
    c.liveness_probe = Some(http_probe("/health", 8080, 60));
    c.readiness_probe = Some(http_probe("/ready", 8181, 0));
    c.resources = Some(ResourceRequirements {
        limits: Some(BTreeMap::from([(
            "memory".into(),
            Quantity("170Mi".into()),
        )])),
        requests: Some(BTreeMap::from([
            ("cpu".into(), Quantity("100m".into())),
            ("memory".into(), Quantity("70Mi".into())),
        ])),
        ..Default::default()
    });
    let mut sc = no_privileges();
    if let Some(caps) = sc.capabilities.as_mut() {
        caps.add = Some(strings(&["NET_BIND_SERVICE"]));
    }
    c.security_context = Some(sc);
    c.volume_mounts = Some(vec![{
        let mut m = mount("config-volume", "/etc/coredns");
        m.read_only = Some(true);
        m
    }]);
    let deployment = Deployment {
        metadata: meta(APP, ns, APP),
        spec: Some(DeploymentSpec {
            replicas: Some(2),
            selector: LabelSelector {
                match_labels: Some(selector.clone()),
                ..Default::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(selector.clone()),
                    ..Default::default()
                }),
                spec: Some(PodSpec {
                    containers: vec![c],
                    dns_policy: Some("Default".into()),
                    priority_class_name: Some("system-cluster-critical".into()),
                    service_account_name: Some(APP.into()),
                    tolerations: Some(vec![
                        toleration("CriticalAddonsOnly", None),
                        toleration("node-role.kubernetes.io/control-plane", Some("NoSchedule")),
                    ]),
                    volumes: Some(vec![Volume {
                        name: "config-volume".into(),
                        config_map: Some(ConfigMapVolumeSource {
                            name: APP.into(),
                            items: Some(vec![KeyToPath {
                                key: "Corefile".into(),
                                path: "Corefile".into(),
                                ..Default::default()
                            }]),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }]),
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        ..Default::default()
    };
    let family = if f.ipv6 { "IPv6" } else { "IPv4" };
    let service_port = |name: &str, protocol: &str, number: i32| ServicePort {
        name: Some(name.into()),
        port: number,
        protocol: Some(protocol.into()),
        target_port: Some(IntOrString::Int(number)),
        ..Default::default()
    };
    let service = Service {
        metadata: {
            let mut m = meta("kube-dns", ns, APP);
            if let Some(l) = m.labels.as_mut() {
                l.insert("k8s-app".into(), "kube-dns".into());
            }
            m
        },
        spec: Some(ServiceSpec {
            cluster_ip: Some(f.dns_service_ip.to_string()),
            ip_families: Some(vec![family.into()]),
            ip_family_policy: Some("SingleStack".into()),
            ports: Some(vec![
                service_port("dns", "UDP", 53),
                service_port("dns-tcp", "TCP", 53),
                service_port("metrics", "TCP", 9153),
            ]),
            selector: Some(selector),
            ..Default::default()
        }),
        ..Default::default()
    };
    let config = ConfigMap {
        metadata: meta(APP, ns, APP),
        data: Some(BTreeMap::from([("Corefile".into(), corefile(f))])),
        ..Default::default()
    };
    let sa = ServiceAccount {
        metadata: meta(APP, ns, APP),
        ..Default::default()
    };
    let role = ClusterRole {
        metadata: meta("system:coredns", None, APP),
        rules: Some(vec![
            rule(
                &[""],
                &["endpoints", "services", "pods", "namespaces"],
                &["list", "watch"],
            ),
            rule(
                &["discovery.k8s.io"],
                &["endpointslices"],
                &["list", "watch"],
            ),
        ]),
        ..Default::default()
    };
    let binding = ClusterRoleBinding {
        metadata: meta("system:coredns", None, APP),
        role_ref: cluster_role_ref("system:coredns"),
        subjects: Some(vec![service_account_subject(APP)]),
    };
    Ok(vec![
        object(&sa)?,
        object(&role)?,
        object(&binding)?,
        object(&config)?,
        object(&deployment)?,
        object(&service)?,
    ])
}
