//! What the commands that take a spec say about its fields (docs/api-fields.md): one warning
//! line per field kops6 stores without acting on, a refusal naming each field it does not
//! implement, one error naming `spec.cloudProvider` for another cloud, and kOps' Terraform
//! addresses for the network. No AWS: a file state store and `--target terraform`.

use std::path::{Path, PathBuf};

mod cli;
use cli::kops6;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../kops6-api/tests/fixtures/api")
        .join(name)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn store() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = format!("file://{}/state", dir.path().display());
    (dir, state)
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

const CILIUM_WARNINGS: [&str; 3] = [
    "stored, not acted on by kops6: spec.certManager",
    "stored, not acted on by kops6: spec.metricsServer",
    "stored, not acted on by kops6: InstanceGroup \"nodes\": spec.cpuCredits",
];

#[test]
fn create_replace_and_update_print_one_line_per_stored_only_field() {
    let (_dir, state) = store();
    let file = fixture("aws-ipv6-allocated-cilium.yaml");
    let runs: [Vec<&str>; 3] = [
        vec!["create", "-f", path_str(&file)],
        vec!["replace", "-f", path_str(&file)],
        vec!["update", "cluster", "minimal-ipv6.example.com", "--offline"],
    ];
    for args in runs {
        let out = kops6(&state, &args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let stderr = text(&out.stderr);
        let mut lines: Vec<&str> = stderr.lines().collect();
        if args[0] == "update" {
            // --offline also says why the launch templates have no user data (no DNS zone).
            let note = lines.pop().unwrap_or_default();
            assert!(
                note.starts_with(
                    "Launch templates have no user data here: the cluster has no DNS zone"
                ),
                "{note}"
            );
        }
        assert_eq!(lines, CILIUM_WARNINGS, "{args:?}");
    }
}

#[test]
fn a_field_kops6_does_not_implement_is_refused_by_name_and_nothing_is_saved() {
    let (dir, state) = store();
    let spec = std::fs::read_to_string(fixture("aws-ipv6-shared-vpc.yaml")).expect("fixture");
    let spec = spec.replacen(
        "  cloudProvider: aws\n",
        "  additionalPolicies:\n    node: '[]'\n  cloudProvider: aws\n",
        1,
    );
    let file = dir.path().join("refused.yaml");
    std::fs::write(&file, spec).expect("write");
    let out = kops6(&state, &["create", "-f", path_str(&file)]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("spec.additionalPolicies"), "{stderr}");
    assert!(stderr.contains("not implemented by kops6"), "{stderr}");
    let get = kops6(&state, &["get", "cluster", "minimal-ipv6.example.com"]);
    assert!(!get.status.success(), "the refused cluster was saved");
}

#[test]
fn another_clouds_spec_is_refused_naming_cloud_provider() {
    let (_dir, state) = store();
    let out = kops6(
        &state,
        &["create", "-f", path_str(&fixture("other-cloud-gce.yaml"))],
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("1 problem"), "{stderr}");
    assert!(stderr.contains("spec.cloudProvider"), "{stderr}");
    assert!(stderr.contains("AWS only"), "{stderr}");
}

#[test]
fn terraform_target_writes_kops_addresses_for_routes_and_associations() {
    let (dir, state) = store();
    let file = fixture("aws-ipv6-two-zones.yaml");
    let out = kops6(&state, &["create", "-f", path_str(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let tf_dir = dir.path().join("tf");
    let out = kops6(
        &state,
        &[
            "update",
            "cluster",
            "minimal-ipv6.example.com",
            "--target",
            "terraform",
            "--out",
            path_str(&tf_dir),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let tf = std::fs::read_to_string(tf_dir.join("kubernetes.tf")).expect("kubernetes.tf");
    for address in [
        r#"resource "aws_route" "route-0-0-0-0--0""#,
        r#"resource "aws_route" "route-__--0""#,
        r#"resource "aws_route" "route-private-us-test-1a-64_ff9b__--96""#,
        r#"resource "aws_route" "route-private-us-test-1b-__--0""#,
        r#"resource "aws_route_table_association" "private-dualstack-us-test-1a-minimal-ipv6-example-com""#,
        r#"resource "aws_route_table_association" "private-us-test-1b-minimal-ipv6-example-com""#,
        r#"resource "aws_route_table_association" "utility-us-test-1a-minimal-ipv6-example-com""#,
    ] {
        assert!(tf.contains(address), "{address} missing");
    }
}
