//! Addon manifests kops6 builds (SPEC 8), as typed Kubernetes objects (k8s-openapi): the AWS
//! cloud controller manager, CoreDNS with `dns64`, the CNI (Calico or Cilium without IPv6
//! masquerade, or none), and the EBS CSI driver with the IPv6 metadata endpoint. The first
//! control plane applies them after `kubeadm init`, from the state store.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::Resource;
use serde::Serialize;
use serde_json::Value;

use crate::facts::{ClusterFacts, CniChoice};
use crate::BootstrapError;

mod ccm;
mod cni;
mod coredns;
mod ebs_csi;
mod util;

/// One addon: a multi-document YAML file of Kubernetes objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// e.g. `coredns`.
    pub name: String,
    /// Its key in the cluster's state-store directory: `addons/<name>.yaml`.
    pub path: String,
    pub yaml: String,
}

/// A typed object, serialised with its `apiVersion` and `kind`.
pub(crate) fn object<T: Resource + Serialize>(value: &T) -> Result<Value, BootstrapError> {
    let mut v = serde_json::to_value(value).map_err(|e| BootstrapError::Render {
        what: T::KIND.into(),
        message: e.to_string(),
    })?;
    if let Value::Object(m) = &mut v {
        m.insert("apiVersion".into(), Value::String(T::API_VERSION.into()));
        m.insert("kind".into(), Value::String(T::KIND.into()));
    }
    Ok(v)
}

fn manifest(name: &str, objects: Vec<Value>) -> Result<Manifest, BootstrapError> {
    let docs = objects
        .iter()
        .map(|o| crate::to_yaml(name, o))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Manifest {
        name: name.into(),
        path: format!("addons/{name}.yaml"),
        yaml: docs.join("---\n"),
    })
}

/// Every addon for the cluster, in the order they are applied.
pub fn manifests(f: &ClusterFacts) -> Result<Vec<Manifest>, BootstrapError> {
    let mut out = vec![
        manifest("aws-cloud-controller-manager", ccm::objects(f)?)?,
        manifest("coredns", coredns::objects(f)?)?,
    ];
    match f.cni {
        CniChoice::Calico => out.push(manifest("calico", cni::calico(f)?)?),
        CniChoice::Cilium => out.push(manifest("cilium", cni::cilium(f)?)?),
        CniChoice::BringYourOwn => {}
    }
    out.push(manifest("aws-ebs-csi-driver", ebs_csi::objects(f)?)?);
    Ok(out)
}

pub(crate) fn meta(name: &str, namespace: Option<&str>, app: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        namespace: namespace.map(Into::into),
        labels: Some(BTreeMap::from([
            ("app.kubernetes.io/name".to_string(), app.to_string()),
            (
                "app.kubernetes.io/managed-by".to_string(),
                "kops6".to_string(),
            ),
        ])),
        ..Default::default()
    }
}
