//! Which of the honest solver's actions the bot's mode lets it send. Pure, so the rules are
//! unit-tested without a chain.

use crate::Mode;
use gavel_game::Action;

/// The solver's actions split by the mode.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Sent, in the solver's order (counters, then resolutions bottom-up, then the payout).
    pub send: Vec<Action>,
    /// Planned but withheld by the mode (logged and counted).
    pub withheld: Vec<Action>,
}

/// Whether `action` only settles the game (resolution or payout) rather than playing it.
pub fn is_settlement(action: &Action) -> bool {
    matches!(
        action,
        Action::ResolveClaim { .. } | Action::Resolve | Action::ClaimCredit { .. }
    )
}

/// Splits `actions` by `mode`:
///
/// * `watch` sends nothing;
/// * `full` sends everything;
/// * `defend` plays only games whose root claim is honest (its counters there can only be
///   defences of the root's subtree); in a dishonest proposal it still settles the game if
///   it `has_stake` (claims or credit from an earlier run in another mode), so bonds already
///   posted are not left behind.
pub fn select(mode: Mode, root_honest: bool, has_stake: bool, actions: Vec<Action>) -> Plan {
    let mut plan = Plan::default();
    for action in actions {
        let send = match mode {
            Mode::Watch => false,
            Mode::Full => true,
            Mode::Defend => root_honest || (has_stake && is_settlement(&action)),
        };
        if send {
            plan.send.push(action);
        } else {
            plan.withheld.push(action);
        }
    }
    plan
}

/// A short label of an action for logs and metrics.
pub fn kind(action: &Action) -> &'static str {
    match action {
        Action::Move {
            is_attack: true, ..
        } => "attack",
        Action::Move { .. } => "defend",
        Action::Step { .. } => "step",
        Action::ResolveClaim { .. } => "resolve_claim",
        Action::Resolve => "resolve",
        Action::ClaimCredit { .. } => "claim_credit",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{Address, B256, U256};

    fn actions() -> Vec<Action> {
        vec![
            Action::Move {
                parent_index: 0,
                claim: B256::ZERO,
                is_attack: true,
                bond: U256::from(1),
            },
            Action::ResolveClaim { claim_index: 1 },
            Action::Resolve,
            Action::ClaimCredit {
                recipient: Address::ZERO,
            },
        ]
    }

    #[test]
    fn modes() {
        let w = select(Mode::Watch, true, true, actions());
        assert!(w.send.is_empty() && w.withheld.len() == 4);
        let f = select(Mode::Full, false, false, actions());
        assert_eq!(f.send.len(), 4);
        let d = select(Mode::Defend, true, false, actions());
        assert_eq!(d.send.len(), 4, "defend plays honest-root games fully");
        let d = select(Mode::Defend, false, false, actions());
        assert!(d.send.is_empty(), "defend leaves dishonest proposals alone");
        let d = select(Mode::Defend, false, true, actions());
        assert_eq!(d.send.len(), 3, "but settles its stake in them");
        assert_eq!(kind(&d.withheld[0]), "attack");
    }
}
