//! No input makes kops6 panic: whatever the text, `parse_documents` →
//! `ClusterSpecSet::from_documents` → `check` returns `Ok` or `Err`.
//!
//! Case counts are kept small so the whole file runs in a few seconds in a debug build.

use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::{CloudProvider, Topology};
use kops6_api::validate::ValidationContext;
use kops6_api::{parse_documents, write_documents, ClusterSpecSet, Format, Ipv6CidrSpec};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value};

const FIXTURE: &str = include_str!("fixtures/kops-written-ipv6.yaml");

/// Everything a user's text goes through. Must return, never panic.
fn run(text: &str) {
    run_with(text, &ValidationContext::default());
}

fn run_with(text: &str, ctx: &ValidationContext) {
    let Ok(docs) = parse_documents(text) else {
        return;
    };
    // Whatever parsed must print, and print to something that parses to the same documents.
    let written = write_documents(&docs, Format::Yaml).expect("parsed documents always print");
    assert_eq!(
        parse_documents(&written).as_ref(),
        Ok(&docs),
        "printed documents must read back:\n{written}"
    );
    let Ok(set) = ClusterSpecSet::from_documents(docs) else {
        return;
    };
    if let Ok(completed) = set.check(ctx) {
        // A valid spec stays valid once completed.
        let again = ClusterSpecSet::new(completed.cluster, completed.instance_groups)
            .expect("a completed valid set is still a set");
        again
            .check(ctx)
            .expect("completion is idempotent and valid");
    }
}

/// A valid 3-zone IPv6 cluster as `create cluster` writes it: the base for mutations.
fn created_yaml() -> String {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(build_created_yaml).clone()
}

fn build_created_yaml() -> String {
    let new = new_cluster(&NewClusterOptions {
        name: "ipv6.example.com".into(),
        zones: vec![
            "us-test-1a".into(),
            "us-test-1b".into(),
            "us-test-1c".into(),
        ],
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        bastion: true,
        ..Default::default()
    })
    .unwrap();
    let set = ClusterSpecSet::new(new.cluster, new.instance_groups).unwrap();
    write_documents(&set.documents(), Format::Yaml).unwrap()
}

fn bases() -> Vec<String> {
    vec![FIXTURE.to_string(), created_yaml()]
}

// ---------------------------------------------------------------------------------------------
// Strategies

/// Words that reach deep into the typed parser and the rules.
const KEYS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "labels",
    "spec",
    "subnets",
    "cidr",
    "ipv6CIDR",
    "type",
    "zone",
    "egress",
    "publicIP",
    "id",
    "networking",
    "calico",
    "cilium",
    "cni",
    "kubenet",
    "nonMasqueradeCIDR",
    "networkCIDR",
    "networkID",
    "serviceClusterIPRange",
    "cloudProvider",
    "kubernetesVersion",
    "etcdClusters",
    "etcdMembers",
    "instanceGroup",
    "role",
    "minSize",
    "maxSize",
    "image",
    "topology",
    "dns",
    "api",
    "loadBalancer",
    "class",
    "cloudControllerManager",
    "kubelet",
    "additionalRoutes",
    "target",
    "bogus",
];

const SCALARS: &[&str] = &[
    "kops.k8s.io/v1alpha2",
    "kops/v1alpha2",
    "v1",
    "Cluster",
    "InstanceGroup",
    "List",
    "aws",
    "gce",
    "Private",
    "Public",
    "DualStack",
    "Utility",
    "Master",
    "Node",
    "Bastion",
    "us-test-1a",
    "us-test-1b",
    "eu-test-1a",
    "c.example.com",
    "::/0",
    "0.0.0.0/0",
    "172.20.0.0/16",
    "172.20.64.0/18",
    "/64#0",
    "/64#1",
    "/56#0",
    "/129#0",
    "/64#ffffffffffffffffffffff",
    "2001:db8::/56",
    "fd00:5e4f:ce::/64",
    "nat-123",
    "i-123",
    "External",
    "v1.35.0",
    "v1.21.0",
    "debian-12",
    "ami-123",
    "",
    "~",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "4294967296",
    "1e9",
    "{}",
    "[]",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(KEYS).prop_map(str::to_string),
        1 => "[a-zA-Z]{1,8}",
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => proptest::sample::select(SCALARS).prop_map(|s| Value::String(s.into())),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
        1 => "\\PC{0,12}".prop_map(Value::String),
    ]
}

