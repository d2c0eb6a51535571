//! The CLI without AWS: `explain`, `diagram`, `reach`, `completion`, `version`, and the rough
//! edges of issue 9 (`get clusters --full`, a closed pipe). Output
//! shape and exit codes, on a file:// state store in a temporary directory.

use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use tempfile::TempDir;

const C: &str = "v6.example.com";

struct Store {
    dir: TempDir,
}

impl Store {
    /// A state store holding `create cluster --ipv6` over three zones, HA control plane.
    fn with_cluster() -> Self {
        let store = Self {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let out = store.run(&[
            "create",
            "cluster",
            "--name",
            C,
            "--zones",
            "us-east-1a,us-east-1b,us-east-1c",
            "--control-plane-zones",
            "us-east-1a,us-east-1b,us-east-1c",
            "--control-plane-count",
            "3",
            "--ipv6",
            "--networking",
            "calico",
            "--kubernetes-version",
            "v1.35.0",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        store
    }

    fn url(&self) -> String {
        format!("file://{}", self.dir.path().display())
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("kops6").expect("the kops6 binary");
        cmd.args(args)
            .env("KOPS_STATE_STORE", self.url())
            .env_remove("AWS_REGION");
        cmd
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        self.command(args).output().expect("kops6 runs")
    }

    /// stdout of a run that must succeed.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "kops6 {args:?} failed ({:?}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }
}

#[test]
fn explain_without_a_resource_lists_every_resource_by_kind() {
    let store = Store::with_cluster();
    let out = store.ok(&["explain", C]);
    assert!(out.starts_with("Cluster \"v6.example.com\": "), "{out}");
    for heading in [
        "\nVpc (1)\n",
        "\nSubnet (9)\n",
        "\nNatGateway (3)\n",
        "\nRoute (11)\n",
        "\nSecurityGroup (3)\n",
    ] {
        assert!(out.contains(heading), "{heading:?} missing in:\n{out}");
    }
    // Names are padded to the longest one (a security group rule's), so the line is matched by
    // its two ends.
    assert!(
        out.lines().any(|l| l.starts_with("  private-us-east-1b.v6.example.com/64:ff9b::/96 ")
            && l.ends_with(" spec.subnets[1]: NAT64 (64:ff9b::/96) goes to the subnet's egress or the zone's NAT gateway")),
        "{out}"
    );
}

#[test]
fn explain_one_resource_as_text_and_json() {
    let store = Store::with_cluster();
    let text = store.ok(&["explain", C, "Subnet/us-east-1a"]);
    assert_eq!(
        text,
        "Subnet/us-east-1a.v6.example.com\n\
         \x20 what:       Subnet dns64=true ipv6=/64#0 ipv6Native=true type=Private zone=us-east-1a\n\
         \x20 because:    an IPv6-only (IPv6-native, DNS64) private subnet\n\
         \x20 spec field: spec.subnets[0]\n\
         \x20 needs:      Vpc/v6.example.com\n\
         \x20 needed by:  RouteTableAssociation/us-east-1a.v6.example.com, AutoscalingGroup/nodes-us-east-1a.v6.example.com\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&store.ok(&["explain", C, "Subnet/us-east-1a", "-o", "json"]))
            .expect("JSON");
    assert_eq!(json["resource"], "Subnet/us-east-1a.v6.example.com");
    assert_eq!(json["field"], "spec.subnets[0]");
    assert_eq!(
        json["used_by"][0],
        "RouteTableAssociation/us-east-1a.v6.example.com"
    );
}

#[test]
fn explain_an_unknown_resource_fails_with_what_exists() {
    let store = Store::with_cluster();
    let out = store.run(&["explain", C, "NatGateway/eu-west-1a"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(
            "Error: no NatGateway named \"eu-west-1a\" (there are: us-east-1a.v6.example.com, "
        ),
        "{err}"
    );
}

#[test]
fn diagram_writes_svg_and_mermaid() {
    let store = Store::with_cluster();
    let svg = store.ok(&["diagram", C, "-o", "svg"]);
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(svg.trim_end().ends_with("</svg>"));
    for subnet in ["us-east-1c", "dualstack-us-east-1b", "utility-us-east-1a"] {
        assert!(
            svg.contains(&format!(">{subnet}</text>")),
            "{subnet} not drawn"
        );
    }
    let file = store.dir.path().join("net.mmd");
    let said = store.ok(&[
        "diagram",
        C,
        "-o",
        "mermaid",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(said, format!("Wrote {}\n", file.display()));
    let mermaid = std::fs::read_to_string(&file).unwrap();
    assert!(mermaid.starts_with("flowchart TB\n"), "{mermaid}");
    let resolved = store.ok(&[
        "diagram",
        C,
        "-o",
        "mermaid",
        "--vpc-ipv6-cidr",
        "2600:1f18:aa:bb00::/56",
    ]);
    assert!(
        resolved.contains("IPv6 2600:1f18:aa:bb00::/64"),
        "{resolved}"
    );
}

#[test]
fn diagram_needs_a_format() {
    let store = Store::with_cluster();
    let out = store.run(&["diagram", C]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
}

#[test]
fn reach_exits_zero_when_reachable_and_one_when_not() {
    let store = Store::with_cluster();
    let ok = store.run(&[
        "reach",
        C,
        "--from",
        "us-east-1b",
        "--to",
        "registry.example.org",
        "--a",
        "192.0.2.10",
    ]);
    assert_eq!(ok.status.code(), Some(0));
    let text = String::from_utf8(ok.stdout).unwrap();
    assert!(
        text.starts_with(
            "us-east-1b -> registry.example.org in cluster \"v6.example.com\":\n  1. source "
        ),
        "{text}"
    );
    assert!(text.contains("\n  2. dns64 "), "{text}");
    assert!(text.contains("\n  3. security-group instance group nodes-us-east-1b: security group nodes.v6.example.com allows tcp (any port) out to 64:ff9b::c000:20a"), "{text}");
    assert!(text.contains("\n  5. nat64 "), "{text}");
    assert!(text.contains("\nREACHABLE (assuming: "), "{text}");

    let no = store.run(&["reach", C, "--from", "us-east-1b", "--to", "192.0.2.10"]);
    assert_eq!(no.status.code(), Some(1));
    let text = String::from_utf8(no.stdout).unwrap();
    assert!(
        text.contains("\nNOT REACHABLE: no IPv4 address: subnet us-east-1b is IPv6-only"),
        "{text}"
    );
    assert!(no.stderr.is_empty(), "an answer, not an error");
}

#[test]
fn reach_json_has_reachable_hops_and_reason() {
    let store = Store::with_cluster();
    let out = store.run(&[
        "reach",
        C,
        "--from",
        "internet",
        "--to",
        "us-east-1a",
        "-o",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["reachable"], false);
    assert_eq!(json["hops"][1]["step"], "route");
    assert_eq!(
        json["hops"][1]["resource"],
        "Route/private-us-east-1a.v6.example.com/::/0"
    );
    assert!(json["reason"]
        .as_str()
        .unwrap()
        .starts_with("blocked by the egress-only internet gateway"));
    let api = store.run(&[
        "reach",
        C,
        "--from",
        "internet",
        "--to",
        "dualstack-us-east-1c",
        "--port",
        "443",
        "-o",
        "json",
    ]);
    assert_eq!(api.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&api.stdout).expect("JSON");
    assert_eq!(json["hops"][2]["step"], "security-group");
    assert_eq!(
        json["hops"][2]["resource"],
        "SecurityGroupRule/from-::/0-ingress-tcp-443to443-api-elb.v6.example.com"
    );
    assert_eq!(json["hops"][3]["step"], "load-balancer");
    assert_eq!(json["hops"][4]["step"], "security-group");
    assert_eq!(
        json["hops"][4]["resource"],
        "SecurityGroupRule/https-elb-to-master"
    );
}

#[test]
fn reach_checks_security_groups_between_instance_groups() {
    let store = Store::with_cluster();
    let api = store.run(&[
        "reach",
        C,
        "--from",
        "nodes-us-east-1a",
        "--to",
        "control-plane-us-east-1b",
        "--port",
        "443",
    ]);
    assert_eq!(
        api.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&api.stderr)
    );
    let etcd = store.run(&[
        "reach",
        C,
        "--from",
        "nodes-us-east-1a",
        "--to",
        "control-plane-us-east-1b",
        "--port",
        "2380",
        "-o",
        "json",
    ]);
    assert_eq!(etcd.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&etcd.stdout).expect("JSON");
    assert_eq!(json["reachable"], false);
    assert_eq!(
        json["reason"],
        "security group masters.v6.example.com has no ingress rule for tcp/2380 from instance group nodes-us-east-1a (subnet us-east-1a, security group nodes.v6.example.com)"
    );
    let hops = json["hops"].as_array().unwrap();
    let last = hops.last().unwrap();
    assert_eq!(last["step"], "security-group");
    assert_eq!(last["resource"], "SecurityGroup/masters.v6.example.com");
    assert_eq!(
        last.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["detail", "resource", "step"],
        "hops keep their shape"
    );
}

#[test]
fn reach_group_and_protocol_flags() {
    let store = Store::with_cluster();
    let ping = store.ok(&[
        "reach",
        C,
        "--from",
        "us-east-1a",
        "--to",
        "2001:db8::1",
        "--protocol",
        "icmp",
    ]);
    assert!(
        ping.contains("allows icmpv6 echo request out to 2001:db8::1"),
        "{ping}"
    );
    let group = store.ok(&[
        "reach",
        C,
        "--from",
        "us-east-1a",
        "--group",
        "nodes-us-east-1a",
        "--to",
        "2001:db8::1",
        "--port",
        "443",
    ]);
    assert!(
        group.contains(
            "instance group nodes-us-east-1a: security group nodes.v6.example.com allows tcp/443"
        ),
        "{group}"
    );
    let wrong = store.run(&[
        "reach",
        C,
        "--from",
        "us-east-1a",
        "--group",
        "control-plane-us-east-1a",
        "--to",
        "2001:db8::1",
    ]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&wrong.stderr).starts_with(
            "Error: --group: \"control-plane-us-east-1a\" is not an instance group running in subnet us-east-1a"
        ),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    let icmp_port = store.run(&[
        "reach",
        C,
        "--from",
        "us-east-1a",
        "--to",
        "2001:db8::1",
        "--protocol",
        "icmp",
        "--port",
        "8",
    ]);
    assert_eq!(icmp_port.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&icmp_port.stderr).starts_with("Error: --port: icmp has no ports")
    );
    let bad = store.run(&[
        "reach",
        C,
        "--from",
        "us-east-1a",
        "--to",
        "::1",
        "--protocol",
        "sctp",
    ]);
    assert_eq!(bad.status.code(), Some(2), "a usage error");
}

#[test]
fn reach_with_an_unknown_subnet_is_an_error() {
    let store = Store::with_cluster();
    let out = store.run(&["reach", C, "--from", "nowhere", "--to", "::1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("Error: --from: \"nowhere\" is neither a subnet"));
}

#[test]
fn get_clusters_full_without_output_prints_the_completed_yaml() {
    let store = Store::with_cluster();
    let table = store.ok(&["get", "clusters"]);
    assert!(table.starts_with("NAME"), "{table}");
    let full = store.ok(&["get", "clusters", "--full"]);
    assert!(
        full.starts_with("apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\n"),
        "{full}"
    );
    assert!(
        full.contains("serviceClusterIPRange: fd00:5e4f:ce::/108"),
        "completed defaults:\n{full}"
    );
    let plain = store.ok(&["get", "clusters", "-o", "yaml"]);
    assert!(
        !plain.contains("serviceClusterIPRange"),
        "without --full, only what was set"
    );
}

#[test]
fn create_cluster_with_a_shared_vpc_needs_its_cidr() {
    let store = Store::with_cluster();
    let args = [
        "create",
        "cluster",
        "--name",
        "s.example.com",
        "--zones",
        "us-east-1a",
        "--ipv6",
        "--vpc",
        "vpc-12345678",
        "--dry-run",
    ];
    let out = store.run(&args);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error: --vpc: also give the shared VPC's IPv4 CIDR with --network-cidr (kops6 does not read it from AWS)\n"
    );
    let with_cidr = store.ok(&[&args[..], &["--network-cidr", "10.0.0.0/16"]].concat());
    assert!(
        with_cidr.contains("networkCIDR: 10.0.0.0/16\n  networkID: vpc-12345678\n"),
        "{with_cidr}"
    );
}

#[test]
fn create_cluster_api_loadbalancer_type_internal() {
    let store = Store::with_cluster();
    let yaml = store.ok(&[
        "create",
        "cluster",
        "--name",
        "i.example.com",
        "--zones",
        "us-east-1a",
        "--ipv6",
        "--api-loadbalancer-type",
        "internal",
        "--dry-run",
    ]);
    assert!(
        yaml.contains("  api:\n    loadBalancer:\n      class: Network\n      type: Internal\n"),
        "{yaml}"
    );
}

#[test]
fn completion_scripts_for_bash_zsh_and_fish() {
    let store = Store::with_cluster();
    let bash = store.ok(&["completion", "bash"]);
    assert!(
        bash.contains("complete -F _kops6"),
        "{}",
        &bash[..200.min(bash.len())]
    );
    assert!(bash.contains("reach"));
    let zsh = store.ok(&["completion", "zsh"]);
    assert!(
        zsh.starts_with("#compdef kops6"),
        "{}",
        &zsh[..100.min(zsh.len())]
    );
    let fish = store.ok(&["completion", "fish"]);
    assert!(
        fish.contains("complete -c kops6"),
        "{}",
        &fish[..200.min(fish.len())]
    );
    assert_eq!(store.run(&["completion", "tcsh"]).status.code(), Some(2));
}

#[test]
fn version_prints_the_client_version() {
    let store = Store::with_cluster();
    let v = env!("CARGO_PKG_VERSION");
    assert_eq!(
        store.ok(&["version"]),
        format!("Client version: {v} (speaks kops.k8s.io/v1alpha2)\n")
    );
    assert_eq!(store.ok(&["version", "--short"]), format!("{v}\n"));
}

/// `kops6 ... | head`: the reader goes away before kops6 writes; kops6 must end without a
/// panic or any message.
#[test]
fn a_closed_pipe_ends_quietly() {
    let store = Store::with_cluster();
    for args in [
        &["explain", C][..],
        &["get", "clusters"],
        &["diagram", C, "-o", "svg"],
    ] {
        let mut child = store
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kops6 starts");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("kops6 ends");
        assert!(
            out.stderr.is_empty(),
            "kops6 {args:?} wrote to stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            assert!(
                out.status.success() || out.status.signal() == Some(13),
                "kops6 {args:?}: {:?}",
                out.status
            );
        }
    }
}
