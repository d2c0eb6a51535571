//! Reading and writing v1alpha2 documents (SPEC 1.7): kOps-written specs load, print back
//! stably, and anything kops6 does not understand fails with the path of what it did not
//! understand.

use kops6_api::types::*;
use kops6_api::{parse_documents, write_documents, ClusterSpecSet, Document, Format, ParseError};

const FIXTURE: &str = include_str!("fixtures/kops-written-ipv6.yaml");

fn parse(text: &str) -> Vec<Document> {
    parse_documents(text).unwrap_or_else(|e| panic!("should parse: {e}\n{text}"))
}

fn yaml(docs: &[Document]) -> String {
    write_documents(docs, Format::Yaml).unwrap()
}

/// `text` with `from` replaced by `to`, exactly once.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

/// The field error of a text that must not parse: (document, kind, path, message).
#[track_caller]
fn field_error(text: &str) -> (usize, Option<String>, String, String) {
    match parse_documents(text) {
        Err(ParseError::Field {
            document,
            kind,
            path,
            message,
        }) => (document, kind, path, message),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[track_caller]
fn assert_field_error(text: &str, document: usize, kind: Option<&str>, path: &str) -> String {
    let (d, k, p, message) = field_error(text);
    assert_eq!(
        (d, k.as_deref(), p.as_str()),
        (document, kind, path),
        "message: {message}"
    );
    message
}

fn cluster(docs: &[Document]) -> &Cluster {
    match &docs[0] {
        Document::Cluster(c) => c,
        other => panic!("expected the Cluster first, got {}", other.kind()),
    }
}

// ---------------------------------------------------------------------------------------------
// A kOps-written spec

#[test]
fn kops_written_spec_loads() {
    let docs = parse(FIXTURE);
    assert_eq!(docs.len(), 2);
    assert_eq!(
        docs.iter()
            .map(|d| (d.kind(), d.name()))
            .collect::<Vec<_>>(),
        [
            ("Cluster", "minimal-ipv6.example.com"),
            ("InstanceGroup", "control-plane-us-test-1a")
        ]
    );
    let c = cluster(&docs);
    assert!(c.spec.is_ipv6());
    assert_eq!(
        c.metadata.creation_timestamp.as_deref(),
        Some("2024-01-01T00:00:00Z")
    );
    let subnets: Vec<(String, SubnetType, Option<String>, Option<String>)> = c
        .spec
        .subnets
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.subnet_type,
                s.cidr.map(|x| x.to_string()),
                s.ipv6_cidr.map(|x| x.to_string()),
            )
        })
        .collect();
    assert_eq!(
        subnets,
        [
            (
                "us-test-1a".into(),
                SubnetType::Private,
                None,
                Some("/64#0".into())
            ),
            (
                "dualstack-us-test-1a".into(),
                SubnetType::DualStack,
                Some("172.20.64.0/18".into()),
                Some("/64#1".into())
            ),
            (
                "utility-us-test-1a".into(),
                SubnetType::Utility,
                Some("172.20.0.0/21".into()),
                Some("/64#2".into())
            ),
        ]
    );
}

#[test]
fn kops_written_spec_prints_back_to_the_same_meaning() {
    let docs = parse(FIXTURE);
    let written = yaml(&docs);
    let again = parse(&written);
    assert_eq!(again, docs);
}

#[test]
fn kops_written_spec_prints_back_field_for_field() {
    // As plain YAML trees, too: nothing is dropped, added or changed on the way through.
    let original = yaml_trees(FIXTURE);
    let written = yaml_trees(&yaml(&parse(FIXTURE)));
    assert_eq!(written, original);
}

/// The non-empty documents of a YAML stream as generic trees, independent of kops6's types.
fn yaml_trees(text: &str) -> Vec<serde_json::Value> {
    let values: Vec<serde_json::Value> = serde_saphyr::from_multiple(text).unwrap();
    values.into_iter().filter(|v| !v.is_null()).collect()
}

#[test]
fn output_is_byte_stable() {
    let docs = parse(FIXTURE);
    let first = yaml(&docs);
    let second = yaml(&docs);
    assert_eq!(first, second);
    // And a second trip through the parser changes nothing either.
    assert_eq!(yaml(&parse(&first)), first);
    let json = write_documents(&docs, Format::Json).unwrap();
    assert_eq!(write_documents(&docs, Format::Json).unwrap(), json);
}