/// Random YAML trees of maps, lists and scalars.
fn tree() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A document that looks like a v1alpha2 object most of the time, so that the typed parser
/// and the validation rules see it.
fn document() -> impl Strategy<Value = Value> {
    let api_version = prop_oneof![
        4 => Just(Value::String("kops.k8s.io/v1alpha2".into())),
        1 => scalar(),
    ];
    let kind = prop_oneof![
        2 => Just(Value::String("Cluster".into())),
        2 => Just(Value::String("InstanceGroup".into())),
        1 => scalar(),
    ];
    (api_version, kind, tree(), tree()).prop_map(|(a, k, metadata, spec)| {
        let mut m = Map::new();
        m.insert("apiVersion".into(), a);
        m.insert("kind".into(), k);
        m.insert("metadata".into(), metadata);
        m.insert("spec".into(), spec);
        Value::Object(m)
    })
}

/// Renders a tree as block YAML with scalars written raw (unquoted), so the text is sometimes
/// not the tree it came from, and sometimes not YAML at all.
fn raw_yaml(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, v) in m {
                out.push_str(&format!("{pad}{k}:"));
                block_child(v, indent, out);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for v in a {
                out.push_str(&format!("{pad}-"));
                block_child(v, indent, out);
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&raw_scalar(other));
            out.push('\n');
        }
    }
}

fn block_child(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            raw_yaml(v, indent + 2, out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            raw_yaml(v, indent + 2, out);
        }
        other => {
            out.push(' ');
            out.push_str(&raw_scalar(other));
            out.push('\n');
        }
    }
}

fn raw_scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        other => other.to_string(),
    }
}

/// A text of one to three documents, written properly (as YAML or JSON) or raw.
fn structured_text() -> impl Strategy<Value = String> {
    let doc = prop_oneof![3 => document(), 1 => tree()];
    (prop::collection::vec(doc, 1..4), 0u8..3).prop_map(|(docs, how)| {
        let parts: Vec<String> = docs
            .iter()
            .map(|d| match how {
                0 => serde_saphyr::to_string(d).unwrap_or_default(),
                1 => serde_json::to_string_pretty(d).unwrap(),
                _ => {
                    let mut s = String::new();
                    raw_yaml(d, 0, &mut s);
                    s
                }
            })
            .collect();
        parts.join("---\n")
    })
}

/// An edit of a real spec's YAML tree, at a path chosen by indexes (each taken modulo the
/// number of children there).
#[derive(Debug, Clone)]
enum Edit {
    Replace(Value),
    Delete,
    Insert(String, Value),
}

fn edit() -> impl Strategy<Value = (Vec<usize>, Edit)> {
    let edit = prop_oneof![
        3 => scalar().prop_map(Edit::Replace),
        1 => tree().prop_map(Edit::Replace),
        2 => Just(Edit::Delete),
        1 => (key(), tree()).prop_map(|(k, v)| Edit::Insert(k, v)),
    ];
    (prop::collection::vec(any::<usize>(), 1..7), edit)
}

