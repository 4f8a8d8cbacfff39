//! The `sol!` bindings (src/bindings.rs) read `contracts/artifacts/*.json` at compile time, but
//! the macro does not tell cargo about those files: rebuild when an artifact changes, so the
//! bindings never lag behind the committed bytecode.

fn main() {
    println!("cargo:rerun-if-changed=../../contracts/artifacts");
    println!("cargo:rerun-if-changed=build.rs");
}
