//! What a real cluster needs in the state store before its instances boot (SPEC 8): the PKI and
//! the join token, made once and never remade; the workers' discovery kubeconfig; the API's
//! name; the addon manifests. `update cluster --yes` calls [`publish`] (the lead wires it in
//! after the AWS apply has the load balancer's DNS name) and hands each group's user data to
//! the launch templates.
#![allow(dead_code)] // The seam is wired into `update cluster --yes` at merge.

use anyhow::{bail, Context, Result};
use kops6_api::complete::Completed;
use kops6_bootstrap::{ApiEndpoint, Bootstrap, Inputs, StateStoreLocation};
use kops6_pki::{paths, BootstrapToken, ClusterPki, PkiKeys};
use kops6_state::StateStore;

/// Reads the cluster's PKI, or makes it when the cluster has none at all. A PKI with some files
/// missing is an error naming them: a running cluster's CA is never silently regenerated.
pub fn load_or_create_pki(store: &dyn StateStore, cluster: &str) -> Result<ClusterPki> {
    let key = |p: &str| format!("{cluster}/{p}");
    let expected = [
        paths::ca_certificate(kops6_pki::CaKind::Cluster),
        paths::ca_key(kops6_pki::CaKind::Cluster),
        paths::ca_certificate(kops6_pki::CaKind::FrontProxy),
        paths::ca_key(kops6_pki::CaKind::FrontProxy),
        paths::ca_certificate(kops6_pki::CaKind::Etcd),
        paths::ca_key(kops6_pki::CaKind::Etcd),
        paths::SERVICE_ACCOUNT_PUBLIC.to_string(),
        paths::SERVICE_ACCOUNT_KEY.to_string(),
    ];
    let mut present = Vec::new();
    let mut missing = Vec::new();
    for p in &expected {
        match store.read(&key(p))? {
            Some(data) => present.push((p.clone(), data)),
            None => missing.push(p.clone()),
        }
    }
    if present.is_empty() {
        let pki = ClusterPki::create(&PkiKeys::generate()?, time::OffsetDateTime::now_utc())?;
        for (p, data) in pki.files()? {
            store.write(&key(&p), &data)?;
        }
        return Ok(pki);
    }
    if !missing.is_empty() {
        bail!(
            "the PKI of cluster {cluster:?} in the state store is incomplete (missing {}); \
             restore it from a backup: kops6 never makes a new CA for a cluster that has one",
            missing.join(", ")
        );
    }
    let read = |p: &str| present.iter().find(|(k, _)| k == p).map(|(_, d)| d.clone());
    ClusterPki::from_files(read)
        .with_context(|| format!("the PKI of cluster {cluster:?} in the state store is unusable"))
}

/// The join token, made once and kept; a stored one that kubeadm would refuse is an error.
pub fn load_or_create_token(store: &dyn StateStore, cluster: &str) -> Result<BootstrapToken> {
    let key = format!("{cluster}/{}", paths::BOOTSTRAP_TOKEN);
    match store.read(&key)? {
        Some(data) => BootstrapToken::parse(&String::from_utf8_lossy(&data))
            .with_context(|| format!("{key} in the state store")),
        None => {
            let token = BootstrapToken::generate()?;
            store.write(&key, token.secret().as_bytes())?;
            Ok(token)
        }
    }
}

