//! `diagram` (SPEC 9): the SVG parses and renders (resvg) and names every subnet, route,
//! gateway, instance group and the API load balancer; Mermaid is a reviewed snapshot.

mod common;

use common::*;
use kops6_views::diagram::{mermaid, svg};
use kops6_views::Topology;

/// Every text of the SVG as resvg's parser (usvg) reads it.
fn texts(svg: &str) -> Vec<String> {
    let tree = parse(svg);
    let mut out = Vec::new();
    collect(tree.root(), &mut out);
    out
}

fn parse(svg: &str) -> resvg::usvg::Tree {
    let mut opt = resvg::usvg::Options::default();
    opt.fontdb_mut().load_system_fonts();
    // Without a font, usvg drops every text node and the checks below could not see them.
    assert!(
        !opt.fontdb.is_empty(),
        "no system font for resvg: install one (scripts/test installs fonts-dejavu-core)"
    );
    resvg::usvg::Tree::from_str(svg, &opt).expect("the SVG parses")
}

fn collect(group: &resvg::usvg::Group, out: &mut Vec<String>) {
    for node in group.children() {
        match node {
            resvg::usvg::Node::Group(g) => collect(g, out),
            resvg::usvg::Node::Text(t) => {
                out.push(t.chunks().iter().map(|c| c.text()).collect::<String>())
            }
            _ => {}
        }
    }
}

/// Renders to pixels; returns how many are not white.
fn inked_pixels(svg: &str) -> (u32, u32, usize) {
    let tree = parse(svg);
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).expect("size");
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    let inked = pixmap
        .pixels()
        .iter()
        .filter(|p| (p.red(), p.green(), p.blue()) != (255, 255, 255))
        .count();
    assert!(pixmap.encode_png().is_ok());
    (size.width(), size.height(), inked)
}

fn ha() -> Topology {
    build(&ha_three_zones()).topology()
}

#[test]
fn svg_renders_and_names_every_subnet() {
    let topo = ha();
    let svg = svg(&topo);
    let (w, h, inked) = inked_pixels(&svg);
    assert!(w > 800 && h > 400, "{w}x{h}");
    assert!(
        inked > (w * h / 20) as usize,
        "only {inked} of {} pixels drawn",
        w * h
    );
    let texts = texts(&svg);
    for s in &topo.subnets {
        assert!(
            texts.contains(&s.name),
            "subnet {} is not named: {texts:?}",
            s.name
        );
        let v6 = format!("IPv6 {}", s.ipv6_label().unwrap());
        assert!(
            texts.iter().any(|t| t.starts_with(&v6)),
            "{} has no {v6:?} line",
            s.name
        );
    }
    for zone in ZONES3 {
        assert!(texts.iter().any(|t| t == zone), "zone {zone} is not drawn");
    }
}

#[test]
fn svg_labels_routes_gateways_groups_and_the_api_load_balancer() {
    let svg = svg(&ha());
    let texts = texts(&svg);
    let has = |s: &str| texts.iter().any(|t| t == s);
    for expected in [
        "Internet",
        "Internet gateway",
        "Egress-only internet gateway",
        "IPv4 172.20.0.0/22",
        "IPv4 none (IPv6-only)",
        "IPv6 /64#0 (DNS64)",
        "0.0.0.0/0, ::/0 \u{2192} IGW",
        "0.0.0.0/0, 64:ff9b::/96 \u{2192} NAT us-east-1a",
        "::/0 \u{2192} egress-only IGW",
        "NAT gateway us-east-1a (NAT + NAT64)",
        "\u{25c6} API NLB api-ipv6-example-com (TCP 443, dualstack)",
        "\u{25a0} control-plane-us-east-1b (Master \u{00d7}1)",
        "\u{25a0} nodes-us-east-1c (Node \u{00d7}1)",
    ] {
        assert!(has(expected), "{expected:?} is not in {texts:#?}");
    }
}

#[test]
fn svg_shows_resolved_ipv6_ranges_once_the_vpc_block_is_known() {
    let topo = build(&private_ipv6(&[A])).topology_in("2600:1f18:aa:bb00::/56");
    let texts = texts(&svg(&topo));
    assert!(
        texts
            .iter()
            .any(|t| t == "IPv6 2600:1f18:aa:bb00::/64 (DNS64)"),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t == "IPv6 2600:1f18:aa:bb02::/64"),
        "{texts:?}"
    );
}