fn apply(v: &mut Value, path: &[usize], edit: &Edit) {
    match (path.split_first(), v) {
        (Some((&i, rest)), Value::Object(m)) if !m.is_empty() => {
            let k = m.keys().nth(i % m.len()).cloned().unwrap();
            match (rest.is_empty(), edit) {
                (false, _) => apply(m.get_mut(&k).unwrap(), rest, edit),
                (true, Edit::Delete) => {
                    m.remove(&k);
                }
                (true, Edit::Insert(key, value)) => {
                    m.insert(key.clone(), value.clone());
                }
                (true, Edit::Replace(value)) => {
                    m.insert(k, value.clone());
                }
            }
        }
        (Some((&i, rest)), Value::Array(a)) if !a.is_empty() => {
            let n = i % a.len();
            match (rest.is_empty(), edit) {
                (false, _) => apply(&mut a[n], rest, edit),
                (true, Edit::Delete) => {
                    a.remove(n);
                }
                (true, Edit::Insert(_, value)) => a.insert(n, value.clone()),
                (true, Edit::Replace(value)) => a[n] = value.clone(),
            }
        }
        (_, v) => {
            if let Edit::Replace(value) = edit {
                *v = value.clone();
            }
        }
    }
}

/// The created spec's documents as plain trees, with the edits applied, written as YAML.
fn edited_spec(edits: &[(Vec<usize>, Edit)]) -> String {
    static TREES: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    let mut docs = TREES
        .get_or_init(|| serde_saphyr::from_multiple(&created_yaml()).unwrap())
        .clone();
    for (path, e) in edits {
        apply_list(&mut docs, path, e);
    }
    docs.iter()
        .map(|d| serde_saphyr::to_string(d).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("---\n")
}

fn apply_list(docs: &mut [Value], path: &[usize], e: &Edit) {
    if let Some((&i, rest)) = path.split_first() {
        if !docs.is_empty() {
            let n = i % docs.len();
            apply(&mut docs[n], rest, e);
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Duplicate(usize),
    ReplaceValue(usize, String),
    Indent(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let value = prop_oneof![
        3 => proptest::sample::select(SCALARS).prop_map(str::to_string),
        1 => "\\PC{0,16}",
        1 => "[ :#&*!|>'\"%@`{}\\[\\],-]{1,4}",
    ];
    prop_oneof![
        2 => any::<usize>().prop_map(Mutation::Delete),
        2 => any::<usize>().prop_map(Mutation::Duplicate),
        3 => (any::<usize>(), value).prop_map(|(i, v)| Mutation::ReplaceValue(i, v)),
        1 => (any::<usize>(), 0usize..6).prop_map(|(i, n)| Mutation::Indent(i, n)),
    ]
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for m in mutations {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match m {
            Mutation::Delete(i) => {
                lines.remove(i % n);
            }
            Mutation::Duplicate(i) => {
                let line = lines[i % n].clone();
                lines.insert(i % n, line);
            }
            Mutation::ReplaceValue(i, v) => {
                let line = &mut lines[i % n];
                *line = match line.split_once(": ") {
                    Some((k, _)) => format!("{k}: {v}"),
                    None => match line.split_once("- ") {
                        Some((k, _)) => format!("{k}- {v}"),
                        None => v.clone(),
                    },
                };
            }
            Mutation::Indent(i, by) => {
                let line = &mut lines[i % n];
                *line = format!("{}{line}", " ".repeat(*by));
            }
        }
    }
    lines.join("\n") + "\n"
}

/// `/LEN#N` with LEN 0..300 and N up to 40 hex digits (in either case, sometimes empty).
fn allocation_text() -> impl Strategy<Value = String> {
    let len = prop_oneof![3 => 0u32..=128, 1 => 129u32..300];
    let n = prop_oneof![
        3 => "[0-9a-f]{1,3}",
        2 => "[0-9a-f]{1,40}",
        1 => "[0-9a-fA-F]{0,40}",
    ];
    (len, n).prop_map(|(len, n)| format!("/{len}#{n}"))
}

/// IPv6 CIDR-looking strings: literals with random addresses and lengths, allocations, noise.
fn ipv6_cidr_text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => (any::<u128>(), 0u32..140)
            .prop_map(|(a, len)| format!("{}/{len}", std::net::Ipv6Addr::from(a))),
        2 => (0u16..4, 0u32..=128).prop_map(|(g, len)| format!("2001:db8:0:{g:x}::/{len}")),
        2 => allocation_text(),
        1 => "[0-9a-fA-F:./#]{0,45}",
    ]
}

/// IPv4 CIDR-looking strings, mostly inside or near 172.20.0.0/16.
fn ipv4_cidr_text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => (any::<u32>(), 0u32..40)
            .prop_map(|(a, len)| format!("{}/{len}", std::net::Ipv4Addr::from(a))),
        3 => (any::<u16>(), 0u32..=33).prop_map(|(low, len)| {
            format!("{}/{len}", std::net::Ipv4Addr::from(0xac14_0000 | u32::from(low)))
        }),
        1 => "[0-9./]{0,20}",
    ]
}