#[test]
fn kops_written_spec_groups_into_a_spec_set() {
    let set = ClusterSpecSet::from_documents(parse(FIXTURE)).unwrap();
    assert_eq!(set.name(), "minimal-ipv6.example.com");
    assert_eq!(set.instance_groups.len(), 1);
}

#[test]
fn legacy_api_version_spelling_is_read_and_written_canonically() {
    let text = FIXTURE.replace(
        "apiVersion: kops.k8s.io/v1alpha2",
        "apiVersion: kops/v1alpha2",
    );
    let docs = parse(&text);
    assert_eq!(docs, parse(FIXTURE));
    assert!(yaml(&docs).starts_with("apiVersion: kops.k8s.io/v1alpha2\n"));
}

// ---------------------------------------------------------------------------------------------
// Unknown fields fail loudly, naming the field (SPEC 1.7)

#[test]
fn unknown_top_level_field_is_named() {
    let text = edit(FIXTURE, "kind: Cluster\n", "kind: Cluster\nbogus: 1\n");
    let message = assert_field_error(&text, 0, Some("Cluster"), "bogus");
    assert!(message.contains("bogus"), "{message}");
}

#[test]
fn unknown_metadata_field_is_named() {
    let text = edit(
        FIXTURE,
        "  name: minimal-ipv6.example.com\n",
        "  name: minimal-ipv6.example.com\n  namespace: default\n",
    );
    assert_field_error(&text, 0, Some("Cluster"), "metadata.namespace");
}

#[test]
fn unknown_spec_field_is_named() {
    let text = edit(
        FIXTURE,
        "  channel: stable\n",
        "  channel: stable\n  bogus: true\n",
    );
    assert_field_error(&text, 0, Some("Cluster"), "spec.bogus");
}

#[test]
fn unknown_subnet_field_is_named_with_its_index() {
    let text = edit(
        FIXTURE,
        "  - cidr: 172.20.64.0/18\n",
        "  - cidr: 172.20.64.0/18\n    bogus: x\n",
    );
    assert_field_error(&text, 0, Some("Cluster"), "spec.subnets[1].bogus");
}

#[test]
fn unknown_calico_field_is_named() {
    let text = edit(FIXTURE, "    calico: {}\n", "    calico:\n      bogus: 1\n");
    assert_field_error(&text, 0, Some("Cluster"), "spec.networking.calico.bogus");
}

#[test]
fn unknown_networking_option_is_named() {
    let text = edit(
        FIXTURE,
        "    calico: {}\n",
        "    calico: {}\n    lyft: {}\n",
    );
    assert_field_error(&text, 0, Some("Cluster"), "spec.networking.lyft");
}

#[test]
fn unknown_etcd_member_field_is_named() {
    let text = edit(
        FIXTURE,
        "    memoryRequest: 100Mi\n    name: main\n",
        "    memoryRequest: 100Mi\n    name: main\n    providr: Manager\n",
    );
    assert_field_error(&text, 0, Some("Cluster"), "spec.etcdClusters[0].providr");
}

#[test]
fn unknown_instance_group_spec_field_is_named() {
    let text = edit(
        FIXTURE,
        "  machineType: m3.medium\n",
        "  machineType: m3.medium\n  bogus: 1\n",
    );
    assert_field_error(&text, 1, Some("InstanceGroup"), "spec.bogus");
}

#[test]
fn unknown_instance_metadata_field_is_named() {
    let text = edit(
        FIXTURE,
        "    httpTokens: required\n",
        "    httpTokens: required\n    httpEndpoint: enabled\n",
    );
    assert_field_error(
        &text,
        1,
        Some("InstanceGroup"),
        "spec.instanceMetadata.httpEndpoint",
    );
}

// ---------------------------------------------------------------------------------------------
// Other malformed input

#[test]
fn wrong_kind_is_an_error_at_kind() {
    let text = edit(FIXTURE, "kind: Cluster\n", "kind: Clusterr\n");
    let message = assert_field_error(&text, 0, Some("Clusterr"), "kind");
    assert!(message.contains("Clusterr"), "{message}");
}

