//! The Terraform target, proven with real Terraform: `kops6 update cluster --target terraform`
//! output is applied to moto on loopback, the network is read back through the AWS API and
//! checked against SPEC 6, and a second `terraform plan` must report no changes. Without a DNS
//! zone the user data are templates Terraform fills with the load balancer's DNS name: the
//! launch templates are read back to see it did, as kops6 fills them.
//!
//! Skipped, with a message, where Terraform or its provider mirror is absent.

use std::path::Path;

use assert_cmd::Command;
use kops6_testsupport::network::*;
use kops6_testsupport::{aws, skip, Moto, Terraform};
use serde_json::Value;

/// One test's world: moto, a state store, a Terraform folder.
struct Bed {
    moto: Moto,
    terraform: Terraform,
    dir: tempfile::TempDir,
}

impl Bed {
    fn new(test: &str) -> Option<Bed> {
        let terraform = match Terraform::find() {
            Ok(t) => t,
            Err(why) => return skip(test, &why),
        };
        Some(Bed {
            moto: Moto::start(),
            terraform,
            dir: tempfile::tempdir().expect("temp dir"),
        })
    }

    fn state(&self) -> String {
        format!("file://{}/state", self.dir.path().display())
    }

    fn tf_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("tf")
    }

    fn kops6(&self, args: &[&str]) -> String {
        let out = Command::cargo_bin("kops6")
            .expect("kops6 binary")
            .arg("--state")
            .arg(self.state())
            .args(args)
            // Look-ups (a shared VPC's egress-only gateway) go to moto, never to AWS.
            .env("AWS_ENDPOINT_URL", self.moto.endpoint())
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .output()
            .expect("kops6 runs");
        assert!(
            out.status.success(),
            "kops6 {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Renders, applies, checks that a second plan has no changes; returns the network.
    fn apply(&self, vars: &[&str]) -> Value {
        let tf = self.tf_dir();
        self.kops6(&[
            "update",
            "cluster",
            C,
            "--target",
            "terraform",
            "--out",
            tf.to_str().expect("utf-8 path"),
        ]);
        std::fs::write(
            tf.join("kubernetes_override.tf"),
            Terraform::moto_override(&self.moto.endpoint()),
        )
        .expect("override written");
        let t = &self.terraform;
        t.ok(&tf, &["init", "-input=false", "-no-color"]);
        t.ok(&tf, &["validate", "-no-color"]);
        let mut apply = vec!["apply", "-auto-approve", "-input=false", "-no-color"];
        apply.extend_from_slice(vars);
        t.ok(&tf, &apply);
        let mut plan = vec!["plan", "-detailed-exitcode", "-input=false", "-no-color"];
        plan.extend_from_slice(vars);
        let second = t.run(&tf, &plan);
        assert_eq!(
            second.status.code(),
            Some(0),
            "a second plan must report no changes:\n{}{}",
            String::from_utf8_lossy(&second.stdout),
            String::from_utf8_lossy(&second.stderr)
        );
        let vpc_id = t.ok(&tf, &["output", "-raw", "vpc_id"]);
        aws(
            &self.moto.endpoint(),
            &["network", "--vpc-id", vpc_id.trim()],
        )
    }
}

fn write_spec(dir: &Path, yaml: &str) -> String {
    let path = dir.join("spec.yaml");
    std::fs::write(&path, yaml).expect("spec written");
    path.to_str().expect("utf-8").to_string()
}

// ---- the scenarios ----

#[test]
fn two_zone_private_ipv6_cluster_applies_as_spec_6_says() {
    let Some(bed) = Bed::new("two_zone_private_ipv6_cluster_applies_as_spec_6_says") else {
        return;
    };
    bed.kops6(&[
        "create",
        "cluster",
        "--name",
        C,
        "--zones",
        "us-east-1a,us-east-1b",
        "--ipv6",
        "--networking",
        "calico",
        "--kubernetes-version",
        "v1.35.0",
    ]);
    let net = bed.apply(&[]);
    expect_two_zone_private(&net);
    expect_user_data_filled_in(&bed);
}

/// No DNS zone: each launch template's user data, read back through the EC2 API, is its
/// `data/` template as Terraform filled it, with the real load balancer's DNS name where the
/// API name goes and no placeholder left. Filling the template here the same way and getting
/// the same bytes checks kops6's escaping against Terraform's own `templatefile()`.
fn expect_user_data_filled_in(bed: &Bed) {
    use kops6_testsupport::cluster::{api_load_balancer_dns_name, launch_template_user_data};
    let got = aws(&bed.moto.endpoint(), &["cluster", "--cluster", C]);
    let dns = api_load_balancer_dns_name(&got);
    let user_data = launch_template_user_data(&got);
    assert_eq!(user_data.len(), 3, "{:?}", user_data.keys());
    let main = std::fs::read_to_string(bed.tf_dir().join("kubernetes.tf")).expect("kubernetes.tf");
    for (name, text) in &user_data {
        let file = format!("data/aws_launch_template_{name}_user_data");
        assert!(
            main.contains(&format!(
                "base64encode(templatefile(\"${{path.module}}/{file}\", {{ api_lb_dns_name = aws_lb."
            )),
            "{name} is filled in by templatefile:\n{main}"
        );
        let template = std::fs::read_to_string(bed.tf_dir().join(&file)).expect("template");
        assert!(template.contains("${api_lb_dns_name}"), "{file}");
        assert!(
            text.contains(&format!("KOPS6_API='{dns}:443'")),
            "{name}: {text}"
        );
        if name.contains(".masters.") {
            assert!(
                text.contains(&format!("controlPlaneEndpoint: {dns}:443"))
                    && text.contains(&format!("  - {dns}\n")),
                "{name}: kubeadm's endpoint and a certificate SAN: {text}"
            );
        }
        assert!(
            !text.contains("api_lb_dns_name"),
            "{name}: no placeholder is left"
        );
        assert!(
            !text.contains(".invalid"),
            "{name}: no stand-in name is left"
        );
        assert!(!text.contains("$${"), "{name}: no escape is left");
        assert_eq!(
            text,
            &kops6_bootstrap::template::fill(&template, &dns).expect("fills"),
            "{name}: Terraform and kops6 fill the template the same way"
        );
    }
}

#[test]
fn public_topology_ipv6_cluster_routes_nat64_through_a_nat_gateway_in_its_public_subnet() {
    let test =
        "public_topology_ipv6_cluster_routes_nat64_through_a_nat_gateway_in_its_public_subnet";
    let Some(bed) = Bed::new(test) else {
        return;
    };
    bed.kops6(&[
        "create",
        "cluster",
        "--name",
        C,
        "--zones",
        "us-east-1a,us-east-1b",
        "--ipv6",
        "--topology",
        "public",
        "--networking",
        "cilium",
        "--kubernetes-version",
        "v1.35.0",
    ]);
    let net = bed.apply(&[]);
    expect_two_zone_public(&net);
}

#[test]
fn cluster_in_a_shared_vpc_uses_its_gateways_and_creates_no_vpc() {
    let Some(bed) = Bed::new("cluster_in_a_shared_vpc_uses_its_gateways_and_creates_no_vpc") else {
        return;
    };
    let shared = aws(
        &bed.moto.endpoint(),
        &["shared-vpc", "--cidr", "10.1.0.0/16"],
    );
    let vpc_id = shared["vpcId"].as_str().expect("vpc id");
    let eigw = shared["egressOnlyInternetGatewayId"]
        .as_str()
        .expect("eigw id");
    let igw = shared["internetGatewayId"].as_str().expect("igw id");
    bed.kops6(&[
        "create",
        "cluster",
        "--name",
        C,
        "--zones",
        "us-east-1a",
        "--ipv6",
        "--vpc",
        vpc_id,
        "--network-cidr",
        "10.1.0.0/16",
        "--networking",
        "calico",
        "--kubernetes-version",
        "v1.35.0",
    ]);
    // AWS is reachable, so kops6 looked the gateway up: no variable is left to pass.
    let net = bed.apply(&[]);
    let tf = std::fs::read_to_string(bed.tf_dir().join("kubernetes.tf")).expect("kubernetes.tf");
    assert!(!tf.contains("variable \""), "no variable is left:\n{tf}");
    assert!(tf.contains(eigw), "the gateway is written as a literal");
    expect_shared_vpc(&net, vpc_id, igw, eigw);
}

#[test]
fn shared_vpc_without_ipv6_block_fails_before_anything_is_created() {
    let Some(bed) = Bed::new("shared_vpc_without_ipv6_block_fails_before_anything_is_created")
    else {
        return;
    };
    let shared = aws(
        &bed.moto.endpoint(),
        &[
            "shared-vpc",
            "--cidr",
            "10.2.0.0/16",
            "--no-ipv6",
            "--no-egress-only-gateway",
        ],
    );
    let vpc_id = shared["vpcId"].as_str().expect("vpc id");
    bed.kops6(&[
        "create",
        "cluster",
        "--name",
        C,
        "--zones",
        "us-east-1a",
        "--ipv6",
        "--vpc",
        vpc_id,
        "--network-cidr",
        "10.2.0.0/16",
        "--networking",
        "calico",
    ]);
    let tf = bed.tf_dir();
    bed.kops6(&[
        "update",
        "cluster",
        C,
        "--target",
        "terraform",
        "--out",
        tf.to_str().expect("utf-8"),
    ]);
    std::fs::write(
        tf.join("kubernetes_override.tf"),
        Terraform::moto_override(&bed.moto.endpoint()),
    )
    .expect("override");
    bed.terraform
        .ok(&tf, &["init", "-input=false", "-no-color"]);
    let plan = bed.terraform.run(
        &tf,
        &[
            "plan",
            "-input=false",
            "-no-color",
            "-var",
            "egress_only_internet_gateway_id=eigw-0123456789",
        ],
    );
    let text =
        String::from_utf8_lossy(&plan.stderr).to_string() + &String::from_utf8_lossy(&plan.stdout);
    assert!(!plan.status.success(), "plan must fail:\n{text}");
    assert!(
        text.contains(&format!("The shared VPC {vpc_id} has no IPv6 CIDR block")),
        "{text}"
    );
    let net = aws(&bed.moto.endpoint(), &["network", "--vpc-id", vpc_id]);
    assert_eq!(count(&net, "subnets"), 0, "nothing was created");
}

#[test]
fn transit_gateway_egress_and_external_subnet_route_as_spec_6_says() {
    let Some(bed) = Bed::new("transit_gateway_egress_and_external_subnet_route_as_spec_6_says")
    else {
        return;
    };
    let tgw = aws(&bed.moto.endpoint(), &["transit-gateway"]);
    let tgw = tgw["transitGatewayId"].as_str().expect("tgw id");
    let spec = tgw_and_external_spec(tgw);
    let file = write_spec(bed.dir.path(), &spec);
    bed.kops6(&["create", "-f", &file]);
    let net = bed.apply(&[]);
    expect_tgw_and_external(&net, tgw);
}

/// kops6's escaping against Terraform's own `templatefile()`, without moto: every group's
/// template of a no-DNS cluster, plus a text full of `${`, `%{` and `$${`, filled by Terraform
/// (`terraform apply` of outputs only) and by `kops6_bootstrap::template::fill` must agree, and
/// the escaped text must come back exactly.
#[test]
fn terraform_templatefile_fills_kops6_templates_as_kops6_does() {
    use kops6_bootstrap::template::{escape, fill};
    let Some(terraform) = Terraform::find()
        .map_err(|why| {
            skip::<()>(
                "terraform_templatefile_fills_kops6_templates_as_kops6_does",
                &why,
            )
        })
        .ok()
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let new = kops6_api::new_cluster::new_cluster(&kops6_api::new_cluster::NewClusterOptions {
        name: C.into(),
        zones: vec!["us-east-1a".into(), "us-east-1b".into()],
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        ..Default::default()
    })
    .expect("options");
    let completed = kops6_api::ClusterSpecSet::new(new.cluster, new.instance_groups)
        .expect("set")
        .check(&Default::default())
        .expect("valid");
    let store = kops6_bootstrap::StateStoreLocation::from_url("s3://b/p", C, "us-east-1");
    let bootstrap =
        kops6_bootstrap::template::render(&completed, store, "us-east-1").expect("renders");
    let tricky = "a ${X} b %{ if y } c $${z} d %%{w} e $$${v} f $ % { g ${";
    let mut texts: Vec<(String, String, String)> = bootstrap
        .groups
        .iter()
        .map(|g| (g.instance_group.clone(), g.user_data.clone(), String::new()))
        .collect();
    texts.push(("tricky".into(), escape(tricky), tricky.into()));
    let dns = "api-c-0123456789abcdef.elb.us-east-1.amazonaws.com";
    let mut tf = String::new();
    for (i, (_, text, _)) in texts.iter().enumerate() {
        std::fs::write(dir.path().join(format!("t{i}")), text).expect("written");
        tf.push_str(&format!(
            "output \"t{i}\" {{\n  value = base64encode(templatefile(\"${{path.module}}/t{i}\", {{ api_lb_dns_name = \"{dns}\" }}))\n}}\n"
        ));
    }
    std::fs::write(dir.path().join("main.tf"), tf).expect("main.tf");
    terraform.ok(dir.path(), &["init", "-input=false", "-no-color"]);
    terraform.ok(
        dir.path(),
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    for (i, (name, text, original)) in texts.iter().enumerate() {
        let b64 = terraform.ok(dir.path(), &["output", "-raw", &format!("t{i}")]);
        let by_terraform = String::from_utf8(kops6_testsupport::cluster::decode_base64(b64.trim()))
            .expect("utf-8");
        assert_eq!(by_terraform, fill(text, dns).expect("fills"), "{name}");
        if name == "tricky" {
            assert_eq!(&by_terraform, original, "escaped text comes back unchanged");
        } else {
            assert!(
                by_terraform.contains(&format!("KOPS6_API='{dns}:443'")),
                "{name}"
            );
        }
    }
}
