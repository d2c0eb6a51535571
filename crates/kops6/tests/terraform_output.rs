//! `update cluster --target terraform` without AWS: the whole cluster (SPEC 6 and 7) is written
//! with its data files, and what Terraform cannot look up is named with the `-var` to pass.

mod cli;
use cli::ok;

const NAME: &str = "ipv6.example.com";

#[test]
fn a_shared_vpc_names_the_gateway_variable_to_pass() {
    let dir = tempfile::tempdir().unwrap();
    let state = format!("file://{}/state", dir.path().display());
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
            "--vpc",
            "vpc-0123456789abcdef0",
            "--network-cidr",
            "10.1.0.0/16",
        ],
    );
    let out = dir.path().join("tf");
    let said = ok(
        &state,
        &[
            "update",
            "cluster",
            NAME,
            "--target",
            "terraform",
            "--offline",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        said.contains("terraform apply -var egress_only_internet_gateway_id=..."),
        "{said}"
    );
    assert!(said.contains("egress_only_internet_gateway_id: the shared VPC's egress-only internet gateway (eigw-...)"), "{said}");
}

#[test]
fn the_whole_cluster_is_written_with_its_data_files() {
    let dir = tempfile::tempdir().unwrap();
    let state = format!("file://{}/state", dir.path().display());
    ok(
        &state,
        &[
            "create",
            "cluster",
            "--name",
            NAME,
            "--zones",
            "us-east-1a,us-east-1b",
            "--ipv6",
            "--networking",
            "calico",
        ],
    );
    let out = dir.path().join("tf");
    let said = ok(
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
    assert!(
        !said.contains("-var"),
        "a managed VPC needs no variable: {said}"
    );
    let tf = std::fs::read_to_string(out.join("kubernetes.tf")).unwrap();
    for block in [
        "resource \"aws_security_group\" \"masters-ipv6-example-com\"",
        "resource \"aws_iam_role\" \"nodes-ipv6-example-com\"",
        "resource \"aws_launch_template\" \"nodes-us-east-1a-ipv6-example-com\"",
        "resource \"aws_autoscaling_group\" \"control-plane-us-east-1a-masters-ipv6-example-com\"",
        "resource \"aws_ebs_volume\" \"us-east-1a-etcd-main-ipv6-example-com\"",
        "resource \"aws_lb\" \"api-ipv6-example-com\"",
    ] {
        assert!(tf.contains(block), "no {block}");
    }
    assert!(out
        .join("data/aws_iam_role_policy_masters.ipv6.example.com_policy")
        .is_file());
    let plan = ok(&state, &["update", "cluster", NAME, "--offline"]);
    assert!(
        plan.contains("LaunchTemplate") && plan.contains("SecurityGroupRule"),
        "{plan}"
    );
}