fn vpc_context() -> impl Strategy<Value = ValidationContext> {
    prop_oneof![
        Just(ValidationContext::default()),
        (any::<u128>(), 0u8..=128).prop_map(|(a, len)| ValidationContext {
            vpc_ipv6_cidr: Some(
                ipnet::Ipv6Net::new(std::net::Ipv6Addr::from(a), len)
                    .unwrap()
                    .trunc()
            ),
            ..Default::default()
        }),
    ]
}

/// The 3-zone created spec with subnet `i`'s `ipv6CIDR` (or `cidr`) replaced by `value`.
fn with_subnet_value(base: &str, field: &str, i: usize, value: &str) -> String {
    // Lines are `  - ipv6CIDR: ...` or `    ipv6CIDR: ...`; the i-th one (mod count) changes.
    let needle = format!("{field}: ");
    let hits: Vec<usize> = base
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start_matches([' ', '-']).starts_with(&needle))
        .map(|(n, _)| n)
        .collect();
    let target = hits[i % hits.len()];
    let quoted = serde_json::to_string(value).unwrap();
    base.lines()
        .enumerate()
        .map(|(n, l)| {
            if n == target {
                let at = l.find(&needle).unwrap();
                format!("{}{quoted}", &l[..at + needle.len()])
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(Config { cases: 256, failure_persistence: None, ..Config::default() })]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        run(&text);
    }

    #[test]
    fn random_yaml_punctuation_never_panics(text in "[a-z0-9 :\\-\\n\\[\\]{}#&*!|>'\"%@,/?]{0,120}") {
        run(&text);
    }

    #[test]
    fn random_structured_yaml_never_panics(text in structured_text()) {
        run(&text);
    }

    #[test]
    fn edited_spec_trees_never_panic(edits in prop::collection::vec(edit(), 1..4)) {
        run(&edited_spec(&edits));
    }

    #[test]
    fn random_allocation_as_ipv6_cidr_never_panics(
        alloc in allocation_text(),
        i in any::<usize>(),
        ctx in vpc_context(),
    ) {
        let text = with_subnet_value(&created_yaml(), "ipv6CIDR", i, &alloc);
        run_with(&text, &ctx);
    }
}

