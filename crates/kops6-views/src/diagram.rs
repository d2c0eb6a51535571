//! `diagram`: the cluster's network as a self-contained SVG or as Mermaid (SPEC 9).
//!
//! Zones stand side by side inside the VPC; each zone's subnets are stacked by type (Utility,
//! Public, DualStack, Private) and show their IPv4 and IPv6 ranges, the NAT gateway, the API load
//! balancer and the instance groups they hold. Each route is a labelled line in its subnet with
//! an arrow that leaves on the right, climbs its zone's lane for that gateway and joins the
//! gateway's bus above the VPC (or, for a NAT gateway, turns into the zone's Utility subnet).
//!
//! The SVG is written by hand: the picture is boxes, text and orthogonal lines, and a layout
//! engine (Graphviz and its ports) would place zones and gateways where it likes rather than in
//! the fixed reading order this picture depends on.

use std::fmt::Write as _;

use kops6_api::types::SubnetType;
use kops6_model::plan::describe_target;
use kops6_model::{Key, RouteTarget, Value};

use crate::topology::{GatewayKind, SubnetView, Topology};

/// Where a subnet's route goes, as the diagram draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// A NAT gateway of the graph in one of the cluster's subnets.
    Nat { key: Key, subnet: String },
    /// A box in the gateway row above the VPC.
    Top(usize),
}

/// A box in the gateway row: the internet gateway, the egress-only one, and anything else
/// routes name (transit gateways, existing NAT gateways, peering, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
struct TopBox {
    label: String,
    detail: String,
    class: Class,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Internet,
    EgressOnly,
    Nat,
    Other,
}

impl Class {
    fn color(self) -> &'static str {
        match self {
            Self::Internet => "#2e7d32",
            Self::EgressOnly => "#1565c0",
            Self::Nat => "#e65100",
            Self::Other => "#6a1b9a",
        }
    }

    fn css(self) -> &'static str {
        match self {
            Self::Internet => "igw",
            Self::EgressOnly => "eigw",
            Self::Nat => "nat",
            Self::Other => "other",
        }
    }
}

/// One subnet's routes to one target, drawn as one labelled arrow.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edge {
    subnet: usize,
    target: Target,
    destinations: Vec<String>,
    class: Class,
}

/// The diagram's model: gateways and edges, shared by the SVG and the Mermaid writers.
struct Picture<'a> {
    topo: &'a Topology,
    tops: Vec<TopBox>,
    edges: Vec<Edge>,
}

impl<'a> Picture<'a> {
    fn new(topo: &'a Topology) -> Self {
        let mut tops: Vec<TopBox> = Vec::new();
        for g in &topo.gateways {
            tops.push(TopBox {
                label: match g.kind {
                    GatewayKind::Internet => "Internet gateway".into(),
                    GatewayKind::EgressOnly => "Egress-only internet gateway".into(),
                },
                detail: g.resource.clone(),
                class: match g.kind {
                    GatewayKind::Internet => Class::Internet,
                    GatewayKind::EgressOnly => Class::EgressOnly,
                },
            });
        }
        let mut edges: Vec<Edge> = Vec::new();
        for (i, s) in topo.subnets.iter().enumerate() {
            for r in &s.routes {
                let (target, class) = target_of(topo, &r.target, &mut tops);
                match edges
                    .iter_mut()
                    .find(|e| e.subnet == i && e.target == target)
                {
                    Some(e) => e.destinations.push(r.destination.to_string()),
                    None => edges.push(Edge {
                        subnet: i,
                        target,
                        destinations: vec![r.destination.to_string()],
                        class,
                    }),
                }
            }
        }
        Self { topo, tops, edges }
    }
}

