//! The test bed for the direct-to-AWS tests: moto on loopback, a counting (and, when asked,
//! failing) proxy in front of it, an `s3://` state store in moto (a real cluster needs one:
//! its nodes read their PKI from it), and the kops6 binary pointed at them.
#![allow(dead_code)]

use std::process::Output;

use assert_cmd::Command;
use kops6_testsupport::network::*;
use kops6_testsupport::{aws, Moto, Proxy};
use serde_json::Value;

/// Direct apply leaves out the kinds it cannot create yet (launch templates, autoscaling
/// groups, DNS records until their modules land) only when told to; the tests say so.
pub const LEAVE_OUT: &str = "--leave-out-unsupported";

/// The state store's bucket in moto, and the store's URL.
pub const BUCKET: &str = "kops6-state";
pub const S3_STATE: &str = "s3://kops6-state/clusters";

/// moto, a counting proxy in front of it, and an `s3://` state store in moto.
pub struct Bed {
    pub moto: Moto,
    pub proxy: Proxy,
    pub dir: tempfile::TempDir,
    pub state: String,
}

impl Bed {
    /// A bed whose proxy fails a `fault_rate` share of requests (0.0: none).
    pub fn with_faults(fault_rate: f64, seed: u64) -> Bed {
        Self::with_proxy(|moto| Proxy::start(&moto.endpoint(), fault_rate, seed))
    }

    /// A bed whose proxy answers every request `delay` later, like a round trip to AWS.
    pub fn with_latency(delay: std::time::Duration) -> Bed {
        Self::with_proxy(|moto| Proxy::start_with_delay(&moto.endpoint(), 0.0, 1, delay))
    }

    fn with_proxy(proxy: impl FnOnce(&Moto) -> Proxy) -> Bed {
        let moto = Moto::start();
        let proxy = proxy(&moto);
        let dir = tempfile::tempdir().expect("temp dir");
        aws(&moto.endpoint(), &["bucket", "--name", BUCKET]);
        let state = S3_STATE.to_string();
        Bed {
            moto,
            proxy,
            dir,
            state,
        }
    }

    pub fn new() -> Bed {
        Self::with_faults(0.0, 1)
    }

    /// The kops6 command with the bed's state store and AWS settings.
    pub fn command(&self) -> Command {
        let mut c = Command::cargo_bin("kops6").expect("kops6 binary");
        c.arg("--state")
            .arg(&self.state)
            .env("AWS_ENDPOINT_URL", self.proxy.endpoint())
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE");
        c
    }

    /// The kops6 command as a plain [`std::process::Command`], with the same state store and
    /// AWS settings as [`Bed::command`], for tests that spawn it and watch or kill it.
    pub fn std_command(&self) -> std::process::Command {
        self.std_command_with_endpoint(&self.proxy.endpoint())
    }

    /// Like [`Bed::std_command`], with AWS requests going to `endpoint` instead of the proxy.
    pub fn std_command_with_endpoint(&self, endpoint: &str) -> std::process::Command {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_kops6"));
        c.arg("--state")
            .arg(&self.state)
            .env("AWS_ENDPOINT_URL", endpoint)
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command()
            .args(args)
            .timeout(std::time::Duration::from_secs(600))
            .output()
            .expect("kops6 runs")
    }

    /// Runs kops6 and returns stdout; panics with stderr unless it succeeds.
    pub fn kops6(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "kops6 {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs kops6 expecting failure; returns stderr.
    pub fn kops6_fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "kops6 {args:?} should fail:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// A `file://` state store instead of the bucket.
    pub fn use_file_store(&mut self) {
        self.state = format!("file://{}/state", self.dir.path().display());
    }

    /// Every object of the cluster in the state store's bucket, as text, by key.
    pub fn state_objects(&self) -> std::collections::BTreeMap<String, String> {
        let v = self.aws(&[
            "s3-objects",
            "--bucket",
            BUCKET,
            "--prefix",
            &format!("clusters/{C}/"),
        ]);
        serde_json::from_value(v).expect("objects")
    }

    pub fn aws(&self, args: &[&str]) -> Value {
        aws(&self.moto.endpoint(), args)
    }

    /// `update --yes`, then the network of the VPC the cluster uses.
    pub fn apply(&self, vpc: Option<&str>) -> Value {
        self.kops6(&["update", "cluster", C, "--yes", LEAVE_OUT]);
        let vpc = match vpc {
            Some(v) => v.to_string(),
            None => self.aws(&["owned", "--cluster", C])["vpcs"][0]
                .as_str()
                .expect("one owned VPC")
                .to_string(),
        };
        self.aws(&["network", "--vpc-id", &vpc])
    }

    /// A second apply reports no changes and makes no mutating call.
    pub fn assert_second_apply_is_a_no_op(&self) {
        self.proxy.reset();
        let out = self.kops6(&["update", "cluster", C, "--yes", LEAVE_OUT]);
        assert!(out.contains("No changes"), "{out}");
        assert_eq!(
            self.proxy.mutating_calls(),
            Vec::<String>::new(),
            "a no-op apply must not change anything"
        );
        let preview = self.kops6(&["update", "cluster", C]);
        assert!(preview.contains("No changes"), "{preview}");
    }

    /// Nothing tagged as owned by the cluster is left.
    pub fn assert_nothing_owned(&self) {
        let owned = self.aws(&["owned", "--cluster", C]);
        for (kind, ids) in owned.as_object().expect("object") {
            assert_eq!(
                ids.as_array().map(Vec::len),
                Some(0),
                "{kind} left behind: {ids}"
            );
        }
    }
}

/// `create cluster --ipv6 --networking calico` in the given zones, with extra flags.
pub fn create_ipv6(bed: &Bed, zones: &str, extra: &[&str]) {
    let mut args = vec![
        "create",
        "cluster",
        "--name",
        C,
        "--zones",
        zones,
        "--ipv6",
        "--networking",
        "calico",
        "--kubernetes-version",
        "v1.35.0",
    ];
    args.extend_from_slice(extra);
    bed.kops6(&args);
}