proptest! {
    #![proptest_config(Config { cases: 128, failure_persistence: None, ..Config::default() })]

    #[test]
    fn mutated_specs_never_panic(
        base in 0usize..2,
        mutations in prop::collection::vec(mutation(), 1..3),
    ) {
        run(&mutate(&bases()[base], &mutations));
    }

    #[test]
    fn random_cidrs_in_subnets_never_panic(
        ipv6 in ipv6_cidr_text(),
        ipv4 in ipv4_cidr_text(),
        i in any::<usize>(),
        j in any::<usize>(),
        ctx in vpc_context(),
    ) {
        let text = with_subnet_value(&created_yaml(), "ipv6CIDR", i, &ipv6);
        let text = with_subnet_value(&text, "cidr", j, &ipv4);
        run_with(&text, &ctx);
    }

    #[test]
    fn random_ipv6_specs_through_check_never_panic(
        specs in prop::collection::vec(
            prop_oneof![
                (0u8..=128, any::<u128>()).prop_map(|(len, index)| Ipv6CidrSpec::Allocated { len, index }),
                (0u8..=128, 0u128..4).prop_map(|(len, index)| Ipv6CidrSpec::Allocated { len, index }),
                (any::<u128>(), 0u8..=128).prop_map(|(a, len)| Ipv6CidrSpec::Literal(
                    ipnet::Ipv6Net::new(std::net::Ipv6Addr::from(a), len).unwrap()
                )),
            ],
            9,
        ),
        ctx in vpc_context(),
        public in any::<bool>(),
        cloud in proptest::sample::select(&CloudProvider::ALL[..]),
    ) {
        // Straight into the typed spec, skipping the parser: every subnet gets a random range.
        let mut new = new_cluster(&NewClusterOptions {
            name: "ipv6.example.com".into(),
            zones: vec!["us-test-1a".into(), "us-test-1b".into(), "us-test-1c".into()],
            ipv6: true,
            topology: public.then_some(Topology::Public),
            networking: Some("cilium".into()),
            ..Default::default()
        })
        .unwrap();
        new.cluster.spec.cloud_provider = Some(cloud);
        for (s, spec) in new.cluster.spec.subnets.iter_mut().zip(specs) {
            s.ipv6_cidr = Some(spec);
        }
        let set = ClusterSpecSet::new(new.cluster, new.instance_groups).unwrap();
        let _ = set.check(&ctx);
        let text = write_documents(&set.documents(), Format::Yaml).unwrap();
        run_with(&text, &ctx);
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile input, deterministic

#[test]
fn deeply_nested_input_is_an_error_not_a_crash() {
    for depth in [100, 10_000, 200_000] {
        run(&"[".repeat(depth));
        run(&format!("{}1{}", "[".repeat(depth), "]".repeat(depth)));
        run(&format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth)));
        let block: String = (0..depth.min(1_000))
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        run(&block);
    }
}

#[test]
fn alias_expansion_bomb_is_an_error_not_a_hang() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = format!("*a{}", i - 1);
        text.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            std::iter::repeat_n(prev.as_str(), 10)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    text.push_str("apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\n");
    // 10^12 nodes if expanded: the parser's alias budget must refuse it (no timed assert: a
    // parse that expanded it would never finish, and the test would hang, not pass).
    assert!(
        parse_documents(&text).is_err(),
        "an alias bomb must be refused"
    );
    run(&text);
}

#[test]
fn huge_numbers_and_long_strings_are_errors_not_crashes() {
    let created = created_yaml();
    for (from, to) in [
        ("minSize: 1", "minSize: 99999999999999999999999999999"),
        ("maxSize: 1", "maxSize: -1"),
        ("minSize: 1", "minSize: 1.5"),
        (
            "ipv6CIDR: /64#0",
            "ipv6CIDR: /64#ffffffffffffffffffffffffffffffffff",
        ),
        ("ipv6CIDR: /64#0", "ipv6CIDR: /99999999999999999999#0"),
        (
            "kubernetesVersion: v1.35.0",
            "kubernetesVersion: v99999999999999999999.0.0",
        ),
    ] {
        run(&created.replacen(from, to, 1));
    }
    let long = "x".repeat(1 << 20);
    run(&created.replacen("name: ipv6.example.com", &format!("name: {long}"), 1));
    run(&created.replacen("zone: us-test-1a", &format!("zone: {long}"), 1));
}

#[test]
fn mutation_helpers_produce_what_they_say() {
    let base = created_yaml();
    run(&base);
    assert!(parse_documents(&base).is_ok());
    let text = with_subnet_value(&base, "ipv6CIDR", 1, "/64#zz");
    assert!(text.contains("ipv6CIDR: \"/64#zz\""), "{text}");
    assert_eq!(mutate("a: 1\nb: 2\n", &[Mutation::Delete(0)]), "b: 2\n");
    assert_eq!(
        mutate("a: 1\n", &[Mutation::ReplaceValue(0, "x".into())]),
        "a: x\n"
    );
}
