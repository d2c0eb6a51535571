//! The PKI checked by real tools: `openssl verify` for chains and names, and Debian's etcd
//! serving on `[::1]` with kops6's certificates. A missing tool skips a test on a developer
//! machine and fails it in CI (`CI=true`), where `scripts/test` installs it.

use std::net::{IpAddr, Ipv6Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kops6_pki::{paths, Ca, CaKind, ClusterPki, Leaf, Name, PkiError, PkiKeys, Validity};
use time::OffsetDateTime;

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|f| f.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{name} is not installed; scripts/test installs it"
        );
        eprintln!("SKIPPED: {name} is not installed (scripts/test installs it)");
    }
    found
}

fn write(dir: &Path, name: &str, data: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p
}

fn openssl(args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl").args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn pki() -> ClusterPki {
    ClusterPki::create(&PkiKeys::generate().unwrap(), now()).unwrap()
}

fn one_day() -> Validity {
    Validity::starting(now(), time::Duration::days(1))
}

/// The names SPEC 8 requires on the API server's certificate.
fn api_names() -> Vec<Name> {
    vec![
        Name::Dns("api-v6-example-org-0123456789.elb.us-east-1.amazonaws.com".into()),
        Name::Dns("api.v6.example.org".into()),
        Name::Dns("api.internal.v6.example.org".into()),
        Name::Ip("fd00:5e4f:ce::1".parse().unwrap()),
        Name::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)),
    ]
}

#[test]
fn each_ca_is_self_signed_with_kubeadms_common_name() {
    let Some(_) = tool("openssl") else { return };
    let dir = tempfile::tempdir().unwrap();
    let pki = pki();
    for kind in CaKind::ALL {
        let ca = write(dir.path(), "ca.crt", pki.ca(kind).cert_pem());
        let (ok, out) = openssl(&[
            "verify",
            "-CAfile",
            ca.to_str().unwrap(),
            ca.to_str().unwrap(),
        ]);
        assert!(ok, "{kind}: {out}");
        let (_, text) = openssl(&[
            "x509",
            "-in",
            ca.to_str().unwrap(),
            "-noout",
            "-subject",
            "-ext",
            "basicConstraints",
        ]);
        assert!(
            text.contains(&format!("subject=CN = {}", kind.common_name())),
            "{text}"
        );
        assert!(text.contains("CA:TRUE"), "{text}");
    }
}

