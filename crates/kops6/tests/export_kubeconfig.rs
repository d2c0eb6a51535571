//! `export kubeconfig`: a valid kubeconfig (read back by kubectl when it is on PATH) whose
//! client certificate chains to the state store's cluster CA; merging like kubectl; the errors
//! for a cluster never applied and for a damaged CA.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use kops6_pki::{ClusterPki, PkiKeys};
use serde_json::Value;

const NAME: &str = "v6.example.org";
const LB: &str = "api-v6-example-org-0123456789abcdef.elb.us-east-1.amazonaws.com";

fn kops6(state: &Path) -> Command {
    let mut c = Command::cargo_bin("kops6").unwrap();
    c.arg("--state").arg(format!("file://{}", state.display()));
    c.env_remove("KUBECONFIG");
    c
}

/// A cluster spec plus what applying it leaves in the store: the PKI and the LB's name.
fn applied(state: &Path) -> ClusterPki {
    let st = kops6(state)
        .args([
            "create",
            "cluster",
            "--name",
            NAME,
            "--zones",
            "us-east-1a",
            "--ipv6",
            "--networking",
            "calico",
        ])
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let pki = ClusterPki::create(
        &PkiKeys::generate().unwrap(),
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    for (key, data) in pki.files().unwrap() {
        let p = state.join(NAME).join(key);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }
    std::fs::create_dir_all(state.join(NAME).join("bootstrap")).unwrap();
    std::fs::write(state.join(NAME).join("bootstrap/api-endpoint"), LB).unwrap();
    pki
}

fn yaml(path: &Path) -> Value {
    serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn b64decode(s: &str) -> Vec<u8> {
    let out = Command::new("base64")
        .arg("-d")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    let mut out = out;
    out.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    out.wait_with_output().unwrap().stdout
}

#[test]
fn admin_kubeconfig_has_a_client_certificate_from_the_cluster_ca_valid_18h() {
    let dir = tempfile::tempdir().unwrap();
    let pki = applied(dir.path());
    let kc = dir.path().join("kubeconfig");
    let out = kops6(dir.path())
        .args(["export", "kubeconfig", NAME, "--admin", "--kubeconfig"])
        .arg(&kc)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&kc).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let v = yaml(&kc);
    assert_eq!(v["current-context"], NAME);
    assert_eq!(
        v["clusters"][0]["cluster"]["server"],
        format!("https://{LB}:443"),
        "no DNS zone: the LB's name"
    );
    let ca = b64decode(
        v["clusters"][0]["cluster"]["certificate-authority-data"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(String::from_utf8(ca).unwrap(), pki.cluster_ca.cert_pem());
    let cert = b64decode(
        v["users"][0]["user"]["client-certificate-data"]
            .as_str()
            .unwrap(),
    );
    let certs = dir.path().join("client.crt");
    std::fs::write(&certs, &cert).unwrap();
    let ca_file = dir.path().join("ca.crt");
    std::fs::write(&ca_file, pki.cluster_ca.cert_pem()).unwrap();
    let verify = Command::new("openssl")
        .args(["verify", "-purpose", "sslclient", "-CAfile"])
        .arg(&ca_file)
        .arg(&certs)
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    let text = Command::new("openssl")
        .args([
            "x509",
            "-noout",
            "-subject",
            "-startdate",
            "-enddate",
            "-in",
        ])
        .arg(&certs)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(
        text.contains("subject=O = system:masters, CN = kops6-admin"),
        "{text}"
    );
    // 18 hours (plus the 5 minutes it is backdated for clock skew).
    let date = |k: &str| {
        let line = text.lines().find(|l| l.starts_with(k)).unwrap();
        let d = Command::new("date")
            .args(["-u", "+%s", "-d", line.trim_start_matches(k)])
            .output()
            .unwrap();
        String::from_utf8_lossy(&d.stdout)
            .trim()
            .parse::<i64>()
            .unwrap()
    };
    assert_eq!(date("notAfter=") - date("notBefore="), 18 * 3600 + 300);
    if Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_ok()
    {
        let view = Command::new("kubectl")
            .args(["config", "view", "--kubeconfig"])
            .arg(&kc)
            .args(["-o", "jsonpath={.contexts[0].context.user}"])
            .output()
            .unwrap();
        assert!(
            view.status.success(),
            "{}",
            String::from_utf8_lossy(&view.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&view.stdout), NAME);
    } else {
        eprintln!("SKIPPED kubectl check: kubectl is not on PATH");
    }
}

#[test]
fn export_merges_into_an_existing_kubeconfig_like_kubectl() {
    let dir = tempfile::tempdir().unwrap();
    applied(dir.path());
    let kc = dir.path().join("config");
    std::fs::write(&kc, "apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster:\n    server: https://other.example:6443\ncontexts:\n- name: other\n  context:\n    cluster: other\n    user: other\ncurrent-context: other\nusers:\n- name: other\n  user:\n    token: t\n").unwrap();
    let out = kops6(dir.path())
        .env("KUBECONFIG", &kc)
        .args(["export", "kubeconfig", NAME, "--admin=1h"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = yaml(&kc);
    let names = |l: &str| {
        v[l].as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names("clusters"), ["other", NAME]);
    assert_eq!(names("users"), ["other", NAME]);
    assert_eq!(v["users"][0]["user"]["token"], "t");
    assert_eq!(v["current-context"], NAME);
}

#[test]
fn export_for_a_cluster_never_applied_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let st = kops6(dir.path())
        .args([
            "create",
            "cluster",
            "--name",
            NAME,
            "--zones",
            "us-east-1a",
            "--ipv6",
        ])
        .output()
        .unwrap();
    assert!(st.status.success());
    let out = kops6(dir.path())
        .args(["export", "kubeconfig", NAME, "--admin", "--kubeconfig"])
        .arg(dir.path().join("kc"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("has no CA in the state store") && err.contains("never been applied"),
        "{err}"
    );
    assert!(!dir.path().join("kc").exists());
}

#[test]
fn a_damaged_ca_is_an_error_and_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    applied(dir.path());
    let key = dir
        .path()
        .join(NAME)
        .join("pki/private/kubernetes-ca/ca.key");
    std::fs::write(
        &key,
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let out = kops6(dir.path())
        .args(["export", "kubeconfig", NAME, "--admin", "--kubeconfig"])
        .arg(dir.path().join("kc"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the cluster CA of \"v6.example.org\" in the state store is unusable"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&key).unwrap(),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
    );
    std::fs::remove_file(&key).unwrap();
    let out = kops6(dir.path())
        .args(["export", "kubeconfig", NAME, "--admin", "--kubeconfig"])
        .arg(dir.path().join("kc"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pki/private/kubernetes-ca/ca.key is missing from the state store"),
        "{err}"
    );
}

#[test]
fn export_without_admin_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    applied(dir.path());
    let out = kops6(dir.path())
        .args(["export", "kubeconfig", NAME])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use --admin"));
}

#[test]
fn without_a_dns_zone_or_a_recorded_load_balancer_and_no_aws_the_error_says_why() {
    let dir = tempfile::tempdir().unwrap();
    applied(dir.path());
    std::fs::remove_file(dir.path().join(NAME).join("bootstrap/api-endpoint")).unwrap();
    let out = kops6(dir.path())
        .args(["export", "kubeconfig", NAME, "--admin", "--kubeconfig"])
        .arg(dir.path().join("kubeconfig"))
        // Nothing listens there: AWS cannot be asked.
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("has no DNS zone, so its API name is the DNS name of load balancer")
            && err.contains("which the state store does not record")
            && err.contains("AWS could not be asked"),
        "{err}"
    );
    assert!(!dir.path().join("kubeconfig").exists(), "nothing written");
}