#[test]
fn missing_kind_is_an_error_at_kind() {
    let text = edit(FIXTURE, "kind: Cluster\n", "");
    assert_field_error(&text, 0, None, "kind");
}

#[test]
fn wrong_api_version_is_an_error_at_api_version() {
    let text = edit(
        FIXTURE,
        "apiVersion: kops.k8s.io/v1alpha2\nkind: InstanceGroup",
        "apiVersion: kops.k8s.io/v1alpha3\nkind: InstanceGroup",
    );
    let message = assert_field_error(&text, 1, Some("InstanceGroup"), "apiVersion");
    assert!(message.contains("v1alpha3"), "{message}");
}

#[test]
fn missing_api_version_is_an_error_at_api_version() {
    let text = FIXTURE.replacen("apiVersion: kops.k8s.io/v1alpha2\n", "", 1);
    assert_field_error(&text, 0, Some("Cluster"), "apiVersion");
}

#[test]
fn bad_ipv6_cidr_is_an_error_at_its_path() {
    let text = edit(FIXTURE, "  - ipv6CIDR: /64#0\n", "  - ipv6CIDR: /64#G\n");
    let message = assert_field_error(&text, 0, Some("Cluster"), "spec.subnets[0].ipv6CIDR");
    assert!(message.contains("/64#G"), "{message}");
}

#[test]
fn ipv4_literal_as_ipv6_cidr_is_an_error_at_its_path() {
    let text = edit(
        FIXTURE,
        "    ipv6CIDR: /64#2\n",
        "    ipv6CIDR: 10.0.0.0/16\n",
    );
    assert_field_error(&text, 0, Some("Cluster"), "spec.subnets[2].ipv6CIDR");
}

#[test]
fn bad_subnet_type_is_an_error_at_its_path() {
    let text = edit(FIXTURE, "    type: DualStack\n", "    type: Dualstack\n");
    assert_field_error(&text, 0, Some("Cluster"), "spec.subnets[1].type");
}

#[test]
fn bad_ipv4_cidr_is_an_error_at_its_path() {
    let text = edit(
        FIXTURE,
        "  - cidr: 172.20.0.0/21\n",
        "  - cidr: 172.20.0.0/33\n",
    );
    assert_field_error(&text, 0, Some("Cluster"), "spec.subnets[2].cidr");
}

#[test]
fn bad_egress_is_an_error_at_its_path() {
    let text = edit(
        FIXTURE,
        "    name: dualstack-us-test-1a\n",
        "    egress: igw-0123\n    name: dualstack-us-test-1a\n",
    );
    assert_field_error(&text, 0, Some("Cluster"), "spec.subnets[1].egress");
}

#[test]
fn wrong_value_type_is_an_error_at_its_path() {
    let text = edit(FIXTURE, "  maxSize: 1\n", "  maxSize: many\n");
    assert_field_error(&text, 1, Some("InstanceGroup"), "spec.maxSize");
}

#[test]
fn a_document_that_is_not_a_mapping_is_an_error() {
    let (document, kind, path, _) = field_error("- a\n- b\n");
    assert_eq!((document, kind, path.as_str()), (0, None, "(root)"));
}

#[test]
fn invalid_yaml_is_a_syntax_error() {
    assert!(matches!(
        parse_documents("kind: [Cluster\n"),
        Err(ParseError::Syntax(_))
    ));
}

// ---------------------------------------------------------------------------------------------
// Input forms

#[test]
fn json_input_is_read() {
    let docs = parse(FIXTURE);
    for doc in &docs {
        let json = write_documents(std::slice::from_ref(doc), Format::Json).unwrap();
        assert!(json.trim_start().starts_with('{'));
        assert_eq!(parse(&json), vec![doc.clone()]);
    }
}