fn target_of(topo: &Topology, t: &RouteTarget, tops: &mut Vec<TopBox>) -> (Target, Class) {
    let gateway = |kind: GatewayKind, tops: &mut Vec<TopBox>| {
        let class = match kind {
            GatewayKind::Internet => Class::Internet,
            GatewayKind::EgressOnly => Class::EgressOnly,
        };
        let i = tops
            .iter()
            .position(|b| b.class == class)
            .unwrap_or_else(|| {
                tops.push(TopBox {
                    label: kind.to_string(),
                    detail: describe_target(t),
                    class,
                });
                tops.len() - 1
            });
        (Target::Top(i), class)
    };
    match t {
        RouteTarget::InternetGateway(_) => gateway(GatewayKind::Internet, tops),
        RouteTarget::EgressOnlyInternetGateway(_) => gateway(GatewayKind::EgressOnly, tops),
        RouteTarget::NatGateway(Value::Ref(key)) => {
            match topo.nat(key).and_then(|n| n.subnet.clone()) {
                Some(subnet) => (
                    Target::Nat {
                        key: key.clone(),
                        subnet,
                    },
                    Class::Nat,
                ),
                None => other(tops, "NAT gateway", describe_target(t), Class::Nat),
            }
        }
        RouteTarget::NatGateway(_) => other(tops, "NAT gateway", describe_target(t), Class::Nat),
        RouteTarget::TransitGateway(id) => other(tops, "Transit gateway", id.clone(), Class::Other),
        RouteTarget::Instance(id) => other(tops, "Instance", id.clone(), Class::Other),
        RouteTarget::VpcPeeringConnection(id) => {
            other(tops, "VPC peering", id.clone(), Class::Other)
        }
        RouteTarget::VpcEndpoint(id) => other(tops, "VPC endpoint", id.clone(), Class::Other),
        RouteTarget::VpnGateway(id) => other(tops, "VPN gateway", id.clone(), Class::Other),
    }
}

fn other(tops: &mut Vec<TopBox>, label: &str, detail: String, class: Class) -> (Target, Class) {
    let i = tops
        .iter()
        .position(|b| b.detail == detail)
        .unwrap_or_else(|| {
            tops.push(TopBox {
                label: label.into(),
                detail,
                class,
            });
            tops.len() - 1
        });
    (Target::Top(i), class)
}

/// Subnets top to bottom in a zone: public-facing first, as traffic climbs to the gateways.
fn type_rank(t: SubnetType) -> u8 {
    match t {
        SubnetType::Utility => 0,
        SubnetType::Public => 1,
        SubnetType::DualStack => 2,
        SubnetType::Private => 3,
    }
}

fn type_fill(t: SubnetType) -> &'static str {
    match t {
        SubnetType::Utility => "#e0f2f1",
        SubnetType::Public => "#e8f5e9",
        SubnetType::DualStack => "#fff8e1",
        SubnetType::Private => "#fce4ec",
    }
}

fn type_stroke(t: SubnetType) -> &'static str {
    match t {
        SubnetType::Utility => "#00796b",
        SubnetType::Public => "#388e3c",
        SubnetType::DualStack => "#d08c00",
        SubnetType::Private => "#c2185b",
    }
}

fn route_label(e: &Edge, pic: &Picture<'_>) -> String {
    let to = match &e.target {
        Target::Nat { subnet, .. } => {
            let zone = pic
                .topo
                .subnet(subnet)
                .map_or(subnet.as_str(), |s| s.zone.as_str());
            format!("NAT {zone}")
        }
        Target::Top(i) => match pic.tops[*i].class {
            Class::Internet => "IGW".into(),
            Class::EgressOnly => "egress-only IGW".into(),
            Class::Nat | Class::Other => pic.tops[*i].detail.clone(),
        },
    };
    format!("{} \u{2192} {to}", e.destinations.join(", "))
}

// ---------------------------------------------------------------------------------------------
// SVG

const MARGIN: f64 = 20.0;
const BOX_W: f64 = 300.0;
const LANE_GAP: f64 = 14.0;
const LINE: f64 = 15.0;
const PAD: f64 = 8.0;
const SUBNET_GAP: f64 = 16.0;
const TOP_W: f64 = 250.0;
const TOP_H: f64 = 44.0;
const FONT: &str = "DejaVu Sans, Verdana, Arial, sans-serif";

