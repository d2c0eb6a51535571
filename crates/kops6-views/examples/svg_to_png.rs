//! Renders an SVG (e.g. `kops6 diagram NAME -o svg --out net.svg`) to PNG with resvg, to look
//! at a diagram where no browser is at hand: `cargo run -p kops6-views --example svg_to_png --
//! net.svg net.png`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [svg_path, png_path] = args.as_slice() else {
        return Err("usage: svg_to_png IN.svg OUT.png".into());
    };
    let svg = std::fs::read_to_string(svg_path)?;
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
