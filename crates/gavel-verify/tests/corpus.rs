//! The revm ground-truth check on the committed EEST subset (`fixtures/eest/`): every case
//! gavel supports passes, a tampered expected root or logs hash fails, and the unsupported
//! reasons are the stable counter keys the summary reports.

use std::collections::BTreeMap;
use std::path::PathBuf;

use gavel_trace::ExecOptions;
use gavel_verify::statetest::{self, Case};
use gavel_verify::{Verdict, check_case};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/eest")
}

fn cases() -> Vec<Case> {
    let files = statetest::collect_files(&[corpus()]).expect("corpus readable");
    assert!(files.len() >= 50, "{} files", files.len());
    files
        .iter()
        .flat_map(|f| statetest::load_file(f).expect("corpus parses"))
        .collect()
}

#[test]
fn revm_post_roots_match_on_the_corpus() {
    let mut passed = 0;
    for case in cases() {
        match check_case(&case, ExecOptions::default()).verdict {
            Verdict::Passed => passed += 1,
            Verdict::Mismatch(m) => panic!("{}: {m}", case.name()),
            Verdict::Unsupported(_) => {}
        }
    }
    assert_eq!(passed, 54, "cases whose revm post-state check passes");
}

#[test]
fn a_tampered_expected_root_or_logs_hash_is_a_mismatch() {
    let mut tampered = 0;
    for mut case in cases() {
        if check_case(&case, ExecOptions::default()).verdict != Verdict::Passed {
            continue;
        }
        case.expected_root.0[31] ^= 1;
        assert!(
            matches!(
                check_case(&case, ExecOptions::default()).verdict,
                Verdict::Mismatch(_)
            ),
            "{}: tampered root accepted",
            case.name()
        );
        case.expected_root.0[31] ^= 1;
        if case.expect_exception.is_none() {
            case.expected_logs.0[0] ^= 0x80;
            let v = check_case(&case, ExecOptions::default()).verdict;
            assert!(
                matches!(&v, Verdict::Mismatch(m) if m.contains("logs hash")),
                "{}: {v:?}",
                case.name()
            );
        }
        tampered += 1;
    }
    assert_eq!(tampered, 54);
}

#[test]
fn unsupported_reasons_are_stable() {
    let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
    for case in cases() {
        if let Verdict::Unsupported(u) = check_case(&case, ExecOptions::default()).verdict {
            *reasons.entry(u.reason).or_default() += 1;
        }
    }
    let expected: BTreeMap<String, u64> = [
        ("balance >= 2^128 (D2)", 1),
        ("blob transaction (type 0x03)", 2),
        ("contract creation", 1),
        ("gas limit above the L2 cap 2^23 (D3)", 8),
        ("legacy transaction without EIP-155 chain id", 1),
        ("refused opcode CALL", 1),
        ("refused opcode CALLDATACOPY", 1),
        ("refused opcode DELEGATECALL", 1),
        ("refused opcode KECCAK256", 1),
        ("refused opcode SELFDESTRUCT", 1),
        ("refused opcode TSTORE", 1),
        ("set-code transaction (type 0x04)", 2),
        ("total supply >= 2^128 (D2)", 1),
    ]
    .into_iter()
    .map(|(r, n)| (r.to_owned(), n))
    .collect();
    assert_eq!(reasons, expected);
}

#[test]
fn expected_exceptions_are_checked_when_gavel_skips_the_transaction() {
    // EIP-7825: a gas limit above 2^24 is invalid on Ethereum; gavel skips it, so the state
    // must be unchanged and its root is the fixture's.
    let file = corpus().join(
        "state_tests/osaka/eip7825_transaction_gas_limit_cap/test_tx_gas_limit_cap_exceeded.json",
    );
    let cases = statetest::load_file(&file).unwrap();
    assert_eq!(cases.len(), 1);
    assert!(cases[0].expect_exception.is_some());
    assert_eq!(
        check_case(&cases[0], ExecOptions::default()).verdict,
        Verdict::Passed
    );
}
