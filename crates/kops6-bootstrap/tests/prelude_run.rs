//! The prelude run for real: in a network namespace this test makes, against a mock of what an
//! IPv6-only instance talks to (IMDSv2 on `[fd00:ec2::254]`, the S3 state store, EC2, the API's
//! `/readyz`), with recording stand-ins for kubeadm, kubectl, systemctl, apt and the other
//! host tools. Real: sh, curl (SigV4 signing included), sed, sha256sum. Then Debian's CNI
//! plugins hand a pod in its own namespace an address from the node's /80.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

const AWS_HOST: &str = "2001:db8::5";
const API_HOST: &str = "2001:db8::6";
const IMDS_HOST: &str = "fd00:ec2::254";
const HOSTNAME: &str = "i-0123456789abcdef0.us-east-1.compute.internal";
const MAC: &str = "0e:12:34:56:78:9a";
const ENI: &str = "eni-0a1b2c3d4e5f60718";
const PREFIX: &str = "2001:db8:1:2:3::/80";
const VOLUME: &str = "vol-0123456789abcdef0";
const ACCESS_KEY: &str = "ASIAKOPS6TESTKEY";
const SESSION_TOKEN: &str = "session-token-for-the-test";
const JOIN_TOKEN: &str = "abcdef.0123456789abcdef";
const STORE: &str = "/kops6-state/clusters/v6.example.org";

/// Needs root (network namespaces) and the tools; a skip on a developer machine, a failure in CI.
fn ready() -> bool {
    ["ip", "curl", "python3", "sha256sum"]
        .iter()
        .all(|t| tool(t).is_some())
}

struct Netns(String);

impl Netns {
    fn new(tag: &str) -> Option<Self> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = format!("kops6-{tag}-{}-{n}", std::process::id());
        let ok = Command::new("ip")
            .args(["netns", "add", &name])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            // Only a missing privilege may skip; as root (and in CI) it is a failure.
            let root = Command::new("id")
                .arg("-u")
                .output()
                .map(|o| o.stdout == b"0\n")
                .unwrap_or(false);
            assert!(
                !root && std::env::var("CI").as_deref() != Ok("true"),
                "cannot make network namespace {name}"
            );
            eprintln!("SKIPPED: cannot make a network namespace (root is needed)");
            return None;
        }
        let ns = Netns(name);
        ns.ip(&["link", "set", "lo", "up"]);
        Some(ns)
    }

    fn ip(&self, args: &[&str]) {
        let st = Command::new("ip")
            .args(["-n", &self.0])
            .args(args)
            .status()
            .unwrap();
        assert!(st.success(), "ip -n {} {args:?}", self.0);
    }

    fn cmd(&self, program: &str) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.0, program]);
        c
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

const STAND_IN: &str = r#"#!/bin/sh
me=$(basename "$0")
printf '%s\n' "$me $*" >> "$KOPS6_RECORD"
[ "${KOPS6_FAIL:-}" = "$me" ] && { echo "$me: simulated failure" >&2; exit 1; }
case "$me $1" in
  "containerd config") echo 'SystemdCgroup = false' ;;
  "blkid "*) [ -n "${KOPS6_VOLUME_FORMATTED:-}" ] || exit 1 ;;
esac
case "$me" in
  gpg) while [ $# -gt 2 ]; do [ "$1" = -o ] && { cp "$3" "$2"; exit 0; }; shift; done ;;
  kubeadm) [ "$2" = --config ] && cp "$3" "$KOPS6_RECORD.kubeadm-config" ;;
  kubectl) case "$*" in
    *jsonpath*) printf '%s' "${KOPS6_EXISTING_POD_CIDR:-}" ;;
    *"member list"*) printf '%s\n' "${KOPS6_ETCD_MEMBERS:-}" ;;
  esac ;;
esac
exit 0
"#;

const STAND_INS: [&str; 13] = [
    "hostnamectl",
    "modprobe",
    "sysctl",
    "gpg",
    "apt-get",
    "apt-mark",
    "containerd",
    "systemctl",
    "kubeadm",
    "kubectl",
    "blkid",
    "mkfs.ext4",
    "mount",
];

