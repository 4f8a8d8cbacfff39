//! The revm ground-truth check: run a case through gavel's [`Executor`] (revm 43, Osaka) and
//! compare the resulting MPT state root and logs hash with what the state test says.
//!
//! * Executed transaction, no expected exception: post root and logs hash must match.
//! * Skipped transaction (gavel skips what Ethereum rejects) with an expected exception: the
//!   state must be unchanged, i.e. its root must be the fixture's post root.
//! * Skipped without an expected exception, or executed despite one: a mismatch.
//! * The executor refuses (unsupported opcode, creation, …): unsupported, with its reason.

use gavel_trace::executor::{Outcome, TxOutcome};
use gavel_trace::{ExecOptions, Executor};

use crate::mpt;
use crate::statetest::Case;
use crate::unsupported::{self, Unsupported};

/// The result of checking one case against revm's ground truth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Post-state root and logs hash match (or the state is unchanged as expected).
    Passed,
    /// gavel's result differs from the fixture's.
    Mismatch(String),
    /// gavel cannot represent or execute the case.
    Unsupported(Unsupported),
}

/// A checked case: the verdict and, when the batch executed, the executor (for step walks).
#[derive(Debug)]
pub struct Checked {
    /// The verdict.
    pub verdict: Verdict,
    /// The executed batch, when the executor ran it to the end.
    pub executor: Option<Executor>,
}

/// Check `case` with `options` against its expected root and logs (see the module docs).
pub fn check_case(case: &Case, options: ExecOptions) -> Checked {
    let unsupported = |u| Checked {
        verdict: Verdict::Unsupported(u),
        executor: None,
    };
    let input = match &case.input {
        Ok(i) => i,
        Err(u) => return unsupported(u.clone()),
    };
    let ex = match Executor::run(input.prestate.clone(), input.batch.clone(), options) {
        Ok(ex) => ex,
        Err(e) => {
            let mut u = unsupported::exec_error(&e);
            if let Some(x) = &case.expect_exception {
                u.detail = format!("{} (expected exception {x})", u.detail);
            }
            return unsupported(u);
        }
    };
    let verdict = compare(case, &ex);
    Checked {
        verdict,
        executor: Some(ex),
    }
}

fn compare(case: &Case, ex: &Executor) -> Verdict {
    let expected_root = case.expected_root;
    let outcome = ex.transitions().iter().find_map(|t| match &t.outcome {
        Outcome::Tx(o) => Some(o),
        _ => None,
    });
    let Some(outcome) = outcome else {
        return Verdict::Mismatch("the batch has no transaction transition".into());
    };
    let root = mpt::state_root(ex.final_state());
    let root_check = |what: &str| {
        if root == expected_root {
            Verdict::Passed
        } else {
            Verdict::Mismatch(format!(
                "{what}: post-state root {root}, expected {expected_root}"
            ))
        }
    };
    match (outcome, &case.expect_exception) {
        (TxOutcome::Skipped { .. }, Some(_)) => root_check("skipped as expected"),
        (TxOutcome::Skipped { reason }, None) => {
            Verdict::Mismatch(format!("gavel skipped a valid transaction: {reason}"))
        }
        (TxOutcome::Executed { .. }, Some(x)) => Verdict::Mismatch(format!(
            "expected exception {x}, but gavel executed the transaction"
        )),
        (TxOutcome::Executed { .. }, None) => {
            // LOG opcodes are refused by the executor, so an executed transaction has no logs.
            let logs = mpt::logs_hash(&[]);
            if logs != case.expected_logs {
                return Verdict::Mismatch(format!(
                    "logs hash {logs}, expected {}",
                    case.expected_logs
                ));
            }
            root_check("executed")
        }
    }
}
