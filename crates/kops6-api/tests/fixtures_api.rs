//! kops6's own fixtures of the v1alpha2 API (`tests/fixtures/api/`): together they use every
//! field of kOps' Cluster and InstanceGroup API. Each loads, writes back with the same meaning
//! and stable bytes, and reports exactly its stored-only, refused and ignored fields (the
//! snapshots). Every other cloud's spec is refused with one error naming `spec.cloudProvider`.

mod common;

use std::collections::BTreeSet;

use common::fields_of;
use kops6_api::support::review;
use kops6_api::types::{ClusterSpec, InstanceGroupSpec};
use kops6_api::validate::ValidationContext;
use kops6_api::{parse_documents, write_documents, ClusterSpecSet, Document, Format};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/api");

fn fixtures() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(DIR)
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().to_string();
            (name, std::fs::read_to_string(&p).expect("read fixture"))
        })
        .collect();
    out.sort();
    assert!(out.len() >= 10, "fixtures missing from {DIR}");
    out
}

fn load(name: &str, text: &str) -> Vec<Document> {
    parse_documents(text).unwrap_or_else(|e| panic!("{name} does not load: {e}"))
}

fn set_of(name: &str, text: &str) -> ClusterSpecSet {
    ClusterSpecSet::from_documents(load(name, text))
        .unwrap_or_else(|e| panic!("{name} is not one cluster: {e}"))
}

/// Each document as a plain value, the way the YAML reads before any typing, with the one
/// spelling v1alpha2 has two of made one: the role `ControlPlane` is written `Master`.
fn values(text: &str) -> Vec<serde_json::Value> {
    serde_saphyr::from_multiple::<serde_json::Value>(text)
        .expect("YAML")
        .into_iter()
        .filter(|v| !v.is_null())
        .map(|mut v| {
            same_role_spelling(&mut v, false);
            v
        })
        .collect()
}

fn same_role_spelling(v: &mut serde_json::Value, in_role: bool) {
    match v {
        serde_json::Value::String(s) if in_role && s == "ControlPlane" => *s = "Master".into(),
        serde_json::Value::Array(items) => items
            .iter_mut()
            .for_each(|i| same_role_spelling(i, in_role)),
        serde_json::Value::Object(map) => map
            .iter_mut()
            .for_each(|(k, i)| same_role_spelling(i, k == "role" || k == "roles")),
        _ => {}
    }
}

#[test]
fn every_fixture_writes_back_every_field_with_the_same_meaning() {
    for (name, text) in fixtures() {
        let docs = load(&name, &text);
        let written = write_documents(&docs, Format::Yaml).expect("writes");
        assert_eq!(
            values(&written),
            values(&text),
            "{name}: a field was lost or changed on the way back"
        );
    }
}

#[test]
fn every_fixture_writes_stable_bytes() {
    for (name, text) in fixtures() {
        let docs = load(&name, &text);
        let once = write_documents(&docs, Format::Yaml).expect("writes");
        let again = load(&name, &once);
        assert_eq!(again, docs, "{name}: reading back gives other documents");
        assert_eq!(
            write_documents(&again, Format::Yaml).expect("writes"),
            once,
            "{name}: bytes differ on the second write"
        );
    }
}

#[test]
fn the_every_field_fixture_sets_every_field_of_both_specs() {
    let (_, text) = fixtures()
        .into_iter()
        .find(|(n, _)| n == "every-field")
        .expect("every-field fixture");
    let docs = values(&text);
    let keys = |i: usize| -> BTreeSet<&str> {
        docs[i]["spec"]
            .as_object()
            .expect("spec")
            .keys()
            .map(String::as_str)
            .collect()
    };
    assert_eq!(keys(0), fields_of::<ClusterSpec>());
    assert_eq!(keys(1), fields_of::<InstanceGroupSpec>());
}

#[test]
fn other_clouds_are_refused_with_one_error_naming_cloud_provider() {
    for (name, text) in fixtures() {
        let Some(cloud) = name.strip_prefix("other-cloud-") else {
            continue;
        };
        let errors = set_of(&name, &text)
            .check(&ValidationContext::default())
            .expect_err("another cloud is refused")
            .0;
        assert_eq!(errors.len(), 1, "{name}: {errors:?}");
        assert_eq!(errors[0].path, "spec.cloudProvider");
        assert!(
            errors[0].message.contains(cloud) && errors[0].message.contains("AWS only"),
            "{}",
            errors[0].message
        );
    }
}

#[test]
fn aws_fixtures_are_valid_and_refuse_nothing() {
    for (name, text) in fixtures() {
        if !name.starts_with("aws-") {
            continue;
        }
        let set = set_of(&name, &text);
        set.check(&ValidationContext::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(review(&set.cluster, &set.instance_groups).refused, []);
    }
}

/// What `create -f`, `replace -f` and `update cluster` print or refuse for each fixture.
#[test]
fn every_fixture_reports_exactly_its_warnings_and_refusals() {
    for (name, text) in fixtures() {
        let set = set_of(&name, &text);
        let review = review(&set.cluster, &set.instance_groups);
        let mut report = String::from("warnings:\n");
        for w in review.warnings() {
            report.push_str(&format!("  {w}\n"));
        }
        report.push_str("refused:\n");
        for r in &review.refused {
            report.push_str(&format!("  {r}\n"));
        }
        insta::assert_snapshot!(name.clone(), report);
    }
}