struct Scenario {
    group: &'static str,
    api_up: bool,
    prefix_after_assign: bool,
    fail: Option<&'static str>,
    missing_object: Option<&'static str>,
    /// A state-store object served with this content instead.
    changed_object: Option<(&'static str, &'static str)>,
    existing_pod_cidr: Option<&'static str>,
    tamper_remote_addon: bool,
    /// The etcd volume already holds a member's data (a replaced control-plane instance).
    etcd_data: bool,
    /// Serve the state store from moto's S3 (in the namespace, on `[::1]`) instead of the mock.
    moto_s3: bool,
}

impl Scenario {
    fn node() -> Self {
        Self {
            group: "nodes-us-east-1a",
            api_up: true,
            prefix_after_assign: true,
            fail: None,
            missing_object: None,
            changed_object: None,
            existing_pod_cidr: None,
            tamper_remote_addon: false,
            etcd_data: false,
            moto_s3: false,
        }
    }
    fn first_control_plane() -> Self {
        Self {
            group: "control-plane-us-east-1a",
            api_up: false,
            prefix_after_assign: false,
            ..Self::node()
        }
    }
}

struct Outcome {
    ok: bool,
    stderr: String,
    record: Vec<String>,
    requests: Vec<Value>,
    root: tempfile::TempDir,
    kubeadm_config: Option<String>,
    rendered: String,
}

impl Outcome {
    fn ran(&self, line: &str) -> bool {
        self.record.iter().any(|l| l == line)
    }
    fn ec2_bodies(&self) -> Vec<String> {
        self.requests
            .iter()
            .filter(|r| r["service"] == "ec2")
            .map(|r| r["body"].as_str().unwrap().to_string())
            .collect()
    }
    fn s3_paths(&self) -> Vec<String> {
        self.requests
            .iter()
            .filter(|r| r["service"] == "s3")
            .map(|r| r["path"].as_str().unwrap().to_string())
            .collect()
    }
    fn r(&self) -> String {
        self.root.path().to_string_lossy().into_owned()
    }
}

/// The discovery kubeconfig as kops6 publishes it before Terraform has made the load
/// balancer: a stand-in server, which the prelude replaces with the user data's API name.
const STORED_KUBECONFIG: &str = "apiVersion: v1\nclusters:\n- cluster:\n    \
     certificate-authority-data: Q0E=\n    server: https://api-load-balancer.kops6.invalid:443\n  \
     name: v6.example.org\nkind: Config\n";

fn objects() -> BTreeMap<String, String> {
    let mut o = BTreeMap::new();
    for (k, v) in [
        ("pki/private/node-bootstrap/kubeconfig", STORED_KUBECONFIG),
        ("pki/private/node-bootstrap/token", JOIN_TOKEN),
        ("pki/issued/kubernetes-ca/ca.crt", "CA CERT"),
        ("pki/private/kubernetes-ca/ca.key", "CA KEY"),
        ("pki/issued/apiserver-aggregator-ca/ca.crt", "FP CERT"),
        ("pki/private/apiserver-aggregator-ca/ca.key", "FP KEY"),
        ("pki/issued/etcd-ca/ca.crt", "ETCD CERT"),
        ("pki/private/etcd-ca/ca.key", "ETCD KEY"),
        ("pki/issued/service-account/sa.pub", "SA PUB"),
        ("pki/private/service-account/sa.key", "SA KEY"),
    ] {
        o.insert(format!("{STORE}/{k}"), v.to_string());
    }
    o
}