/// A positioned subnet box and the y of each of its route lines.
struct Placed {
    x: f64,
    y: f64,
    h: f64,
    route_ys: Vec<(usize, f64)>,
    nat_y: Option<f64>,
}

/// Size, weight, colour and anchor of a text.
#[derive(Clone, Copy)]
struct Font(f64, &'static str, &'static str, &'static str);

struct Svg {
    out: String,
}

impl Svg {
    fn rect(&mut self, (x, y, w, h): (f64, f64, f64, f64), fill: &str, stroke: &str, extra: &str) {
        let _ = writeln!(
            self.out,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="6" fill="{fill}" stroke="{stroke}" {extra}/>"#
        );
    }

    fn text(&mut self, (x, y): (f64, f64), font: Font, s: &str) {
        let Font(size, weight, fill, anchor) = font;
        let _ = writeln!(
            self.out,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" font-weight="{weight}" fill="{fill}" text-anchor="{anchor}">{}</text>"#,
            escape(s)
        );
    }

    fn path(&mut self, points: &[(f64, f64)], color: &str, marker: bool) {
        let d: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, (x, y))| format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" }))
            .collect();
        let end = if marker {
            format!(r#" marker-end="url(#arrow-{})""#, &color[1..])
        } else {
            String::new()
        };
        let _ = writeln!(
            self.out,
            r#"<path d="{}" fill="none" stroke="{color}" stroke-width="1.6"{end}/>"#,
            d.join(" ")
        );
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The lanes a zone column needs, right of its subnet boxes: NAT first, then one per top box.
fn lane_x(col_x: f64, target: &Target) -> f64 {
    let base = col_x + BOX_W + LANE_GAP;
    match target {
        Target::Nat { .. } => base,
        Target::Top(i) => base + LANE_GAP * (*i as f64 + 1.0),
    }
}

/// A self-contained SVG of the cluster's network.
pub fn svg(topo: &Topology) -> String {
    let pic = Picture::new(topo);
    let col_w = BOX_W + LANE_GAP * (pic.tops.len() as f64 + 2.0);
    let zones = topo.zones.len().max(1) as f64;
    let vpc_x = MARGIN;
    let vpc_w = col_w * zones + PAD * 2.0;
    let width = (vpc_w + MARGIN * 2.0).max(TOP_W * pic.tops.len() as f64 + MARGIN * 4.0);
    let title_y = MARGIN + 16.0;
    let internet_y = title_y + 22.0;
    let top_y = internet_y + 56.0;
    let bus_base = top_y + TOP_H + 16.0;
    let vpc_y = bus_base + 10.0 * pic.tops.len() as f64 + 14.0;
    let zone_y = vpc_y + 8.0;
    let first_subnet_y = zone_y + 26.0;

    // Place the subnets, column by column.
    let mut placed: Vec<Option<Placed>> = (0..topo.subnets.len()).map(|_| None).collect();
    let mut bottom = first_subnet_y;
    for (zi, zone) in topo.zones.iter().enumerate() {
        let col_x = vpc_x + PAD + col_w * zi as f64;
        let mut order: Vec<usize> = (0..topo.subnets.len())
            .filter(|&i| &topo.subnets[i].zone == zone)
            .collect();
        order.sort_by_key(|&i| type_rank(topo.subnets[i].subnet_type));
        let mut y = first_subnet_y;
        for i in order {
            let s = &topo.subnets[i];
            let mut line_y = y + PAD + 13.0 + LINE * 3.0;
            let mut route_ys = Vec::new();
            for (ei, e) in pic.edges.iter().enumerate() {
                if e.subnet == i {
                    route_ys.push((ei, line_y));
                    line_y += LINE;
                }
            }
            let nat_y = topo.nats_in(&s.name).next().map(|_| {
                let at = line_y;
                line_y += LINE + 4.0;
                at
            });
            line_y += LINE * chips(topo, s).len() as f64;
            let h = line_y - y + 2.0;
            placed[i] = Some(Placed {
                x: col_x,
                y,
                h,
                route_ys,
                nat_y,
            });
            y += h + SUBNET_GAP;
        }
        bottom = bottom.max(y);
    }
    // Room at the bottom for the VPC's label, clear of the lanes that leave through the top.
    let vpc_h = bottom - vpc_y + PAD + 20.0;
    let legend_y = vpc_y + vpc_h + 24.0;
    let height = legend_y + 40.0;

    let mut svg = Svg { out: String::new() };
    let _ = writeln!(
        svg.out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="{FONT}">"#
    );
    let _ = writeln!(svg.out, "<defs>");
    for c in [Class::Internet, Class::EgressOnly, Class::Nat, Class::Other] {
        let color = c.color();
        let _ = writeln!(
            svg.out,
            r#"<marker id="arrow-{}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>"#,
            &color[1..]
        );
    }
    let _ = writeln!(svg.out, "</defs>");
    svg.rect((0.0, 0.0, width, height), "#ffffff", "none", "");
    svg.text(
        (MARGIN, title_y),
        Font(16.0, "bold", "#212121", "start"),
        &format!(
            "{} \u{2014} {}{}",
            topo.cluster,
            topo.region,
            if topo.ipv6_mode { ", IPv6 mode" } else { "" }
        ),
    );

    // The internet and the gateway row.
    let internet_w = 160.0;
    let internet_x = width / 2.0 - internet_w / 2.0;
    svg.rect(
        (internet_x, internet_y, internet_w, 30.0),
        "#eceff1",
        "#455a64",
        r#"stroke-dasharray="4 3""#,
    );
    svg.text(
        (width / 2.0, internet_y + 20.0),
        Font(13.0, "bold", "#263238", "middle"),
        "Internet",
    );
    let top_gap = 24.0;
    let tops_w = pic.tops.len() as f64 * (TOP_W + top_gap) - top_gap;
    let tops_x0 = width / 2.0 - tops_w / 2.0;
    let top_cx = |i: usize| tops_x0 + i as f64 * (TOP_W + top_gap) + TOP_W / 2.0;
    for (i, b) in pic.tops.iter().enumerate() {
        let x = top_cx(i) - TOP_W / 2.0;
        let color = b.class.color();
        svg.rect(
            (x, top_y, TOP_W, TOP_H),
            "#ffffff",
            color,
            r#"stroke-width="2""#,
        );
        svg.text(
            (top_cx(i), top_y + 18.0),
            Font(12.0, "bold", color, "middle"),
            &b.label,
        );
        svg.text(
            (top_cx(i), top_y + 34.0),
            Font(10.0, "normal", "#424242", "middle"),
            &b.detail,
        );
        // Internet gateways carry both ways; the egress-only one only out. What lies behind a
        // transit gateway or peering is not the internet as far as the model knows.
        if !matches!(b.class, Class::Internet | Class::EgressOnly) {
            continue;
        }
        let both = b.class == Class::Internet;
        let from = (top_cx(i), top_y);
        let to = (
            width / 2.0 + (top_cx(i) - width / 2.0) * 0.3,
            internet_y + 30.0,
        );
        let _ = writeln!(
            svg.out,
            r#"<path d="M{:.1},{:.1} L{:.1},{:.1}" stroke="{color}" stroke-width="1.6" marker-end="url(#arrow-{})"{}/>"#,
            from.0,
            from.1,
            to.0,
            to.1,
            &color[1..],
            if both {
                format!(r#" marker-start="url(#arrow-{})""#, &color[1..])
            } else {
                String::new()
            }
        );
    }

    // The VPC.
    let vpc_label = vpc_label(topo);
    svg.rect(
        (vpc_x, vpc_y, vpc_w, vpc_h),
        "#fafafa",
        "#616161",
        r#"stroke-width="1.5""#,
    );
    svg.text(
        (vpc_x + PAD, vpc_y + vpc_h - 12.0),
        Font(12.0, "bold", "#424242", "start"),
        &vpc_label,
    );
    for (zi, zone) in topo.zones.iter().enumerate() {
        let col_x = vpc_x + PAD + col_w * zi as f64;
        svg.text(
            (col_x + 2.0, zone_y + 14.0),
            Font(13.0, "bold", "#37474f", "start"),
            zone,
        );
    }

    // Subnets and what is in them.
    for (i, s) in topo.subnets.iter().enumerate() {
        let Some(p) = &placed[i] else { continue };
        let stroke = type_stroke(s.subnet_type);
        svg.rect(
            (p.x, p.y, BOX_W, p.h),
            type_fill(s.subnet_type),
            stroke,
            r#"stroke-width="1.5""#,
        );
        let tx = p.x + PAD;
        let mut ty = p.y + PAD + 13.0;
        svg.text((tx, ty), Font(12.0, "bold", "#212121", "start"), &s.name);
        svg.text(
            (p.x + BOX_W - PAD, ty),
            Font(11.0, "bold", stroke, "end"),
            &subnet_badge(s),
        );
        ty += LINE;
        let v4 = s
            .ipv4
            .map_or("IPv4 none (IPv6-only)".into(), |n| format!("IPv4 {n}"));
        svg.text((tx, ty), Font(11.0, "normal", "#424242", "start"), &v4);
        ty += LINE;
        let v6 = s.ipv6_label().map_or("IPv6 none".into(), |n| {
            let dns64 = if s.dns64 == Some(true) {
                " (DNS64)"
            } else {
                ""
            };
            format!("IPv6 {n}{dns64}")
        });
        svg.text((tx, ty), Font(11.0, "normal", "#424242", "start"), &v6);
        for (ei, y) in &p.route_ys {
            let e = &pic.edges[*ei];
            svg.text(
                (tx, *y),
                Font(10.5, "normal", e.class.color(), "start"),
                &route_label(e, &pic),
            );
        }
        if let (Some(y), Some(nat)) = (p.nat_y, topo.nats_in(&s.name).next()) {
            let color = Class::Nat.color();
            svg.rect(
                (tx - 2.0, y - 11.0, BOX_W - PAD * 2.0 + 4.0, LINE + 1.0),
                "#fff3e0",
                color,
                "",
            );
            svg.text(
                (tx + 4.0, y + 1.0),
                Font(10.5, "bold", color, "start"),
                &format!(
                    "NAT gateway {} (NAT + NAT64)",
                    nat.key.name.split('.').next().unwrap_or("")
                ),
            );
        }
        let mut cy = p.nat_y.map_or_else(
            || {
                p.route_ys
                    .last()
                    .map_or(p.y + PAD + 13.0 + LINE * 2.0, |(_, y)| *y)
            },
            |y| y + 4.0,
        ) + LINE;
        for chip in chips(topo, s) {
            svg.text((tx, cy), Font(10.5, "normal", "#263238", "start"), &chip);
            cy += LINE;
        }
    }

    // Route arrows: out on the right, up the zone's lane, then to the target.
    for p in placed.iter().flatten() {
        for (ei, y) in &p.route_ys {
            let e = &pic.edges[*ei];
            let lane = lane_x(p.x, &e.target);
            let color = e.class.color();
            match &e.target {
                Target::Nat { subnet, .. } => {
                    let Some(home) = topo
                        .subnets
                        .iter()
                        .position(|o| &o.name == subnet)
                        .and_then(|h| placed[h].as_ref())
                    else {
                        continue;
                    };
                    let Some(nat_y) = home.nat_y else { continue };
                    let start = (p.x + BOX_W, *y - 3.0);
                    svg.path(
                        &[
                            start,
                            (lane, start.1),
                            (lane, nat_y - 4.0),
                            (home.x + BOX_W, nat_y - 4.0),
                        ],
                        color,
                        true,
                    );
                }
                Target::Top(t) => {
                    let bus = bus_base + 10.0 * *t as f64;
                    let start = (p.x + BOX_W, *y - 3.0);
                    svg.path(
                        &[
                            start,
                            (lane, start.1),
                            (lane, bus),
                            (top_cx(*t), bus),
                            (top_cx(*t), top_y + TOP_H),
                        ],
                        color,
                        true,
                    );
                }
            }
        }
    }

    // Legend.
    let mut lx = MARGIN;
    for t in [
        SubnetType::Utility,
        SubnetType::Public,
        SubnetType::DualStack,
        SubnetType::Private,
    ] {
        if !topo.subnets.iter().any(|s| s.subnet_type == t) {
            continue;
        }
        svg.rect((lx, legend_y, 14.0, 14.0), type_fill(t), type_stroke(t), "");
        svg.text(
            (lx + 20.0, legend_y + 11.0),
            Font(11.0, "normal", "#424242", "start"),
            &t.to_string(),
        );
        lx += 100.0;
    }
    for (c, label) in [
        (Class::Internet, "to internet gateway"),
        (Class::EgressOnly, "to egress-only gateway"),
        (Class::Nat, "to NAT gateway"),
        (Class::Other, "to other targets"),
    ] {
        // Only the kinds of arrow the picture has.
        if !pic.edges.iter().any(|e| e.class == c) {
            continue;
        }
        svg.path(
            &[(lx, legend_y + 7.0), (lx + 24.0, legend_y + 7.0)],
            c.color(),
            true,
        );
        svg.text(
            (lx + 30.0, legend_y + 11.0),
            Font(11.0, "normal", "#424242", "start"),
            label,
        );
        lx += 170.0;
    }
    svg.out.push_str("</svg>\n");
    svg.out
}

fn vpc_label(topo: &Topology) -> String {
    match (topo.vpc_ipv4, topo.vpc_ipv6) {
        (Some(v4), Some(v6)) => format!("VPC {} \u{2014} {v4}, {v6}", topo.vpc),
        (Some(v4), None) if topo.ipv6_mode || topo.subnets.iter().any(|s| s.has_ipv6()) => {
            format!("VPC {} \u{2014} {v4}, IPv6 /56 (Amazon-provided)", topo.vpc)
        }
        (Some(v4), None) => format!("VPC {} \u{2014} {v4}", topo.vpc),
        (None, _) => format!("VPC {}", topo.vpc),
    }
}

/// The type badge: type and, for the ones kops6 does not route, why.
fn subnet_badge(s: &SubnetView) -> String {
    match &s.routing {
        crate::topology::Routing::Managed => s.subnet_type.to_string(),
        crate::topology::Routing::Shared(id) => format!("{} (shared {id})", s.subnet_type),
        crate::topology::Routing::External => format!("{} (External)", s.subnet_type),
    }
}

/// The API load balancer and instance groups a subnet holds, one line each.
fn chips(topo: &Topology, s: &SubnetView) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(lb) = &topo.api_load_balancer {
        if lb.subnets.contains(&s.name) {
            out.push(format!(
                "\u{25c6} API NLB {} ({}TCP 443{})",
                lb.name,
                if lb.internal { "internal, " } else { "" },
                if lb.dualstack { ", dualstack" } else { "" }
            ));
        }
    }
    for g in topo.groups_in(&s.name) {
        let size = match (g.min, g.max) {
            (Some(min), Some(max)) if min == max => format!(" \u{00d7}{min}"),
            (Some(min), Some(max)) => format!(" {min}\u{2013}{max}"),
            _ => String::new(),
        };
        out.push(format!("\u{25a0} {} ({}{size})", g.name, g.role));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Mermaid

/// A Mermaid flowchart of the same picture, for pasting into docs.
pub fn mermaid(topo: &Topology) -> String {
    let pic = Picture::new(topo);
    let mut out = String::from("flowchart TB\n");
    let _ = writeln!(out, "  internet((Internet))");
    for (i, b) in pic.tops.iter().enumerate() {
        let _ = writeln!(
            out,
            "  top{i}[\"{}<br/>{}\"]:::{}",
            mm(&b.label),
            mm(&b.detail),
            b.class.css()
        );
        // What lies behind a transit gateway or peering is not the internet as far as the
        // model knows.
        let arrow = match b.class {
            Class::Internet => "<-->",
            Class::EgressOnly => "-->",
            Class::Nat | Class::Other => continue,
        };
        let _ = writeln!(out, "  top{i} {arrow} internet");
    }
    let _ = writeln!(out, "  subgraph vpc [\"{}\"]", mm(&vpc_label(topo)));
    for (zi, zone) in topo.zones.iter().enumerate() {
        let _ = writeln!(out, "    subgraph zone{zi} [\"{}\"]", mm(zone));
        let mut order: Vec<usize> = (0..topo.subnets.len())
            .filter(|&i| &topo.subnets[i].zone == zone)
            .collect();
        order.sort_by_key(|&i| type_rank(topo.subnets[i].subnet_type));
        for i in order {
            let s = &topo.subnets[i];
            let mut lines = vec![
                format!("<b>{}</b>", mm(&s.name)),
                mm(&subnet_badge(s)),
                mm(&s.ipv4.map_or("IPv4 none".into(), |n| format!("IPv4 {n}"))),
                mm(&s
                    .ipv6_label()
                    .map_or("IPv6 none".into(), |n| format!("IPv6 {n}"))),
            ];
            lines.extend(chips(topo, s).iter().map(|c| mm(c)));
            let _ = writeln!(
                out,
                "      s{i}[\"{}\"]:::{}",
                lines.join("<br/>"),
                s.subnet_type.to_string().to_lowercase()
            );
            for (ni, nat) in topo.nats_in(&s.name).enumerate() {
                let _ = writeln!(
                    out,
                    "      nat{i}_{ni}{{{{\"NAT gateway<br/>{}\"}}}}:::nat",
                    mm(&nat.key.name)
                );
                let _ = writeln!(out, "      nat{i}_{ni} -.- s{i}");
            }
        }
        let _ = writeln!(out, "    end");
    }
    let _ = writeln!(out, "  end");
    for e in &pic.edges {
        let to = match &e.target {
            Target::Top(t) => format!("top{t}"),
            Target::Nat { subnet, key } => {
                let home = topo.subnets.iter().position(|s| &s.name == subnet);
                let ni = topo
                    .nats_in(subnet)
                    .position(|n| &n.key == key)
                    .unwrap_or(0);
                match home {
                    Some(h) => format!("nat{h}_{ni}"),
                    None => continue,
                }
            }
        };
        let _ = writeln!(
            out,
            "  s{} -- \"{}\" --> {to}",
            e.subnet,
            mm(&e.destinations.join(", "))
        );
    }
    for t in [
        SubnetType::Utility,
        SubnetType::Public,
        SubnetType::DualStack,
        SubnetType::Private,
    ] {
        let _ = writeln!(
            out,
            "  classDef {} fill:{},stroke:{}",
            t.to_string().to_lowercase(),
            type_fill(t),
            type_stroke(t)
        );
    }
    for c in [Class::Internet, Class::EgressOnly, Class::Nat, Class::Other] {
        let _ = writeln!(
            out,
            "  classDef {} stroke:{},stroke-width:2px",
            c.css(),
            c.color()
        );
    }
    out
}

/// Mermaid label text: quotes and `#` are entity-coded (`#` starts an entity in Mermaid).
fn mm(s: &str) -> String {
    s.replace('#', "#35;")
        .replace('"', "#quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
