//! Golden vectors (spec §11): every encoding and tree, generated from this crate and committed
//! under `fixtures/vectors/`. The test fails when the committed files differ from what the code
//! produces; `GAVEL_BLESS=1 cargo test -p gavel-commit --test vectors` rewrites them. The
//! Solidity twins read the same files.

mod code;
mod hash;
mod memory;
mod proof;
mod records;
mod stack;
mod substate;
mod util;
mod world;

#[test]
fn hash_vectors() {
    util::check_or_bless("hash", hash::vectors());
}

#[test]
fn proof_vectors() {
    util::check_or_bless("proof", proof::vectors());
}

#[test]
fn world_vectors() {
    util::check_or_bless("world", world::vectors());
}

#[test]
fn code_vectors() {
    util::check_or_bless("code", code::vectors());
}

#[test]
fn memory_vectors() {
    util::check_or_bless("memory", memory::vectors());
}

#[test]
fn stack_vectors() {
    util::check_or_bless("stack", stack::vectors());
}

#[test]
fn substate_vectors() {
    util::check_or_bless("substate", substate::vectors());
}

#[test]
fn record_vectors() {
    util::check_or_bless("records", records::vectors());
}