#[test]
fn hand_written_json_is_read() {
    let json = r#"{"apiVersion":"kops.k8s.io/v1alpha2","kind":"InstanceGroup",
        "metadata":{"name":"nodes-us-test-1a","labels":{"kops.k8s.io/cluster":"c.example.com"}},
        "spec":{"role":"Node","subnets":["us-test-1a"],"minSize":1,"maxSize":2}}"#;
    let docs = parse(json);
    match &docs[..] {
        [Document::InstanceGroup(g)] => {
            assert_eq!(g.spec.role, InstanceGroupRole::Node);
            assert_eq!(g.spec.max_size, Some(2));
            assert_eq!(g.cluster_name(), Some("c.example.com"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn json_unknown_field_is_named() {
    let json = r#"{"apiVersion":"kops.k8s.io/v1alpha2","kind":"InstanceGroup",
        "metadata":{"name":"n"},"spec":{"role":"Node","bogus":1}}"#;
    assert_field_error(json, 0, Some("InstanceGroup"), "spec.bogus");
}

#[test]
fn multi_document_stream_with_empty_documents_is_read() {
    let docs = parse(FIXTURE);
    let mut parts = FIXTURE.split("\n---\n");
    let (first, second) = (parts.next().unwrap(), parts.next().unwrap());
    let text = format!("---\n{first}\n---\n---\n\n---\n# just a comment\n---\n{second}\n---\n");
    assert_eq!(parse(&text), docs);
}

#[test]
fn empty_stream_is_no_documents() {
    assert_eq!(parse(""), vec![]);
    assert_eq!(parse("---\n---\n"), vec![]);
}

#[test]
fn document_index_counts_only_non_empty_documents() {
    let text = format!(
        "---\n---\n{}",
        edit(FIXTURE, "  maxSize: 1\n", "  maxSize: x\n")
    );
    assert_field_error(&text, 1, Some("InstanceGroup"), "spec.maxSize");
}

#[test]
fn written_yaml_separates_documents() {
    let written = yaml(&parse(FIXTURE));
    assert_eq!(written.matches("\n---\n").count(), 1);
    assert!(written.ends_with('\n'));
}

#[test]
fn json_output_of_several_documents_is_read_back() {
    // `write_documents` writes several documents as a kubectl-style `List`; reading that back
    // must give the same documents (e.g. `get -o json > f.json` then `create -f f.json`).
    let docs = parse(FIXTURE);
    let json = write_documents(&docs, Format::Json).unwrap();
    assert!(json.contains("\"kind\": \"List\""), "{json}");
    assert_eq!(parse(&json), docs);
}

#[test]
fn strings_that_look_like_other_scalars_survive_a_round_trip() {
    let mut docs = parse(FIXTURE);
    let tricky = [
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "null",
        "~",
        "",
        "1",
        "-1",
        "1.5",
        "1e3",
        "0x1f",
        "0o17",
        "1_000",
        ".inf",
        "-.nan",
        "::/0",
        "- a",
        "a: b",
        "#x",
        "&a",
        "*a",
        "!tag",
        "|",
        ">",
        "'q'",
        "\"q\"",
        "%x",
        "@x",
        "`x",
        "{}",
        "[]",
        "a\nb",
        " lead",
        "trail ",
        "2024-01-01",
        "12:30:00",
        "=",
        "<<",
    ];
    let Document::Cluster(c) = &mut docs[0] else {
        panic!("cluster first")
    };
    for (i, t) in tricky.iter().enumerate() {
        c.metadata.labels.insert(format!("k{i:02}"), t.to_string());
        c.metadata
            .annotations
            .insert(t.to_string(), format!("v{i}"));
    }
    let written = yaml(&docs);
    assert_eq!(parse(&written), docs, "{written}");
}

#[test]
fn a_cluster_with_more_than_a_thousand_instance_groups_reads_back() {
    // Whatever kops6 writes it must read: the YAML library's default budget stops at 1024
    // documents, and a cluster may have more instance groups than that.
    let mut docs = parse(FIXTURE);
    let Document::InstanceGroup(template) = docs[1].clone() else {
        panic!("instance group second")
    };
    for i in 0..1100 {
        let mut g = template.clone();
        g.metadata.name = format!("nodes-{i:04}");
        g.spec.role = InstanceGroupRole::Node;
        docs.push(Document::InstanceGroup(g));
    }
    let written = yaml(&docs);
    let back = parse(&written);
    assert_eq!(back.len(), 1102);
    assert_eq!(back, docs);
}