fn run(s: Scenario) -> Option<Outcome> {
    if !ready() {
        return None;
    }
    let ns = Netns::new("prelude")?;
    for host in [AWS_HOST, API_HOST, IMDS_HOST] {
        ns.ip(&["addr", "add", &format!("{host}/128"), "dev", "lo", "nodad"]);
    }
    let b = render("calico");
    let user_data = group(&b, s.group).to_string();
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    // Lay out what cloud-init would write, under the test's root.
    let v = parse_user_data(&user_data);
    for f in v["write_files"].as_array().unwrap() {
        let path = r.join(f["path"].as_str().unwrap().trim_start_matches('/'));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, f["content"].as_str().unwrap()).unwrap();
    }
    // The endpoints are inputs: point them at the mock (IMDS stays as rendered).
    let env_path = r.join("etc/kops6/bootstrap.env");
    let env: String = std::fs::read_to_string(&env_path)
        .unwrap()
        .lines()
        .map(|l| match l.split_once('=') {
            Some(("KOPS6_STATE", _)) => format!("KOPS6_STATE='http://[{AWS_HOST}]{STORE}'"),
            Some(("KOPS6_EC2", _)) => format!("KOPS6_EC2='http://[{AWS_HOST}]'"),
            Some(("KOPS6_K8S_REPO", _)) => format!("KOPS6_K8S_REPO='http://[{AWS_HOST}]/k8s/'"),
            Some(("KOPS6_API", _)) => format!("KOPS6_API='[{API_HOST}]:443'"),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&env_path, env + "\n").unwrap();
    let mut objects = objects();
    for a in &b.addons {
        objects.insert(format!("{STORE}/{}", a.path), a.yaml.clone());
    }
    objects.insert("/k8s/Release.key".into(), "PGP KEY".into());
    let crds = "kind: CustomResourceDefinition\n".to_string();
    let remote = r.join("etc/kops6/remote-addons");
    if remote.exists() {
        let served = if s.tamper_remote_addon {
            format!("{crds}# changed\n")
        } else {
            crds.clone()
        };
        objects.insert("/calico/crds.yaml".into(), served);
        let sum = sha256(&crds);
        std::fs::write(
            &remote,
            format!("{sum} http://[{AWS_HOST}]/calico/crds.yaml\n"),
        )
        .unwrap();
    }
    if let Some(missing) = s.missing_object {
        objects.remove(&format!("{STORE}/{missing}"));
    }
    if let Some((key, content)) = s.changed_object {
        objects.insert(format!("{STORE}/{key}"), content.into());
    }
    let bin = r.join("stand-ins");
    std::fs::create_dir_all(&bin).unwrap();
    for name in STAND_INS {
        let p = bin.join(name);
        std::fs::write(&p, STAND_IN).unwrap();
        chmod(&p, 0o755);
    }
    std::fs::create_dir_all(r.join("dev")).unwrap();
    if s.etcd_data {
        std::fs::create_dir_all(r.join("var/lib/etcd/member/snap")).unwrap();
        std::fs::write(
            r.join("var/lib/etcd/kops6-member"),
            "i-0old.us-east-1.compute.internal\n",
        )
        .unwrap();
    }
    let record = r.join("record");
    let log = r.join("requests.jsonl");
    let pki = kops6_pki::ClusterPki::create(
        &kops6_pki::PkiKeys::generate().unwrap(),
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    let api_key = kops6_pki::generate_key().unwrap();
    let api_cert = pki
        .cluster_ca
        .sign(
            &kops6_pki::Leaf::server(
                "kube-apiserver",
                vec![kops6_pki::Name::Ip(API_HOST.parse().unwrap())],
            ),
            &api_key,
            kops6_pki::Validity::starting(
                time::OffsetDateTime::now_utc(),
                time::Duration::hours(1),
            ),
        )
        .unwrap();
    std::fs::write(r.join("api.crt"), api_cert).unwrap();
    std::fs::write(r.join("api.key"), api_key).unwrap();
    let md = format!("network/interfaces/macs/{MAC}");
    let config = json!({
        "log": log, "imds_token": "imds-session-token", "imds_host": IMDS_HOST, "aws_host": AWS_HOST,
        "api_host": API_HOST, "api_up": s.api_up,
        "api_tls": {"cert": r.join("api.crt"), "key": r.join("api.key")},
        "access_key": ACCESS_KEY, "session_token": SESSION_TOKEN,
        "prefix_after_assign": s.prefix_after_assign,
        "volume_id": VOLUME, "device": r.join(format!("dev/nvme-Amazon_Elastic_Block_Store_{}", VOLUME.replace('-', ""))),
        "objects": objects,
        "metadata": {
            "local-hostname": HOSTNAME, "instance-id": "i-0123456789abcdef0", "mac": MAC,
            "placement/availability-zone": "us-east-1a",
            format!("{md}/interface-id"): ENI,
            format!("{md}/ipv6s"): "2001:db8:1:2::10",
            format!("{md}/ipv6-prefix"): PREFIX,
            "iam/security-credentials/": "nodes.v6.example.org",
            "iam/security-credentials/nodes.v6.example.org": format!(
                "{{\n  \"Code\" : \"Success\",\n  \"AccessKeyId\" : \"{ACCESS_KEY}\",\n  \"SecretAccessKey\" : \"secret\",\n  \"Token\" : \"{SESSION_TOKEN}\"\n}}"),
        },
    });
    std::fs::write(r.join("mock.json"), config.to_string()).unwrap();
    let mock_py = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/prelude/mock.py");
    let mut mock = ns
        .cmd("python3")
        .arg(&mock_py)
        .arg(r.join("mock.json"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(mock.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "READY");
    let _mock = Killed(mock);
    let _moto = if s.moto_s3 {
        let (moto, port) = moto_in(&ns, r, &objects);
        let env = std::fs::read_to_string(&env_path).unwrap().replace(
            &format!("KOPS6_STATE='http://[{AWS_HOST}]{STORE}'"),
            &format!("KOPS6_STATE='http://[::1]:{port}{STORE}'"),
        );
        std::fs::write(&env_path, env).unwrap();
        Some(moto)
    } else {
        None
    };

    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let mut prelude = ns.cmd("env");
    prelude
        .arg(format!("PATH={path}"))
        .arg(format!("KOPS6_ROOT={}", r.display()))
        .arg(format!("KOPS6_ENV={}", env_path.display()))
        .arg(format!("KOPS6_RECORD={}", record.display()))
        .arg(format!("KOPS6_DEVICES={}", r.join("dev").display()))
        .args(["KOPS6_POLL=0", "KOPS6_API_TRIES=3"])
        .arg(format!("KOPS6_FAIL={}", s.fail.unwrap_or("")))
        .arg(format!(
            "KOPS6_EXISTING_POD_CIDR={}",
            s.existing_pod_cidr.unwrap_or("")
        ))
        .arg(format!(
            "KOPS6_ETCD_MEMBERS=8e9e05c52164694d, started, i-0old.us-east-1.compute.internal, https://[2001:db8:1:2::9]:2380, https://[2001:db8:1:2::9]:2379, false\n1a2b3c4d5e6f7081, started, {HOSTNAME}, https://[2001:db8:1:2::10]:2380, https://[2001:db8:1:2::10]:2379, false"
        ))
        .arg(format!(
            "KOPS6_VOLUME_FORMATTED={}",
            if s.etcd_data { "1" } else { "" }
        ))
        .arg("sh")
        .arg(r.join("etc/kops6/prelude.sh"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let child = prelude.spawn().unwrap();
    let out = wait(child, Duration::from_secs(90));
    let requests = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Some(Outcome {
        ok: out.status.success(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        record: std::fs::read_to_string(&record)
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect(),
        requests,
        kubeadm_config: std::fs::read_to_string(
            r.with_file_name(format!("{}", record.display()) + ".kubeadm-config"),
        )
        .ok()
        .or_else(|| std::fs::read_to_string(format!("{}.kubeadm-config", record.display())).ok()),
        rendered: user_data,
        root,
    })
}

const UPLOAD: &str = r#"
import boto3, json, sys
port, objects = sys.argv[1], json.load(open(sys.argv[2]))
s3 = boto3.client("s3", endpoint_url=f"http://[::1]:{port}", region_name="us-east-1",
                  aws_access_key_id="test", aws_secret_access_key="test")
s3.create_bucket(Bucket="kops6-state")
for path, body in objects.items():
    bucket, key = path.lstrip("/").split("/", 1)
    s3.put_object(Bucket=bucket, Key=key, Body=body.encode())
"#;

/// moto (the repository's patched launcher) inside the namespace on `[::1]`, holding the state
/// store's objects in bucket `kops6-state`.
fn moto_in(ns: &Netns, r: &Path, objects: &BTreeMap<String, String>) -> (Killed, u16) {
    let launcher =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testsupport/moto/kops6_moto.py");
    let mut child = ns
        .cmd("python3")
        .arg(launcher)
        .args(["--host", "::1", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port: u16 = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("PORT=").map(|p| p.trim().parse().unwrap()))
        .expect("moto printed its port");
    std::thread::spawn(move || for _ in lines {});
    let store: BTreeMap<&String, &String> = objects
        .iter()
        .filter(|(k, _)| k.starts_with(STORE))
        .collect();
    std::fs::write(
        r.join("objects.json"),
        serde_json::to_string(&store).unwrap(),
    )
    .unwrap();
    let up = ns
        .cmd("python3")
        .args(["-c", UPLOAD, &port.to_string()])
        .arg(r.join("objects.json"))
        .output()
        .unwrap();
    assert!(
        up.status.success(),
        "{}",
        String::from_utf8_lossy(&up.stderr)
    );
    (Killed(child), port)
}

fn wait(mut child: Child, limit: Duration) -> std::process::Output {
    let deadline = Instant::now() + limit;
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "the prelude did not finish in {limit:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn mode(p: PathBuf) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn sha256(s: &str) -> String {
    let mut c = Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    c.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    let out = c.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

fn patch_line(r: &str) -> String {
    format!(
        "kubectl --kubeconfig {r}/etc/kubernetes/kubelet.conf patch node {HOSTNAME} --type merge -p \
         {{\"spec\":{{\"podCIDR\":\"{PREFIX}\",\"podCIDRs\":[\"{PREFIX}\"]}}}}"
    )
}

#[test]
fn a_worker_boots_assigns_its_prefix_joins_and_writes_its_pod_cidr() {
    let Some(o) = run(Scenario::node()) else {
        return;
    };
    assert!(o.ok, "{}", o.stderr);
    let r = o.r();
    assert!(o.stderr.ends_with("kops6: step finished\n"), "{}", o.stderr);
    assert!(
        o.ran(&format!("hostnamectl set-hostname {HOSTNAME}")),
        "{:#?}",
        o.record
    );
    // No prefix on the interface yet: the prelude asks EC2 for one, signed with the role's keys.
    assert_eq!(o.ec2_bodies(), [format!("Version=2016-11-15&Action=AssignIpv6Addresses&NetworkInterfaceId={ENI}&Ipv6PrefixCount=1")]);
    assert!(o.ran(
        "apt-get install -y -q containerd kubelet=1.35.0-1.1 kubeadm=1.35.0-1.1 kubectl=1.35.0-1.1"
    ));
    assert!(o.ran("systemctl restart containerd"));
    assert!(
        o.ran(&format!(
            "kubeadm join --config {r}/etc/kops6/kubeadm-join.yaml"
        )),
        "{:#?}",
        o.record
    );
    assert_eq!(
        o.kubeadm_config.as_deref(),
        written(&o.rendered, "/etc/kops6/kubeadm-join.yaml").as_deref()
    );
    assert!(o.ran(&patch_line(&r)), "{:#?}", o.record);
    // A worker reads the discovery kubeconfig and nothing else from the state store.
    assert_eq!(
        o.s3_paths(),
        [format!("{STORE}/pki/private/node-bootstrap/kubeconfig")]
    );
    assert_eq!(
        mode(o.root.path().join("etc/kops6/secrets/bootstrap-kubeconfig")),
        0o600
    );
    let discovery =
        std::fs::read_to_string(o.root.path().join("etc/kops6/secrets/bootstrap-kubeconfig"))
            .unwrap();
    assert!(
        discovery.contains(&format!("\n    server: https://[{API_HOST}]:443\n")),
        "kubeadm joins through the API name of the user data:\n{discovery}"
    );
    assert!(o
        .requests
        .iter()
        .any(|r| r["service"] == "api" && r["path"] == "/readyz"));
    assert!(o
        .requests
        .iter()
        .any(|r| r["service"] == "download" && r["path"] == "/k8s/Release.key"));
    for req in o
        .requests
        .iter()
        .filter(|r| r["service"] == "s3" || r["service"] == "ec2")
    {
        let auth = req["authorization"].as_str().unwrap();
        let service = req["service"].as_str().unwrap();
        assert!(
            auth.starts_with(&format!("AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/")),
            "{auth}"
        );
        assert!(
            auth.contains(&format!("/us-east-1/{service}/aws4_request")),
            "{auth}"
        );
        assert_eq!(req["security_token"], SESSION_TOKEN);
    }
    assert!(!o.record.iter().any(|l| l.starts_with("kubeadm init")));
}

#[test]
fn the_first_control_plane_attaches_its_etcd_volume_inits_and_applies_the_addons() {
    let Some(o) = run(Scenario::first_control_plane()) else {
        return;
    };
    assert!(o.ok, "{}", o.stderr);
    let r = o.r();
    let ec2 = o.ec2_bodies();
    assert_eq!(ec2, [
        "Version=2016-11-15&Action=DescribeVolumes&Filter.1.Name=tag:Name&Filter.1.Value.1=us-east-1a.etcd-main.v6.example.org".to_string(),
        format!("Version=2016-11-15&Action=AttachVolume&VolumeId={VOLUME}&InstanceId=i-0123456789abcdef0&Device=/dev/xvdu"),
    ], "the prefix is already there, so no AssignIpv6Addresses");
    let dev = format!("{r}/dev/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0");
    assert!(o.ran(&format!("mkfs.ext4 -q -L etcd {dev}")));
    assert!(o.ran(&format!("mount {dev} {r}/var/lib/etcd")));
    for (f, m) in [
        ("ca.key", 0o600),
        ("ca.crt", 0o644),
        ("etcd/ca.key", 0o600),
        ("front-proxy-ca.key", 0o600),
        ("sa.key", 0o600),
        ("sa.pub", 0o644),
    ] {
        assert_eq!(
            mode(o.root.path().join("etc/kubernetes/pki").join(f)),
            m,
            "{f}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(o.root.path().join("etc/kubernetes/pki/etcd/ca.key")).unwrap(),
        "ETCD KEY"
    );
    assert!(
        o.ran(&format!(
            "kubeadm init --config {r}/etc/kops6/kubeadm-init.yaml"
        )),
        "{:#?}",
        o.record
    );
    assert_eq!(
        o.kubeadm_config.as_deref(),
        written(&o.rendered, "/etc/kops6/kubeadm-init.yaml").as_deref()
    );
    let admin = format!("{r}/etc/kubernetes/admin.conf");
    assert!(o.ran(&format!(
        "kubeadm token create {JOIN_TOKEN} --ttl 0 --kubeconfig {admin} --description kops6"
    )));
    let applied: Vec<&String> = o.record.iter().filter(|l| l.contains(" apply ")).collect();
    let expect: Vec<String> = [
        "aws-cloud-controller-manager",
        "coredns",
        "calico",
        "aws-ebs-csi-driver",
    ]
    .iter()
    .map(|a| format!("{r}/etc/kops6/addons/{a}.yaml"))
    .chain([format!("{r}/etc/kops6/addons/crds.yaml")])
    .map(|f| format!("kubectl --kubeconfig {admin} apply --server-side --force-conflicts -f {f}"))
    .collect();
    assert_eq!(applied, expect.iter().collect::<Vec<_>>());
    assert!(o.ran(&patch_line(&r)));
}

#[test]
fn a_discovery_kubeconfig_without_a_server_stops_the_boot_before_kubeadm() {
    let Some(o) = run(Scenario {
        changed_object: Some((
            "pki/private/node-bootstrap/kubeconfig",
            "apiVersion: v1\nkind: Config\n",
        )),
        ..Scenario::node()
    }) else {
        return;
    };
    assert!(!o.ok);
    assert!(
        o.stderr.contains(
            "kops6: FAILED: the discovery kubeconfig from the state store names no API server\n"
        ),
        "{}",
        o.stderr
    );
    assert!(!o.record.iter().any(|l| l.starts_with("kubeadm")));
}

#[test]
fn a_missing_join_credential_stops_the_boot_before_kubeadm_with_a_clear_message() {
    let Some(o) = run(Scenario {
        missing_object: Some("pki/private/node-bootstrap/kubeconfig"),
        ..Scenario::node()
    }) else {
        return;
    };
    assert!(!o.ok);
    assert!(o.stderr.contains("kops6: FAILED: cannot read pki/private/node-bootstrap/kubeconfig from the state store\n"), "{}", o.stderr);
    assert!(
        o.stderr
            .ends_with("kops6: stopped in step secrets (exit 1)\n"),
        "{}",
        o.stderr
    );
    assert!(!o.record.iter().any(|l| l.starts_with("kubeadm")));
}

#[test]
fn a_failing_kubeadm_stops_the_boot_and_no_pod_cidr_is_written() {
    let Some(o) = run(Scenario {
        fail: Some("kubeadm"),
        ..Scenario::node()
    }) else {
        return;
    };
    assert!(!o.ok);
    assert!(
        o.stderr
            .ends_with("kops6: stopped in step kubeadm (exit 1)\n"),
        "{}",
        o.stderr
    );
    assert!(!o.record.iter().any(|l| l.contains(" patch ")));
}

#[test]
fn a_failing_package_install_stops_the_boot() {
    let Some(o) = run(Scenario {
        fail: Some("apt-get"),
        ..Scenario::node()
    }) else {
        return;
    };
    assert!(!o.ok);
    assert!(
        o.stderr
            .ends_with("kops6: stopped in step packages (exit 1)\n"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_different_pod_cidr_already_on_the_node_is_an_error_not_overwritten() {
    let Some(o) = run(Scenario {
        existing_pod_cidr: Some("2001:db8:9::/80"),
        ..Scenario::node()
    }) else {
        return;
    };
    assert!(!o.ok);
    assert!(o.stderr.contains(&format!("FAILED: node {HOSTNAME} already has podCIDR 2001:db8:9::/80, not this interface's {PREFIX}")), "{}", o.stderr);
    assert!(!o.record.iter().any(|l| l.contains(" patch ")));
}

#[test]
fn a_remote_addon_whose_checksum_differs_is_not_applied() {
    let Some(o) = run(Scenario {
        tamper_remote_addon: true,
        ..Scenario::first_control_plane()
    }) else {
        return;
    };
    assert!(!o.ok);
    assert!(
        o.stderr.contains("does not have the pinned SHA-256"),
        "{}",
        o.stderr
    );
    assert!(!o.record.iter().any(|l| l.ends_with("/crds.yaml")));
}

#[test]
fn cni_host_local_hands_a_pod_an_address_from_the_nodes_80() {
    if tool("ip").is_none() || !Path::new("/usr/lib/cni/ptp").exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "containernetworking-plugins is not installed"
        );
        eprintln!("SKIPPED: containernetworking-plugins is not installed");
        return;
    }
    let Some(node) = Netns::new("node") else {
        return;
    };
    let Some(pod) = Netns::new("pod") else { return };
    let dir = tempfile::tempdir().unwrap();
    // Calico's IPv6 CNI config uses host-local over the node's podCIDR; ptp stands in for the
    // calico plugin (same IPAM), so the range handed out is the one that matters.
    let conf = json!({
        "cniVersion": "0.4.0", "name": "kops6-test", "type": "ptp",
        "ipam": {"type": "host-local", "ranges": [[{"subnet": PREFIX}]], "routes": [{"dst": "::/0"}],
                 "dataDir": dir.path().join("ipam")},
    });
    let cni = |command: &str| {
        let mut c = node.cmd("/usr/lib/cni/ptp");
        c.env("CNI_COMMAND", command)
            .env("CNI_CONTAINERID", "kops6-test-pod")
            .env("CNI_NETNS", format!("/var/run/netns/{}", pod.0))
            .env("CNI_IFNAME", "eth0")
            .env("CNI_PATH", "/usr/lib/cni")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(conf.to_string().as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let add = cni("ADD");
    assert!(
        add.status.success(),
        "{}{}",
        String::from_utf8_lossy(&add.stdout),
        String::from_utf8_lossy(&add.stderr)
    );
    let result: Value = serde_json::from_slice(&add.stdout).unwrap();
    let address = result["ips"][0]["address"].as_str().unwrap().to_string();
    let (ip, len) = address.split_once('/').unwrap();
    assert_eq!(len, "80");
    let net: ipnet::Ipv6Net = PREFIX.parse().unwrap();
    assert!(
        net.contains(&ip.parse::<std::net::Ipv6Addr>().unwrap()),
        "{address} is outside {PREFIX}"
    );
    let shown = Command::new("ip")
        .args(["-n", &pod.0, "-6", "addr", "show", "dev", "eth0"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&shown.stdout).contains(&address),
        "{}",
        String::from_utf8_lossy(&shown.stdout)
    );
    let del = cni("DEL");
    assert!(
        del.status.success(),
        "{}",
        String::from_utf8_lossy(&del.stderr)
    );
}

#[test]
fn another_control_plane_group_waits_for_the_api_and_joins_as_control_plane() {
    let Some(o) = run(Scenario {
        group: "control-plane-us-east-1b",
        prefix_after_assign: false,
        ..Scenario::node()
    }) else {
        return;
    };
    assert!(o.ok, "{}", o.stderr);
    let r = o.r();
    assert!(o.ran(&format!(
        "kubeadm join --config {r}/etc/kops6/kubeadm-join.yaml"
    )));
    let join = o.kubeadm_config.clone().unwrap();
    assert!(
        join.contains("controlPlane:\n  localAPIEndpoint:"),
        "{join}"
    );
    assert!(!o
        .record
        .iter()
        .any(|l| l.starts_with("kubeadm init") || l.contains(" apply ")));
    assert!(o
        .s3_paths()
        .iter()
        .any(|p| p.ends_with("pki/private/etcd-ca/ca.key")));
}

#[test]
fn a_replaced_first_control_plane_in_an_ha_cluster_joins_and_moves_the_old_member_aside() {
    let Some(o) = run(Scenario {
        api_up: true,
        etcd_data: true,
        ..Scenario::first_control_plane()
    }) else {
        return;
    };
    assert!(o.ok, "{}", o.stderr);
    let r = o.r();
    assert!(
        o.ran(&format!(
            "kubeadm join --config {r}/etc/kops6/kubeadm-join.yaml"
        )),
        "{:#?}",
        o.record
    );
    assert!(!o
        .record
        .iter()
        .any(|l| l.starts_with("kubeadm init") || l.starts_with("mkfs")));
    assert!(o
        .root
        .path()
        .join("var/lib/etcd/member.replaced/snap")
        .is_dir());
    assert!(!o.root.path().join("var/lib/etcd/member").exists());
}

#[test]
fn the_only_control_plane_coming_back_on_its_volume_inits_from_the_etcd_data() {
    let Some(o) = run(Scenario {
        etcd_data: true,
        ..Scenario::first_control_plane()
    }) else {
        return;
    };
    assert!(o.ok, "{}", o.stderr);
    let r = o.r();
    assert!(o.ran(&format!("kubeadm init --config {r}/etc/kops6/kubeadm-init.yaml --ignore-preflight-errors=DirAvailable--var-lib-etcd")), "{:#?}", o.record);
    assert!(o
        .stderr
        .contains("kops6: restarting the cluster from the etcd data on the volume"));
    assert!(
        !o.record.iter().any(|l| l.starts_with("mkfs")),
        "a formatted volume is never reformatted"
    );
    assert!(o.root.path().join("var/lib/etcd/member/snap").is_dir());
}

#[test]
fn a_worker_reads_its_join_credential_from_motos_s3_with_curl_sigv4() {
    if std::process::Command::new("python3")
        .args(["-c", "import moto, boto3"])
        .status()
        .map(|s| !s.success())
        .unwrap_or(true)
    {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "moto is not installed; scripts/test installs it"
        );
        eprintln!("SKIPPED: moto is not installed");
        return;
    }
    let Some(o) = run(Scenario {
        moto_s3: true,
        ..Scenario::node()
    }) else {
        return;
    };
    assert!(o.ok, "{}", o.stderr);
    assert_eq!(
        o.s3_paths(),
        Vec::<String>::new(),
        "nothing was read from the mock"
    );
    let got = std::fs::read_to_string(o.root.path().join("etc/kops6/secrets/bootstrap-kubeconfig"))
        .unwrap();
    assert_eq!(
        got,
        STORED_KUBECONFIG.replace(
            "https://api-load-balancer.kops6.invalid:443",
            &format!("https://[{API_HOST}]:443")
        ),
        "the discovery kubeconfig names the user data's API name"
    );
    assert!(o.ran(&patch_line(&o.r())));
}
