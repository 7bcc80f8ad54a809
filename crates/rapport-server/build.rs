// Compiles the HTML templates into the binary: no files to ship beside it.
fn main() {
    minijinja_embed::embed_templates!("templates");
}
