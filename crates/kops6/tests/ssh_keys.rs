//! The admin SSH public key (SPEC 7): `create cluster --ssh-public-key FILE`,
//! `create sshpublickey CLUSTER -i FILE`, `get sshpublickeys CLUSTER`,
//! `delete sshpublickey CLUSTER`, kept at `<C>/pki/ssh/public/admin/<id>` as kOps keeps it, and
//! the key pair `kubernetes.<C>-<fingerprint>` it gives in `kubernetes.tf`. No AWS involved.

use std::path::Path;

mod cli;
use cli::{kops6, ok};

const NAME: &str = "ipv6.example.com";
const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIQwK1dGq1bieOaTQjNMCz/eFc1FnKZ9QnNO+j70v8Ld test@kops6\n";
/// `ssh-keygen -l -E md5` of KEY, without colons.
const ID: &str = "26b0a55451d87825d79ff48c6fe1af63";
const FINGERPRINT: &str = "26:b0:a5:54:51:d8:78:25:d7:9f:f4:8c:6f:e1:af:63";

fn fails(state: &str, args: &[&str]) -> String {
    let out = kops6(state, args);
    assert_eq!(out.status.code(), Some(1), "kops6 {args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn create_args(key: &str) -> Vec<&str> {
    vec![
        "create",
        "cluster",
        "--name",
        NAME,
        "--zones",
        "us-east-1a",
        "--ipv6",
        "--ssh-public-key",
        key,
    ]
}

fn setup() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let state = format!("file://{}/state", dir.path().display());
    let key = dir.path().join("id.pub");
    std::fs::write(&key, KEY).unwrap();
    let key = key.to_str().unwrap().to_string();
    (dir, state, key)
}

fn stored(dir: &Path, id: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(format!("state/{NAME}/pki/ssh/public/admin/{id}"))).ok()
}

#[test]
fn create_cluster_keeps_the_key_where_kops_keeps_it() {
    let (dir, state, key) = setup();
    ok(&state, &create_args(&key));
    assert_eq!(
        stored(dir.path(), ID).as_deref(),
        Some(KEY.rsplit_once(' ').unwrap().0)
            .map(|k| format!("{k}\n"))
            .as_deref()
    );
    let table = ok(&state, &["get", "sshpublickeys", NAME]);
    assert!(table.contains(ID) && table.contains(FINGERPRINT), "{table}");
    assert!(
        table.contains(&format!("kubernetes.{NAME}-{FINGERPRINT}")),
        "{table}"
    );
}

#[test]
fn the_key_becomes_the_key_pair_in_kubernetes_tf() {
    let (dir, state, key) = setup();
    ok(&state, &create_args(&key));
    let out = dir.path().join("tf");
    ok(
        &state,
        &[
            "update",
            "cluster",
            NAME,
            "--target",
            "terraform",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let tf = std::fs::read_to_string(out.join("kubernetes.tf")).unwrap();
    assert!(
        tf.contains(&format!("key_name = \"kubernetes.{NAME}-{FINGERPRINT}\"")),
        "{tf}"
    );
    let data = std::fs::read_to_string(out.join(format!(
        "data/aws_key_pair_kubernetes.{NAME}-{ID}_public_key"
    )))
    .unwrap();
    assert_eq!(data, KEY.rsplit_once(' ').unwrap().0);
}

#[test]
fn create_sshpublickey_replaces_the_key_and_delete_removes_it() {
    let (dir, state, key) = setup();
    ok(
        &state,
        &[
            "create",
            "cluster",
            "--name",
            NAME,
            "--zones",
            "us-east-1a",
            "--ipv6",
        ],
    );
    assert!(ok(&state, &["get", "sshpublickeys", NAME]).contains("No SSH public key"));
    ok(&state, &["create", "sshpublickey", NAME, "-i", &key]);
    assert!(stored(dir.path(), ID).is_some());
    let other = dir.path().join("other.pub");
    std::fs::write(
        &other,
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl other\n",
    )
    .unwrap();
    ok(
        &state,
        &[
            "create",
            "sshpublickey",
            NAME,
            "-i",
            other.to_str().unwrap(),
        ],
    );
    assert!(stored(dir.path(), ID).is_none(), "the old key is replaced");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&state, &["get", "sshpublickeys", NAME, "-o", "json"])).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(1));
    let said = ok(&state, &["delete", "sshpublickey", NAME]);
    assert!(said.contains("Deleted SSH public key"), "{said}");
    assert!(ok(&state, &["get", "sshpublickeys", NAME]).contains("No SSH public key"));
}

#[test]
fn an_unreadable_key_file_is_an_error_naming_the_flag_and_nothing_is_saved() {
    let (dir, state, _) = setup();
    let missing = dir.path().join("missing.pub");
    let err = fails(&state, &create_args(missing.to_str().unwrap()));
    assert!(
        err.contains("--ssh-public-key") && err.contains("cannot read the file"),
        "{err}"
    );
    assert!(
        ok(&state, &["get", "clusters"]).contains("No clusters"),
        "nothing saved"
    );
}

#[test]
fn a_malformed_key_file_is_an_error_naming_the_flag() {
    let (dir, state, _) = setup();
    let private = dir.path().join("id");
    std::fs::write(&private, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA=\n-----END OPENSSH PRIVATE KEY-----\n").unwrap();
    let err = fails(&state, &create_args(private.to_str().unwrap()));
    assert!(
        err.contains("--ssh-public-key") && err.contains("is a private key"),
        "{err}"
    );
    ok(
        &state,
        &[
            "create",
            "cluster",
            "--name",
            NAME,
            "--zones",
            "us-east-1a",
            "--ipv6",
        ],
    );
    let bad = dir.path().join("bad.pub");
    std::fs::write(&bad, "ssh-rsa not-base64!\n").unwrap();
    let err = fails(
        &state,
        &["create", "sshpublickey", NAME, "-i", bad.to_str().unwrap()],
    );
    assert!(
        err.contains("-i/--ssh-public-key") && err.contains("not valid base64"),
        "{err}"
    );
}

#[test]
fn ssh_key_commands_need_an_existing_cluster() {
    let (_dir, state, key) = setup();
    let err = fails(
        &state,
        &["create", "sshpublickey", "nope.example.com", "-i", &key],
    );
    assert!(err.contains("nope.example.com"), "{err}");
}