/// Makes (once) and writes everything the instances read at boot, and renders their user data.
pub fn publish(
    store: &dyn StateStore,
    completed: &Completed,
    api: &ApiEndpoint,
    region: &str,
) -> Result<Bootstrap> {
    let name = completed.cluster.metadata.name.as_str();
    let inputs = Inputs {
        api: api.clone(),
        state_store: StateStoreLocation::from_url(&store.url(), name, region),
    };
    // Render first: a spec kops6 cannot bootstrap writes nothing.
    let bootstrap = kops6_bootstrap::render(completed, &inputs)?;
    let pki = load_or_create_pki(store, name)?;
    let token = load_or_create_token(store, name)?;
    let kubeconfig = kops6_bootstrap::store::node_bootstrap_kubeconfig(
        name,
        api,
        pki.cluster_ca.cert_pem(),
        token.secret(),
    )?;
    store.write(
        &format!("{name}/{}", paths::BOOTSTRAP_KUBECONFIG),
        kubeconfig.as_bytes(),
    )?;
    if let Some(lb) = &api.load_balancer {
        store.write(
            &format!("{name}/{}", kops6_bootstrap::store::API_ENDPOINT),
            lb.as_bytes(),
        )?;
    }
    for a in &bootstrap.addons {
        store.write(&format!("{name}/{}", a.path), a.yaml.as_bytes())?;
    }
    Ok(bootstrap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &std::path::Path) -> Box<dyn StateStore> {
        kops6_state::open(&format!("file://{}", dir.display())).unwrap()
    }

    fn completed() -> Completed {
        let new = kops6_api::new_cluster::new_cluster(&kops6_api::new_cluster::NewClusterOptions {
            name: "v6.example.org".into(),
            zones: vec!["us-east-1a".into()],
            ipv6: true,
            networking: Some("cilium".into()),
            kubernetes_version: Some("v1.35.0".into()),
            ..Default::default()
        })
        .unwrap();
        kops6_api::ClusterSpecSet::new(new.cluster, new.instance_groups)
            .unwrap()
            .check(&Default::default())
            .unwrap()
    }

    fn api() -> ApiEndpoint {
        ApiEndpoint {
            name: "lb.example".into(),
            load_balancer: Some("lb.example".into()),
        }
    }

    #[test]
    fn publish_makes_the_pki_once_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        publish(s.as_ref(), &completed(), &api(), "us-east-1").unwrap();
        let ca = s
            .read("v6.example.org/pki/issued/kubernetes-ca/ca.crt")
            .unwrap()
            .unwrap();
        let token = s
            .read("v6.example.org/pki/private/node-bootstrap/token")
            .unwrap()
            .unwrap();
        let b = publish(s.as_ref(), &completed(), &api(), "us-east-1").unwrap();
        assert_eq!(
            s.read("v6.example.org/pki/issued/kubernetes-ca/ca.crt")
                .unwrap()
                .unwrap(),
            ca
        );
        assert_eq!(
            s.read("v6.example.org/pki/private/node-bootstrap/token")
                .unwrap()
                .unwrap(),
            token
        );
        for a in &b.addons {
            assert!(
                s.read(&format!("v6.example.org/{}", a.path))
                    .unwrap()
                    .is_some(),
                "{}",
                a.path
            );
        }
        let kc = String::from_utf8(
            s.read("v6.example.org/pki/private/node-bootstrap/kubeconfig")
                .unwrap()
                .unwrap(),
        )
        .unwrap();
        assert!(kc.contains(&String::from_utf8(token).unwrap()));
        assert_eq!(
            s.read("v6.example.org/bootstrap/api-endpoint")
                .unwrap()
                .unwrap(),
            b"lb.example"
        );
    }

    #[test]
    fn a_partly_missing_pki_is_an_error_and_nothing_is_regenerated() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        load_or_create_pki(s.as_ref(), "c").unwrap();
        s.delete("c/pki/private/etcd-ca/ca.key").unwrap();
        let err = format!("{:#}", load_or_create_pki(s.as_ref(), "c").unwrap_err());
        assert!(err.contains("missing pki/private/etcd-ca/ca.key"), "{err}");
        assert!(s.read("c/pki/private/etcd-ca/ca.key").unwrap().is_none());
    }

    #[test]
    fn a_corrupt_token_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        s.write("c/pki/private/node-bootstrap/token", b"not-a-token")
            .unwrap();
        assert!(load_or_create_token(s.as_ref(), "c").is_err());
    }
}