#[test]
fn admin_client_certificate_chains_to_the_cluster_ca_and_names_system_masters() {
    let Some(_) = tool("openssl") else { return };
    let dir = tempfile::tempdir().unwrap();
    let pki = pki();
    let key = kops6_pki::generate_key().unwrap();
    let cert = pki
        .cluster_ca
        .sign(
            &Leaf::client("kops6-admin", &[kops6_pki::ADMIN_GROUP]),
            &key,
            one_day(),
        )
        .unwrap();
    let ca = write(dir.path(), "ca.crt", pki.cluster_ca.cert_pem());
    let leaf = write(dir.path(), "admin.crt", &cert);
    let (ok, out) = openssl(&[
        "verify",
        "-CAfile",
        ca.to_str().unwrap(),
        "-purpose",
        "sslclient",
        leaf.to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    let (_, subject) = openssl(&["x509", "-in", leaf.to_str().unwrap(), "-noout", "-subject"]);
    assert_eq!(
        subject.trim(),
        "subject=O = system:masters, CN = kops6-admin"
    );
    // Another CA of the same cluster does not vouch for it.
    let other = write(dir.path(), "fp.crt", pki.front_proxy_ca.cert_pem());
    let (ok, _) = openssl(&[
        "verify",
        "-CAfile",
        other.to_str().unwrap(),
        leaf.to_str().unwrap(),
    ]);
    assert!(!ok);
}

#[test]
fn api_server_certificate_carries_lb_name_api_name_service_ip_and_loopback() {
    let Some(_) = tool("openssl") else { return };
    let dir = tempfile::tempdir().unwrap();
    let pki = pki();
    let key = kops6_pki::generate_key().unwrap();
    let cert = pki
        .cluster_ca
        .sign(
            &Leaf::server("kube-apiserver", api_names()),
            &key,
            one_day(),
        )
        .unwrap();
    let ca = write(dir.path(), "ca.crt", pki.cluster_ca.cert_pem());
    let leaf = write(dir.path(), "apiserver.crt", &cert);
    let (_, text) = openssl(&[
        "x509",
        "-in",
        leaf.to_str().unwrap(),
        "-noout",
        "-ext",
        "subjectAltName",
    ]);
    assert_eq!(
        text.lines().nth(1).unwrap().trim(),
        "DNS:api-v6-example-org-0123456789.elb.us-east-1.amazonaws.com, DNS:api.v6.example.org, \
         DNS:api.internal.v6.example.org, IP Address:FD00:5E4F:CE:0:0:0:0:1, IP Address:0:0:0:0:0:0:0:1"
    );
    for check in [
        ["-verify_hostname", "api.v6.example.org"],
        [
            "-verify_hostname",
            "api-v6-example-org-0123456789.elb.us-east-1.amazonaws.com",
        ],
        ["-verify_ip", "fd00:5e4f:ce::1"],
        ["-verify_ip", "::1"],
    ] {
        let (ok, out) = openssl(&[
            "verify",
            "-CAfile",
            ca.to_str().unwrap(),
            "-purpose",
            "sslserver",
            check[0],
            check[1],
            leaf.to_str().unwrap(),
        ]);
        assert!(ok, "{check:?}: {out}");
    }
    let (ok, _) = openssl(&[
        "verify",
        "-CAfile",
        ca.to_str().unwrap(),
        "-verify_hostname",
        "api.other.example.org",
        leaf.to_str().unwrap(),
    ]);
    assert!(!ok, "a name not in the SANs must not verify");
}

#[test]
fn ca_cert_hash_is_sha256_of_the_public_key_info_as_kubeadm_computes_it() {
    let Some(_) = tool("openssl") else { return };
    let dir = tempfile::tempdir().unwrap();
    let pki = pki();
    let ca = write(dir.path(), "ca.crt", pki.cluster_ca.cert_pem());
    let spki = dir.path().join("spki.der");
    let pubkey = Command::new("openssl")
        .args(["x509", "-in", ca.to_str().unwrap(), "-noout", "-pubkey"])
        .output()
        .unwrap()
        .stdout;
    let pubpem = write(dir.path(), "pub.pem", std::str::from_utf8(&pubkey).unwrap());
    let (ok, out) = openssl(&[
        "pkey",
        "-pubin",
        "-in",
        pubpem.to_str().unwrap(),
        "-outform",
        "der",
        "-out",
        spki.to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    let (_, digest) = openssl(&["dgst", "-sha256", "-r", spki.to_str().unwrap()]);
    let hex = digest.split_whitespace().next().unwrap();
    assert_eq!(pki.cluster_ca.public_key_hash(), format!("sha256:{hex}"));
}

#[test]
fn state_store_files_read_back_to_the_same_pki() {
    let pki = pki();
    let files = pki.files().unwrap();
    let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        names,
        [
            "pki/issued/kubernetes-ca/ca.crt",
            "pki/private/kubernetes-ca/ca.key",
            "pki/issued/apiserver-aggregator-ca/ca.crt",
            "pki/private/apiserver-aggregator-ca/ca.key",
            "pki/issued/etcd-ca/ca.crt",
            "pki/private/etcd-ca/ca.key",
            "pki/issued/service-account/sa.pub",
            "pki/private/service-account/sa.key",
        ]
    );
    let read = |p: &str| files.iter().find(|(k, _)| k == p).map(|(_, v)| v.clone());
    let back = ClusterPki::from_files(read).unwrap();
    for kind in CaKind::ALL {
        assert_eq!(back.ca(kind).cert_pem(), pki.ca(kind).cert_pem());
        assert_eq!(back.ca(kind).key_pem(), pki.ca(kind).key_pem());
    }
    assert_eq!(back.service_account_key, pki.service_account_key);
    // Secrets only under pki/private/, and nothing secret under pki/issued/.
    for (path, data) in &files {
        let secret = std::str::from_utf8(data).unwrap().contains("PRIVATE KEY");
        assert_eq!(secret, path.starts_with(paths::PRIVATE_PREFIX), "{path}");
    }
}

#[test]
fn a_missing_ca_is_an_error_naming_the_file_never_a_new_ca() {
    let pki = pki();
    let files = pki.files().unwrap();
    let read = |p: &str| {
        (p != "pki/private/etcd-ca/ca.key")
            .then(|| files.iter().find(|(k, _)| k == p).map(|(_, v)| v.clone()))
            .flatten()
    };
    let err = ClusterPki::from_files(read).unwrap_err();
    assert!(matches!(&err, PkiError::Missing { path } if path == "pki/private/etcd-ca/ca.key"));
    assert!(err.to_string().contains("never makes a new CA"), "{err}");
}

#[test]
fn a_ca_key_that_does_not_match_its_certificate_is_refused() {
    let pki = pki();
    let err = Ca::load(
        CaKind::Cluster,
        pki.cluster_ca.cert_pem(),
        pki.etcd_ca.key_pem(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "kubernetes-ca: certificate and private key do not belong together"
    );
    let err = Ca::load(
        CaKind::Cluster,
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        pki.cluster_ca.key_pem(),
    )
    .unwrap_err();
    assert!(matches!(err, PkiError::CaCertificate { .. }), "{err}");
    let err = Ca::load(CaKind::Cluster, pki.cluster_ca.cert_pem(), "not a key").unwrap_err();
    assert!(matches!(err, PkiError::Key { .. }), "{err}");
}

#[test]
fn an_empty_validity_window_is_refused() {
    let t = now();
    let err = Ca::create(
        CaKind::Cluster,
        &kops6_pki::generate_key().unwrap(),
        Validity {
            not_before: t,
            not_after: t,
        },
    )
    .unwrap_err();
    assert!(matches!(err, PkiError::Validity { .. }), "{err}");
}

#[test]
fn same_key_and_window_give_the_same_subject_serial_and_extensions() {
    let key = kops6_pki::generate_key().unwrap();
    let v = one_day();
    let a = Ca::create(CaKind::Etcd, &key, v).unwrap();
    let b = Ca::create(CaKind::Etcd, &key, v).unwrap();
    // ECDSA signatures carry a random nonce, so compare everything but the signature.
    let tbs = |pem: &str| {
        let (_, block) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).unwrap();
        let cert = block.parse_x509().unwrap();
        cert.tbs_certificate.as_ref().to_vec()
    };
    assert_eq!(tbs(a.cert_pem()), tbs(b.cert_pem()));
    assert_eq!(a.public_key_hash(), b.public_key_hash());
}

fn free_port() -> u16 {
    TcpListener::bind("[::1]:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Etcd(std::process::Child);
impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn debian_etcd_on_ipv6_loopback_accepts_a_kops6_client_and_refuses_a_foreign_one() {
    let (Some(etcd), Some(etcdctl)) = (tool("etcd"), tool("etcdctl")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pki = pki();
    let ca = &pki.etcd_ca;
    let server_key = kops6_pki::generate_key().unwrap();
    let server = ca
        .sign(
            &Leaf::server(
                "etcd-a",
                vec![
                    Name::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)),
                    Name::Dns("localhost".into()),
                ],
            ),
            &server_key,
            one_day(),
        )
        .unwrap();
    let client_key = kops6_pki::generate_key().unwrap();
    let client = ca
        .sign(
            &Leaf::client("kube-apiserver-etcd-client", &[]),
            &client_key,
            one_day(),
        )
        .unwrap();
    // A client certificate from a CA kops6 did not make, with the same subject.
    let foreign = Ca::create(CaKind::Etcd, &kops6_pki::generate_key().unwrap(), one_day()).unwrap();
    let foreign_key = kops6_pki::generate_key().unwrap();
    let foreign_client = foreign
        .sign(
            &Leaf::client("kube-apiserver-etcd-client", &[]),
            &foreign_key,
            one_day(),
        )
        .unwrap();

    let f = |n: &str, s: &str| write(d, n, s).to_string_lossy().into_owned();
    let (ca_f, srv, srv_k) = (
        f("ca.crt", ca.cert_pem()),
        f("server.crt", &server),
        f("server.key", &server_key),
    );
    let (cli, cli_k) = (f("client.crt", &client), f("client.key", &client_key));
    let (fcli, fcli_k) = (
        f("foreign.crt", &foreign_client),
        f("foreign.key", &foreign_key),
    );
    let (cport, pport) = (free_port(), free_port());
    let client_url = format!("https://[::1]:{cport}");
    let peer_url = format!("https://[::1]:{pport}");
    let log = std::fs::File::create(d.join("etcd.log")).unwrap();
    let _etcd = Etcd(
        Command::new(etcd)
            .args(["--name", "a", "--data-dir"])
            .arg(d.join("data"))
            .args([
                "--listen-client-urls",
                &client_url,
                "--advertise-client-urls",
                &client_url,
            ])
            .args([
                "--listen-peer-urls",
                &peer_url,
                "--initial-advertise-peer-urls",
                &peer_url,
            ])
            .args(["--initial-cluster", &format!("a={peer_url}")])
            .args([
                "--client-cert-auth",
                "--trusted-ca-file",
                &ca_f,
                "--cert-file",
                &srv,
                "--key-file",
                &srv_k,
            ])
            .args([
                "--peer-client-cert-auth",
                "--peer-trusted-ca-file",
                &ca_f,
                "--peer-cert-file",
                &srv,
                "--peer-key-file",
                &srv_k,
            ])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    let health = |cert: &str, key: &str| {
        Command::new(&etcdctl)
            .env("ETCDCTL_API", "3")
            .args([
                "--endpoints",
                &client_url,
                "--cacert",
                &ca_f,
                "--cert",
                cert,
                "--key",
                key,
            ])
            .args([
                "--command-timeout=3s",
                "--dial-timeout=3s",
                "endpoint",
                "health",
            ])
            .output()
            .unwrap()
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let ok = loop {
        let out = health(&cli, &cli_k);
        if out.status.success() {
            break out;
        }
        assert!(
            Instant::now() < deadline,
            "etcd never became healthy: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(d.join("etcd.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(300));
    };
    assert!(
        String::from_utf8_lossy(&ok.stderr).contains("is healthy"),
        "{ok:?}"
    );
    let refused = health(&fcli, &fcli_k);
    assert!(
        !refused.status.success(),
        "a foreign client certificate must be refused"
    );
    let log = std::fs::read_to_string(d.join("etcd.log")).unwrap_or_default();
    assert!(
        log.contains("certificate"),
        "etcd should log the rejected certificate: {log}"
    );
}
