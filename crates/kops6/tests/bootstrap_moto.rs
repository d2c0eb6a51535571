//! `update cluster` with the bootstrap wired in (SPEC 8), the kops6 binary against moto through
//! the counting proxy, with an `s3://` state store in moto:
//!
//! - the first `--yes` publishes the PKI, the join token, the discovery kubeconfig and the API
//!   load balancer's name under the cluster's path; a second run changes none of them and makes
//!   no mutating call, discovering each kind once;
//! - the IAM policies read back grant exactly what each role reads at boot;
//! - a `file://` store with `--yes` is refused before any AWS call;
//! - `--target terraform` writes the user data under `data/`, with no secret in it or in
//!   `kubernetes.tf`, and publishes the PKI; without a DNS zone the user data are templates
//!   Terraform fills with the load balancer's name, and a later run records that name;
//! - what direct apply leaves out is named in one line, and `--yes` refuses without the flag.

mod common;

use common::{create_ipv6, Bed, BUCKET, LEAVE_OUT};
use kops6_bootstrap::facts::Role;
use kops6_bootstrap::permissions::{ec2_actions, state_store_reads};
use kops6_model::Kind;
use kops6_testsupport::cluster::decode_base64;
use kops6_testsupport::network::C;
use serde_json::Value;

const ZONE: &str = "us-east-1a";

