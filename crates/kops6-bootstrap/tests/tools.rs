//! Rendered artefacts checked by the real tools (`scripts/test` installs them): Debian's
//! `cloud-init schema`, `shellcheck`, and PyPI's kubernetes-validate (its Python API, strict:
//! the CLI exits 0 for kinds it has no schema for).

mod common;

use std::process::Command;

use common::*;

#[test]
fn every_groups_user_data_passes_cloud_init_schema() {
    let Some(cloud_init) = tool("cloud-init") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for cni in ["calico", "cilium", "cni"] {
        for g in every_rendering(cni).into_iter().flat_map(|b| b.groups) {
            let path = dir.path().join(format!("{}-{cni}.yaml", g.instance_group));
            std::fs::write(&path, &g.user_data).unwrap();
            let out = Command::new(&cloud_init)
                .args(["schema", "--config-file"])
                .arg(&path)
                .output()
                .unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.status.success(), "{}: {text}", g.instance_group);
            assert!(text.contains("Valid cloud-config"), "{text}");
        }
    }
}

#[test]
fn cloud_init_schema_rejects_a_broken_user_data() {
    // The check can fail: a write_files entry without a path is refused.
    let Some(cloud_init) = tool("cloud-init") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    let b = render("calico");
    let bad = group(&b, "nodes-us-east-1a").replace(
        "- path: /etc/kops6/bootstrap.env\n",
        "- pth: /etc/kops6/bootstrap.env\n",
    );
    std::fs::write(&path, bad).unwrap();
    let out = Command::new(cloud_init)
        .args(["schema", "--config-file"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
}

fn shellcheck(script: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("script.sh");
    std::fs::write(&path, script).unwrap();
    let out = Command::new("shellcheck")
        .args(["-s", "sh", "-f", "gcc"])
        .arg(&path)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn the_prelude_and_every_runcmd_pass_shellcheck() {
    if tool("shellcheck").is_none() {
        return;
    }
    let (ok, out) = shellcheck(kops6_bootstrap::PRELUDE);
    assert!(ok, "{out}");
    for g in every_rendering("calico").into_iter().flat_map(|b| b.groups) {
        let v = parse_user_data(&g.user_data);
        let lines: Vec<String> = v["runcmd"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| match c {
                serde_json::Value::Array(words) => words
                    .iter()
                    .map(|w| w.as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
                other => other.as_str().unwrap().to_string(),
            })
            .collect();
        let (ok, out) = shellcheck(&format!("#!/bin/sh\n{}\n", lines.join("\n")));
        assert!(ok, "{}: {out}", g.instance_group);
        // Every shell script the user data writes, too.
        for f in v["write_files"].as_array().unwrap() {
            let content = f["content"].as_str().unwrap();
            if content.starts_with("#!/bin/sh") {
                let (ok, out) = shellcheck(content);
                assert!(ok, "{}: {out}", f["path"]);
            }
        }
    }
    let (ok, _) = shellcheck("#!/bin/sh\necho $1\n");
    assert!(!ok, "shellcheck must flag an unquoted expansion");
}

const VALIDATE: &str = r#"
import sys, yaml, kubernetes_validate
version, path = sys.argv[1], sys.argv[2]
failed = 0
count = 0
for obj in yaml.safe_load_all(open(path)):
    count += 1
    try:
        kubernetes_validate.validate(obj, version, strict=True)
    except Exception as e:
        failed += 1
        print(f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}: {e}")
print(f"validated {count}")
sys.exit(1 if failed else 0)
"#;

fn validate(version: &str, yaml: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.yaml");
    std::fs::write(&path, yaml).unwrap();
    let python = "python3"; // where scripts/test installs kubernetes-validate
    let out = Command::new(python)
        .args(["-c", VALIDATE, version])
        .arg(&path)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn have_kubernetes_validate() -> bool {
    let python = "python3"; // where scripts/test installs kubernetes-validate
    let ok = Command::new(python)
        .args(["-c", "import kubernetes_validate"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "kubernetes-validate is not installed; scripts/test installs it"
        );
        eprintln!("SKIPPED: kubernetes-validate is not installed (scripts/test installs it)");
    }
    ok
}

#[test]
fn every_addon_object_passes_kubernetes_validate_strict_for_each_supported_version() {
    if !have_kubernetes_validate() {
        return;
    }
    for cni in ["calico", "cilium", "cni"] {
        for m in render(cni).addons {
            for version in ["1.33.0", "1.35.0"] {
                let (ok, out) = validate(version, &m.yaml);
                assert!(ok, "{} ({cni}, {version}): {out}", m.name);
            }
        }
    }
}

#[test]
fn kubernetes_validate_strict_rejects_an_unknown_field() {
    if !have_kubernetes_validate() {
        return;
    }
    let b = render("calico");
    let m = b.addons.iter().find(|m| m.name == "coredns").unwrap();
    let bad = m
        .yaml
        .replace("  replicas: 2\n", "  replicas: 2\n  replica: 2\n");
    assert_ne!(bad, m.yaml);
    let (ok, out) = validate("1.35.0", &bad);
    assert!(!ok, "{out}");
}
