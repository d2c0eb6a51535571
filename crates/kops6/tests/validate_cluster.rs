//! `validate cluster` against a stand-in API server on `[::1]` (TLS, client certificates
//! required, as kube-apiserver does): its parsing of real-shaped answers and its exit codes.
//! What the cluster really does is only shown on AWS.

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv6Addr};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use kops6_pki::{ClusterPki, Leaf, Name, PkiKeys, Validity};
use serde_json::{json, Value};

const NAME: &str = "v6.example.org";

const SERVER: &str = r#"
import http.server, json, ssl, sys, socket
cfg = json.load(open(sys.argv[1]))
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        body = cfg["answers"].get(self.path)
        code = 200 if body is not None else 404
        data = json.dumps(body if body is not None else {"kind": "Status"}).encode()
        self.send_response(code); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
class S(http.server.HTTPServer):
    address_family = socket.AF_INET6
srv = S(("::1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cfg["cert"], cfg["key"])
ctx.verify_mode = ssl.CERT_REQUIRED
ctx.load_verify_locations(cfg["ca"])
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print("PORT=%d" % srv.server_address[1], flush=True)
srv.serve_forever()
"#;

struct Server(Child, u16);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn kops6(state: &Path) -> Command {
    let mut c = Command::cargo_bin("kops6").unwrap();
    c.arg("--state").arg(format!("file://{}", state.display()));
    c.env_remove("KUBECONFIG");
    // The autoscaling groups are read from the bed's moto, never from AWS.
    if let Ok(endpoint) = std::fs::read_to_string(state.join(ENDPOINT_FILE)) {
        c.env("AWS_ENDPOINT_URL", endpoint.trim())
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE");
    }
    c
}

const ENDPOINT_FILE: &str = "aws-endpoint";

/// The AWS side of a bed: moto with one autoscaling group per `(group, size, min, max)`, and
/// the instance IDs it started, by group. Without AWS support in this build: made-up IDs.
struct Cloud {
    #[cfg(feature = "aws")]
    _moto: kops6_testsupport::Moto,
    instances: std::collections::BTreeMap<String, Vec<String>>,
}

#[cfg(feature = "aws")]
fn cloud(dir: &Path, groups: &[(&str, u32, u32, u32)]) -> Cloud {
    let moto = kops6_testsupport::Moto::start();
    std::fs::write(dir.join(ENDPOINT_FILE), moto.endpoint()).unwrap();
    let mut instances = std::collections::BTreeMap::new();
    for (group, size, min, max) in groups {
        let g = kops6_testsupport::aws(
            &moto.endpoint(),
            &[
                "autoscaling-group",
                "--cluster",
                NAME,
                "--group",
                group,
                "--size",
                &size.to_string(),
                "--min",
                &min.to_string(),
                "--max",
                &max.to_string(),
            ],
        );
        let ids: Vec<String> = g["instances"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_str().unwrap().to_string())
            .collect();
        instances.insert(group.to_string(), ids);
    }
    Cloud {
        _moto: moto,
        instances,
    }
}

#[cfg(not(feature = "aws"))]
fn cloud(_dir: &Path, groups: &[(&str, u32, u32, u32)]) -> Cloud {
    Cloud {
        instances: groups
            .iter()
            .enumerate()
            .map(|(i, (g, ..))| (g.to_string(), vec![format!("i-0{i:03}")]))
            .collect(),
    }
}

/// Both groups of the bed's cluster with one instance each, as its spec says.
const HEALTHY: &[(&str, u32, u32, u32)] = &[
    ("control-plane-us-east-1a", 1, 1, 1),
    ("nodes-us-east-1a", 1, 1, 1),
];

fn node(name: &str, group: &str, ready: &str, instance: &str) -> Value {
    json!({"metadata": {"name": name, "labels": {"kops6.io/instancegroup": group}},
           "spec": {"providerID": format!("aws:///us-east-1a/{instance}")},
           "status": {"conditions": [{"type": "Ready", "status": ready}]}})
}

fn pod(name: &str, phase: &str) -> Value {
    json!({"metadata": {"name": name, "namespace": "kube-system"},
           "spec": {"priorityClassName": "system-cluster-critical", "containers": [{"name": "c"}]},
           "status": {"phase": phase}})
}

/// A cluster in a file store, its PKI, a stand-in API server answering `nodes` and `pods`,
/// and an admin kubeconfig for it from `export kubeconfig`.
fn bed(dir: &Path, nodes_ready: &str) -> Option<(Server, Cloud)> {
    bed_with(dir, nodes_ready, HEALTHY)
}

fn bed_with(
    dir: &Path,
    nodes_ready: &str,
    groups: &[(&str, u32, u32, u32)],
) -> Option<(Server, Cloud)> {
    if Command::new("python3")
        .arg("-c")
        .arg("import ssl")
        .status()
        .map(|s| !s.success())
        .unwrap_or(true)
    {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "python3 with ssl is needed"
        );
        eprintln!("SKIPPED: python3 with ssl is not available");
        return None;
    }
    let st = kops6(dir)
        .args([
            "create",
            "cluster",
            "--name",
            NAME,
            "--zones",
            "us-east-1a",
            "--ipv6",
            "--networking",
            "cilium",
            "--dns-zone",
            "example.org",
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
        let p = dir.join(NAME).join(key);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }
    let key = kops6_pki::generate_key().unwrap();
    let cert = pki
        .cluster_ca
        .sign(
            &Leaf::server(
                "kube-apiserver",
                vec![Name::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST))],
            ),
            &key,
            Validity::starting(time::OffsetDateTime::now_utc(), time::Duration::hours(1)),
        )
        .unwrap();
    std::fs::write(dir.join("srv.crt"), cert).unwrap();
    std::fs::write(dir.join("srv.key"), key).unwrap();
    std::fs::write(dir.join("ca.crt"), pki.cluster_ca.cert_pem()).unwrap();
    let cloud = cloud(dir, groups);
    let first = |g: &str| {
        cloud
            .instances
            .get(g)
            .and_then(|ids| ids.first().cloned())
            .unwrap_or_else(|| "i-0none".into())
    };
    let answers = json!({
        "/api/v1/nodes": {"apiVersion": "v1", "kind": "NodeList", "metadata": {}, "items": [
            node("i-0aaa.us-east-1.compute.internal", "control-plane-us-east-1a", "True", &first("control-plane-us-east-1a")),
            node("i-0bbb.us-east-1.compute.internal", "nodes-us-east-1a", nodes_ready, &first("nodes-us-east-1a"))]},
        "/api/v1/namespaces/kube-system/pods": {"apiVersion": "v1", "kind": "PodList", "metadata": {}, "items": [pod("coredns-1", "Running")]},
    });
    let cfg = json!({"cert": dir.join("srv.crt"), "key": dir.join("srv.key"), "ca": dir.join("ca.crt"), "answers": answers});
    std::fs::write(dir.join("srv.json"), cfg.to_string()).unwrap();
    std::fs::write(dir.join("srv.py"), SERVER).unwrap();
    let mut child = Command::new("python3")
        .arg(dir.join("srv.py"))
        .arg(dir.join("srv.json"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line.trim().strip_prefix("PORT=").unwrap().parse().unwrap();
    let out = kops6(dir)
        .args(["export", "kubeconfig", NAME, "--admin=10m", "--kubeconfig"])
        .arg(dir.join("kc"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The test server stands where the API's name would be.
    let kc = std::fs::read_to_string(dir.join("kc")).unwrap().replace(
        "https://api.v6.example.org:443",
        &format!("https://[::1]:{port}"),
    );
    std::fs::write(dir.join("kc"), kc).unwrap();
    Some((Server(child, port), cloud))
}

fn validate(dir: &Path, extra: &[&str]) -> std::process::Output {
    kops6(dir)
        .args(["validate", "cluster", NAME, "--kubeconfig"])
        .arg(dir.join("kc"))
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn a_healthy_cluster_validates_with_exit_0_and_kops_table() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_bed) = bed(dir.path(), "True") else {
        return;
    };
    let out = validate(dir.path(), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("Validating cluster v6.example.org\n\nINSTANCE GROUPS\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("Your cluster v6.example.org is ready\n"),
        "{stdout}"
    );
}

#[test]
fn a_node_not_ready_exits_1_and_json_lists_the_failures() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_bed) = bed(dir.path(), "False") else {
        return;
    };
    let out = validate(dir.path(), &["-o", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = v["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Node", "InstanceGroup"]);
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("Error: cluster v6.example.org is not valid (2 problems)"));
    let yaml = validate(dir.path(), &["-o", "yaml"]);
    assert_eq!(yaml.status.code(), Some(1));
    let y: Value = serde_saphyr::from_str(&String::from_utf8_lossy(&yaml.stdout)).unwrap();
    assert_eq!(y, v);
}

#[test]
fn an_api_that_does_not_answer_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let Some((srv, _cloud)) = bed(dir.path(), "True") else {
        return;
    };
    let port = srv.1;
    drop(srv);
    let out = validate(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "cannot reach the cluster's API at https://[::1]:{port}"
        )),
        "{err}"
    );
}