fn key(path: &str) -> String {
    format!("clusters/{C}/{path}")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `update cluster --yes` (leaving out what direct apply cannot create on this branch);
/// returns stdout and stderr.
fn apply(bed: &Bed) -> (String, String) {
    let out = bed.run(&["update", "cluster", C, "--yes", LEAVE_OUT]);
    assert!(
        out.status.success(),
        "update --yes failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr(&out),
    )
}

#[test]
fn first_yes_publishes_the_pki_once_and_a_second_run_changes_nothing() {
    let bed = Bed::new();
    create_ipv6(&bed, ZONE, &[]);
    let (_, err) = apply(&bed);
    assert!(
        err.contains("First apply: everything but the launch templates"),
        "no DNS zone and no load balancer yet: the first apply goes in two parts:\n{err}"
    );
    let objects = bed.state_objects();
    for path in [
        "pki/issued/kubernetes-ca/ca.crt",
        "pki/private/kubernetes-ca/ca.key",
        "pki/private/etcd-ca/ca.key",
        "pki/private/service-account/sa.key",
        "pki/private/node-bootstrap/token",
        "pki/private/node-bootstrap/kubeconfig",
        "bootstrap/api-endpoint",
    ] {
        assert!(
            objects.contains_key(&key(path)),
            "{path} published: {objects:?}"
        );
    }
    assert!(
        objects.keys().any(|k| k.starts_with(&key("addons/"))),
        "addons published"
    );
    let cluster = bed.aws(&["cluster", "--cluster", C]);
    let lbs = cluster["loadBalancers"]
        .as_object()
        .expect("load balancers");
    assert_eq!(lbs.len(), 1, "{lbs:?}");
    let dns = lbs.values().next().unwrap()["dnsName"].as_str().unwrap();
    assert_eq!(objects[&key("bootstrap/api-endpoint")], dns);
    let token = &objects[&key("pki/private/node-bootstrap/token")];
    let kubeconfig = &objects[&key("pki/private/node-bootstrap/kubeconfig")];
    assert!(
        kubeconfig.contains(token.trim()),
        "the join kubeconfig has the token"
    );
    assert!(
        kubeconfig.contains(&format!("https://{dns}:443")),
        "workers join through the load balancer's name:\n{kubeconfig}"
    );

    bed.proxy.reset();
    let (out, _) = apply(&bed);
    assert!(out.contains("No changes"), "{out}");
    assert_eq!(
        bed.proxy.mutating_calls(),
        Vec::<String>::new(),
        "a second run changes nothing, the state store included"
    );
    let stats = bed.proxy.stats();
    for describe in ["DescribeVpcs", "DescribeSecurityGroups", "DescribeVolumes"] {
        assert_eq!(
            stats["by_action"][describe], 1,
            "{describe}: each kind is discovered once on a no-op run: {stats}"
        );
    }
    assert_eq!(
        bed.state_objects(),
        objects,
        "the PKI and token are kept, never remade"
    );
}

/// The `s3:GetObject` resources of one role's inline policy, and all its actions.
fn policy(cluster: &Value, role: &str) -> (Vec<String>, Vec<String>) {
    let name = format!("{role}.{C}");
    let doc = &cluster["roles"][&name]["policies"][&name];
    let statements = doc["Statement"].as_array().expect("statements");
    let mut objects = Vec::new();
    let mut actions = Vec::new();
    for s in statements {
        let list = |v: &Value| -> Vec<String> {
            match v {
                Value::String(s) => vec![s.clone()],
                Value::Array(a) => a
                    .iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let acts = list(&s["Action"]);
        if acts == ["s3:GetObject"] {
            objects.extend(list(&s["Resource"]));
        }
        actions.extend(acts);
    }
    objects.sort();
    (objects, actions)
}

#[test]
fn iam_policies_grant_exactly_what_each_role_reads_at_boot() {
    let bed = Bed::new();
    create_ipv6(&bed, ZONE, &[]);
    apply(&bed);
    let cluster = bed.aws(&["cluster", "--cluster", C]);
    let arn = |k: &str| {
        let k = if k.ends_with('/') {
            format!("{k}*")
        } else {
            k.to_string()
        };
        format!("arn:aws:s3:::{BUCKET}/clusters/{C}/{k}")
    };
    let control_plane = Role::ControlPlane {
        may_initialize: true,
    };
    let (objects, actions) = policy(&cluster, "masters");
    let mut want: Vec<String> = state_store_reads(control_plane)
        .iter()
        .map(|k| arn(k))
        .collect();
    want.sort();
    assert_eq!(objects, want);
    assert_eq!(
        want,
        [
            format!("arn:aws:s3:::{BUCKET}/clusters/{C}/addons/*"),
            format!("arn:aws:s3:::{BUCKET}/clusters/{C}/pki/*")
        ]
    );
    for a in ec2_actions(control_plane, true) {
        assert!(
            actions.iter().any(|x| x == a),
            "masters may {a}: {actions:?}"
        );
    }
    let (objects, actions) = policy(&cluster, "nodes");
    assert_eq!(
        objects,
        [format!(
            "arn:aws:s3:::{BUCKET}/clusters/{C}/pki/private/node-bootstrap/kubeconfig"
        )],
        "nodes read their join kubeconfig and nothing else"
    );
    for a in ec2_actions(Role::Node, true) {
        assert!(actions.iter().any(|x| x == a), "nodes may {a}: {actions:?}");
    }
    let s3: Vec<&String> = actions.iter().filter(|a| a.starts_with("s3:")).collect();
    assert_eq!(
        s3,
        ["s3:GetObject", "s3:GetBucketLocation", "s3:ListBucket"],
        "no other S3 action for nodes"
    );
}

#[test]
fn a_file_store_with_yes_is_refused_before_any_aws_call() {
    let mut bed = Bed::new();
    bed.use_file_store();
    create_ipv6(&bed, ZONE, &[]);
    bed.proxy.reset();
    let err = bed.kops6_fails(&["update", "cluster", C, "--yes", LEAVE_OUT]);
    assert!(
        err.contains("instances fetch the cluster's CAs and join credential from the state store")
            && err.contains("use an s3:// state store"),
        "{err}"
    );
    assert_eq!(bed.proxy.calls(), Vec::<Value>::new(), "no AWS call");
    // Rendering still works with this store.
    let out = bed.kops6(&["update", "cluster", C, "--offline"]);
    assert!(out.contains("change(s)"), "{out}");
}

#[test]
fn what_direct_apply_leaves_out_is_named_and_yes_refuses_without_the_flag() {
    let bed = Bed::new();
    create_ipv6(&bed, ZONE, &[]);
    if kops6_aws::supports(Kind::LaunchTemplate)
        && kops6_aws::supports(Kind::AutoscalingGroup)
        && kops6_aws::supports(Kind::DnsRecord)
    {
        // Every kind is applied directly: nothing is left out, so --yes needs no flag.
        let out = bed.run(&["update", "cluster", C]);
        assert!(!stderr(&out).contains("Left out"), "{}", stderr(&out));
        return;
    }
    bed.proxy.reset();
    let err = bed.kops6_fails(&["update", "cluster", C, "--yes"]);
    let line = err
        .lines()
        .find(|l| l.starts_with("Left out of direct apply"))
        .unwrap_or_else(|| panic!("one line names what is left out:\n{err}"));
    if !kops6_aws::supports(Kind::LaunchTemplate) {
        assert!(line.contains("LaunchTemplate (2)"), "{line}");
    }
    if !kops6_aws::supports(Kind::AutoscalingGroup) {
        assert!(line.contains("AutoscalingGroup (2)"), "{line}");
    }
    assert!(err.contains("--leave-out-unsupported"), "{err}");
    assert_eq!(
        bed.proxy.mutating_calls(),
        Vec::<String>::new(),
        "nothing applied"
    );
    // The plan says it too, and still shows the rest.
    let plan = bed.run(&["update", "cluster", C]);
    assert!(plan.status.success(), "{}", stderr(&plan));
    assert!(stderr(&plan).contains("Left out of direct apply"));
}

/// Runs after the merge of direct apply's launch templates: each one carries its group's
/// user data as `publish` rendered it (skipped, with a line, while they are left out).
#[test]
fn launch_templates_carry_the_published_user_data() {
    if !kops6_aws::supports(Kind::LaunchTemplate) {
        kops6_testsupport::skip::<()>(
            "launch_templates_carry_the_published_user_data",
            "direct apply does not create launch templates on this branch yet",
        );
        return;
    }
    let bed = Bed::new();
    create_ipv6(&bed, ZONE, &[]);
    apply(&bed);
    let objects = bed.state_objects();
    let token = objects[&key("pki/private/node-bootstrap/token")]
        .trim()
        .to_string();
    let cluster = bed.aws(&["cluster", "--cluster", C]);
    let templates = cluster["launchTemplates"].as_object().expect("templates");
    assert_eq!(templates.len(), 2, "{templates:?}");
    for (name, t) in templates {
        let b64 = t["data"]["UserData"]
            .as_str()
            .unwrap_or_else(|| panic!("{name} has user data"));
        let text = String::from_utf8(decode_base64(b64)).expect("utf-8 user data");
        assert!(text.starts_with("#cloud-config"), "{name}: {text}");
        assert!(
            text.contains(BUCKET) && text.contains(C),
            "{name} reads the cluster's state store"
        );
        assert!(
            !text.contains("PRIVATE KEY") && !text.contains(&token),
            "{name}: no secret"
        );
    }
}

#[test]
fn terraform_writes_user_data_files_without_secrets_and_publishes_the_pki() {
    let bed = Bed::new();
    create_ipv6(&bed, ZONE, &["--dns-zone", "example.com"]);
    let out = bed.dir.path().join("tf");
    bed.kops6(&[
        "update",
        "cluster",
        C,
        "--target",
        "terraform",
        "--out",
        out.to_str().unwrap(),
    ]);
    let objects = bed.state_objects();
    let token = objects
        .get(&key("pki/private/node-bootstrap/token"))
        .expect("the token is published")
        .trim()
        .to_string();
    assert!(objects.contains_key(&key("pki/private/kubernetes-ca/ca.key")));
    let data: Vec<std::path::PathBuf> = std::fs::read_dir(out.join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("aws_launch_template_") && n.ends_with("_user_data")
        })
        .collect();
    assert_eq!(data.len(), 2, "one user data file per group: {data:?}");
    let main = std::fs::read_to_string(out.join("kubernetes.tf")).unwrap();
    for p in &data {
        let text = std::fs::read_to_string(p).unwrap();
        assert!(text.starts_with("#cloud-config"), "{}", p.display());
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            main.contains(&format!("data/{name}")),
            "{name} is read by kubernetes.tf"
        );
    }
    for (what, text) in data
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .chain([("kubernetes.tf".to_string(), main.clone())])
    {
        assert!(!text.contains("PRIVATE KEY"), "{what} holds a private key");
        assert!(!text.contains(&token), "{what} holds the join token");
    }
}

#[test]
fn terraform_without_a_dns_zone_before_the_load_balancer_exists_fills_it_in_at_apply_time() {
    let bed = Bed::new();
    create_ipv6(&bed, ZONE, &[]);
    let out = bed.dir.path().join("tf");
    bed.kops6(&[
        "update",
        "cluster",
        C,
        "--target",
        "terraform",
        "--out",
        out.to_str().unwrap(),
    ]);
    let objects = bed.state_objects();
    let token = objects
        .get(&key("pki/private/node-bootstrap/token"))
        .expect("the PKI is published before Terraform runs")
        .trim()
        .to_string();
    assert!(
        !objects.contains_key(&key("bootstrap/api-endpoint")),
        "no load balancer yet, so no name is recorded"
    );
    let discovery = &objects[&key("pki/private/node-bootstrap/kubeconfig")];
    assert!(
        discovery.contains("server: https://api-load-balancer.kops6.invalid:443"),
        "a stand-in server, replaced at boot by the user data's API name:\n{discovery}"
    );
    let main = std::fs::read_to_string(out.join("kubernetes.tf")).unwrap();
    let longest = kops6_bootstrap::template::longest_load_balancer_dns_name("us-east-1");
    let mut templates = 0;
    for e in std::fs::read_dir(out.join("data")).unwrap() {
        let p = e.unwrap().path();
        let file = p.file_name().unwrap().to_string_lossy().to_string();
        if !file.ends_with("_user_data") {
            continue;
        }
        templates += 1;
        assert!(
            main.contains(&format!(
                "base64encode(templatefile(\"${{path.module}}/data/{file}\", \
                 {{ api_lb_dns_name = aws_lb."
            )),
            "{file} is read with templatefile:\n{main}"
        );
        let template = std::fs::read_to_string(&p).unwrap();
        assert!(
            template.contains("KOPS6_API='${api_lb_dns_name}:443'"),
            "{file}"
        );
        // What the instance gets, with the longest name AWS can give the load balancer.
        let filled = kops6_bootstrap::template::fill(&template, &longest).unwrap();
        assert!(filled.starts_with("#cloud-config"), "{file}");
        assert!(
            filled.len() <= kops6_bootstrap::USER_DATA_LIMIT,
            "{file}: {} bytes",
            filled.len()
        );
        for text in [&template, &filled] {
            assert!(!text.contains("PRIVATE KEY"), "{file} holds a private key");
            assert!(!text.contains(&token), "{file} holds the join token");
        }
    }
    assert_eq!(templates, 2, "one template per group");
    assert!(!main.contains("PRIVATE KEY") && !main.contains(&token));

    // After terraform apply (here: the load balancer made by --yes, whose record is then
    // removed), the next run finds the load balancer, records its name and points the
    // discovery kubeconfig at it; the templates stay as they were.
    let before: Vec<(String, String)> = data_files(&out);
    apply(&bed);
    bed.aws(&[
        "s3-delete",
        "--bucket",
        BUCKET,
        "--key",
        &key("bootstrap/api-endpoint"),
    ]);
    bed.kops6(&[
        "update",
        "cluster",
        C,
        "--target",
        "terraform",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        data_files(&out),
        before,
        "kubernetes.tf reads the same templates"
    );
    let objects = bed.state_objects();
    let dns = kops6_testsupport::cluster::api_load_balancer_dns_name(&bed.aws(&[
        "cluster",
        "--cluster",
        C,
    ]));
    assert_eq!(objects[&key("bootstrap/api-endpoint")], dns);
    assert!(objects[&key("pki/private/node-bootstrap/kubeconfig")]
        .contains(&format!("server: https://{dns}:443")));
}

/// The user data files under `data/`, sorted, with their text.
fn data_files(out: &std::path::Path) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = std::fs::read_dir(out.join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with("_user_data"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn export_kubeconfig_asks_aws_for_the_load_balancer_the_state_store_does_not_record() {
    // As after terraform apply: the load balancer exists, its name is not in the store.
    let bed = Bed::new();
    create_ipv6(&bed, ZONE, &[]);
    apply(&bed);
    bed.aws(&[
        "s3-delete",
        "--bucket",
        BUCKET,
        "--key",
        &key("bootstrap/api-endpoint"),
    ]);
    let file = bed.dir.path().join("kubeconfig");
    bed.kops6(&[
        "export",
        "kubeconfig",
        C,
        "--admin",
        "--kubeconfig",
        file.to_str().unwrap(),
    ]);
    let dns = kops6_testsupport::cluster::api_load_balancer_dns_name(&bed.aws(&[
        "cluster",
        "--cluster",
        C,
    ]));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains(&format!("server: https://{dns}:443")),
        "the load balancer's name, from AWS:\n{text}"
    );
    assert!(
        !bed.state_objects()
            .contains_key(&key("bootstrap/api-endpoint")),
        "export only reads"
    );
}
