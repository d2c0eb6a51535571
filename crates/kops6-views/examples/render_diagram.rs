//! Writes the HA 3-zone example diagram of the docs: `cargo run -p kops6-views --example
//! render_diagram -- docs/diagram-ha.svg docs/diagram-ha.png`. An example, not a library
//! feature: it does I/O and uses resvg, a dev-dependency.

use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [svg_path, png_path] = args.as_slice() else {
        return Err("usage: render_diagram OUT.svg OUT.png".into());
    };
    let zones = ["us-east-1a", "us-east-1b", "us-east-1c"].map(String::from);
    let new = new_cluster(&NewClusterOptions {
        name: "ipv6.example.com".into(),
        zones: zones.to_vec(),
        control_plane_zones: zones.to_vec(),
        control_plane_count: Some(3),
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        ..Default::default()
    })?;
    let set = ClusterSpecSet::new(new.cluster, new.instance_groups)?;
    let completed = set.check(&ValidationContext::default())?;
    let graph = kops6_model::build_network(&completed.cluster)?;
    let topo = kops6_views::Topology::new(&kops6_views::Input {
        graph: &graph,
        cluster: &completed.cluster,
        instance_groups: &completed.instance_groups,
        vpc_ipv6: None,
    });
    let svg = kops6_views::diagram::svg(&topo);
    std::fs::write(svg_path, &svg)?;
    let mut opt = resvg::usvg::Options::default();
    opt.fontdb_mut().load_system_fonts();
    let tree = resvg::usvg::Tree::from_str(&svg, &opt)?;
    let size = tree.size().to_int_size();
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("empty picture")?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap.save_png(png_path)?;
    Ok(())
}