#[test]
fn a_kubeconfig_without_the_clusters_context_says_what_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_bed) = bed(dir.path(), "True") else {
        return;
    };
    std::fs::write(
        dir.path().join("kc"),
        "apiVersion: v1\nkind: Config\ncontexts: []\n",
    )
    .unwrap();
    let out = validate(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("kops6 export kubeconfig v6.example.org --admin"));
}

#[test]
fn wait_shorter_than_one_poll_checks_once_and_exits_1_when_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_bed) = bed(dir.path(), "False") else {
        return;
    };
    let start = std::time::Instant::now();
    let out = validate(dir.path(), &["--wait", "1s"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
    assert!(String::from_utf8_lossy(&out.stdout).ends_with("Validation Failed\n"));
}

/// The INSTANCE GROUPS rows come from the spec; each is compared with its autoscaling group in
/// AWS (moto here), and a difference is a validation error with exit 1.
#[cfg(feature = "aws")]
#[test]
fn instance_groups_are_compared_with_their_autoscaling_groups_in_aws() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_bed) = bed_with(
        dir.path(),
        "True",
        &[
            ("control-plane-us-east-1a", 1, 1, 1),
            ("nodes-us-east-1a", 1, 1, 3),
        ],
    ) else {
        return;
    };
    let out = validate(dir.path(), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .skip_while(|l| *l != "INSTANCE GROUPS")
        .skip(2)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows,
        [
            [
                "control-plane-us-east-1a",
                "ControlPlane",
                "t3.medium",
                "1",
                "1",
                "dualstack-us-east-1a"
            ],
            [
                "nodes-us-east-1a",
                "Node",
                "t3.medium",
                "1",
                "1",
                "us-east-1a"
            ]
        ],
        "{stdout}"
    );
    let errors: Vec<&str> = stdout
        .lines()
        .skip_while(|l| *l != "VALIDATION ERRORS")
        .skip(2)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(errors.len(), 1, "{stdout}");
    assert!(
        errors[0].starts_with("InstanceGroup")
            && errors[0].contains("nodes-us-east-1a")
            && errors[0].contains("has min 1 max 3 in AWS, the spec says min 1 max 1"),
        "{stdout}"
    );

    // A group with no autoscaling group at all is missing from the cloud provider.
    let dir = tempfile::tempdir().unwrap();
    let Some(_bed) = bed_with(dir.path(), "True", &[("control-plane-us-east-1a", 1, 1, 1)]) else {
        return;
    };
    let out = validate(dir.path(), &["-o", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let failures: Vec<(&str, &str)> = v["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["type"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert!(
        failures.contains(&(
            "InstanceGroup",
            "InstanceGroup \"nodes-us-east-1a\" is missing from the cloud provider"
        )),
        "{failures:?}"
    );
}