#[test]
fn svg_of_an_ipv4_cluster_renders_without_ipv6_ranges() {
    let svg = svg(&build(&private_ipv4(&[A, B])).topology());
    let (_, _, inked) = inked_pixels(&svg);
    assert!(inked > 0);
    let texts = texts(&svg);
    assert!(texts.iter().any(|t| t == "IPv6 none"), "{texts:?}");
    assert!(
        !texts.iter().any(|t| t.contains("egress-only")),
        "{texts:?}"
    );
}

#[test]
fn diagrams_are_byte_stable() {
    let a = ha();
    let b = ha();
    assert_eq!(svg(&a), svg(&b));
    assert_eq!(mermaid(&a), mermaid(&b));
}

#[test]
fn mermaid_of_the_one_zone_private_ipv6_cluster() {
    insta::assert_snapshot!(mermaid(&build(&private_ipv6(&[A])).topology()));
}

#[test]
fn mermaid_of_a_transit_gateway_egress() {
    let mut set = private_ipv6(&[A]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut set, name).egress = Some(kops6_api::types::Egress::TransitGateway(
            "tgw-0123456789abcdef0".into(),
        ));
    }
    insta::assert_snapshot!(mermaid(&build(&set).topology()));
}

/// Mermaid's own parser (the `mermaid` npm package under Node, `testsupport/mermaid`), or why it
/// cannot run here.
fn mermaid_checker() -> Result<std::path::PathBuf, String> {
    let dir = std::env::var_os("KOPS6_MERMAID_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testsupport/mermaid")
        });
    let node = std::process::Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Err("node is not on PATH".into());
    }
    if !dir.join("node_modules/mermaid/package.json").exists() {
        return Err(format!(
            "{} has no node_modules (run `npm ci --prefix {}`)",
            dir.display(),
            dir.display()
        ));
    }
    Ok(dir.join("check.mjs"))
}

/// Runs the parser on each text in one Node process (loading mermaid is the slow part): one
/// `ok <type>` line per text it accepts, and whether it accepted all (else its error, which
/// stops it at the first text it rejects).
fn mermaid_parse(check: &std::path::Path, texts: &[&str]) -> (Vec<String>, Result<(), String>) {
    let dir = tempfile_dir();
    let files: Vec<std::path::PathBuf> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let f = dir.join(format!("{i}.mmd"));
            std::fs::write(&f, t).expect("write a diagram");
            f
        })
        .collect();
    let out = std::process::Command::new("node")
        .arg(check)
        .args(&files)
        .output()
        .expect("node runs");
    let _ = std::fs::remove_dir_all(&dir);
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    let status = if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    };
    (lines, status)
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kops6-mermaid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    dir
}

#[test]
fn mermaid_of_every_shape_parses_with_mermaid_itself() {
    let check = match mermaid_checker() {
        Ok(c) => c,
        Err(why) => {
            eprintln!("SKIPPED mermaid_of_every_shape_parses_with_mermaid_itself: {why}");
            return;
        }
    };
    let mut tgw = private_ipv6(&[A, B]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut tgw, name).egress = Some(kops6_api::types::Egress::TransitGateway(
            "tgw-0123456789abcdef0".into(),
        ));
    }
    let shapes = [
        ("private ipv6", build(&private_ipv6(&[A, B])).topology()),
        ("ha", ha()),
        (
            "ha, VPC block known",
            build(&ha_three_zones()).topology_in("2600:1f18:aa:bb00::/56"),
        ),
        ("public ipv6", build(&public_ipv6(&[A, B])).topology()),
        ("private ipv4", build(&private_ipv4(&[A, B])).topology()),
        ("transit gateway", build(&tgw).topology()),
    ];
    let texts: Vec<String> = shapes.iter().map(|(_, t)| mermaid(t)).collect();
    // Last, the first diagram with one node's label left unclosed: the parser must reject it, or
    // passing proves nothing.
    let broken = texts[0].replacen("\"]", "\"", 1);
    assert_ne!(broken, texts[0]);
    let mut refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    refs.push(&broken);
    let (accepted, status) = mermaid_parse(&check, &refs);
    assert_eq!(
        accepted,
        vec!["ok flowchart-v2"; shapes.len()],
        "Mermaid rejects a diagram: {status:?}"
    );
    let err = status.expect_err("the broken diagram is rejected");
    assert!(
        err.contains(&format!("{}.mmd: mermaid parse error", shapes.len())),
        "{err}"
    );
}
