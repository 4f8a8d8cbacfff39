//! The game's custom errors, one variant per Solidity error (docs/protocol.md §11).

use crate::verifier::VerifierError;

/// Why the game rejects a call. Variant names are the Solidity custom error names, so a
/// revert of the contract and a rejection by the mirror compare by [`GameError::solidity_name`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GameError {
    /// The game is already resolved.
    #[error("GameNotInProgress: the game is resolved")]
    GameNotInProgress,
    /// The disputed claim does not exist (or its digest differs from the re-org guard).
    #[error("InvalidDisputedClaimIndex: no such disputed claim")]
    InvalidDisputedClaimIndex,
    /// The move would go below the max depth; only a step can counter a leaf claim.
    #[error("GameDepthExceeded: the move goes below the max depth")]
    GameDepthExceeded,
    /// The root commits to the whole trace, so it has no successor to disagree with.
    #[error("CannotDefendRootClaim: the root claim cannot be defended")]
    CannotDefendRootClaim,
    /// The bond paid is not exactly the bond of the new position.
    #[error("IncorrectBondAmount: the bond is not exactly the required bond")]
    IncorrectBondAmount,
    /// The clock of whoever counters the claim has run out.
    #[error("ClockTimeExceeded: the challenger's clock has run out")]
    ClockTimeExceeded,
    /// A claim reference does not open the stored digest (or the index does not exist).
    #[error("InvalidClaimRef: the claim reference does not match the stored claim")]
    InvalidClaimRef,
    /// A step against a claim that is not at the max depth.
    #[error("InvalidParent: steps only counter max-depth claims")]
    InvalidParent,
    /// The claim was already countered by a step.
    #[error("DuplicateStep: the claim was already stepped against")]
    DuplicateStep,
    /// The step's other claim is not the chain claim at the required trace ancestor.
    #[error("InvalidPrestate: the state claim is not the required ancestor in the chain")]
    InvalidPrestate,
    /// The step agrees with the claim, so it does not counter it.
    #[error("ValidStep: the step does not counter the claim")]
    ValidStep,
    /// The claim's subgame may still be countered.
    #[error("ClockNotExpired: the claim can still be countered")]
    ClockNotExpired,
    /// The claim's subgame is already resolved.
    #[error("ClaimAlreadyResolved: the subgame is already resolved")]
    ClaimAlreadyResolved,
    /// A child reference is not a child of the claim, or out of order (contract only: the
    /// mirror resolves all children at once).
    #[error("InvalidChildRef: not a child of the claim, or out of order")]
    InvalidChildRef,
    /// A child subgame (or, for `resolve`, the root subgame) is not resolved yet.
    #[error("OutOfOrderResolution: a subgame below is not resolved yet")]
    OutOfOrderResolution,
    /// Credits are paid only after the game is resolved.
    #[error("GameNotResolved: the game is not resolved yet")]
    GameNotResolved,
    /// The withdrawal delay after resolution has not passed.
    #[error("WithdrawalDelayNotPassed: the withdrawal delay has not passed")]
    WithdrawalDelayNotPassed,
    /// The recipient has no credit (or already claimed it).
    #[error("NoCreditToClaim: the recipient has no credit")]
    NoCreditToClaim,
    /// The step verifier reverted (its own error, bubbled up by `step`).
    #[error("step verifier reverted: {0}")]
    Verifier(#[from] VerifierError),
}

impl GameError {
    /// Every error the game contract itself defines, in §11 order (verifier errors excluded).
    pub const GAME_ERRORS: [GameError; 18] = [
        GameError::GameNotInProgress,
        GameError::InvalidDisputedClaimIndex,
        GameError::GameDepthExceeded,
        GameError::CannotDefendRootClaim,
        GameError::IncorrectBondAmount,
        GameError::ClockTimeExceeded,
        GameError::InvalidClaimRef,
        GameError::InvalidParent,
        GameError::DuplicateStep,
        GameError::InvalidPrestate,
        GameError::ValidStep,
        GameError::ClockNotExpired,
        GameError::ClaimAlreadyResolved,
        GameError::InvalidChildRef,
        GameError::OutOfOrderResolution,
        GameError::GameNotResolved,
        GameError::WithdrawalDelayNotPassed,
        GameError::NoCreditToClaim,
    ];

    /// The Solidity custom error name (for a verifier revert, the verifier's error name).
    pub fn solidity_name(&self) -> &'static str {
        match self {
            GameError::GameNotInProgress => "GameNotInProgress",
            GameError::InvalidDisputedClaimIndex => "InvalidDisputedClaimIndex",
            GameError::GameDepthExceeded => "GameDepthExceeded",
            GameError::CannotDefendRootClaim => "CannotDefendRootClaim",
            GameError::IncorrectBondAmount => "IncorrectBondAmount",
            GameError::ClockTimeExceeded => "ClockTimeExceeded",
            GameError::InvalidClaimRef => "InvalidClaimRef",
            GameError::InvalidParent => "InvalidParent",
            GameError::DuplicateStep => "DuplicateStep",
            GameError::InvalidPrestate => "InvalidPrestate",
            GameError::ValidStep => "ValidStep",
            GameError::ClockNotExpired => "ClockNotExpired",
            GameError::ClaimAlreadyResolved => "ClaimAlreadyResolved",
            GameError::InvalidChildRef => "InvalidChildRef",
            GameError::OutOfOrderResolution => "OutOfOrderResolution",
            GameError::GameNotResolved => "GameNotResolved",
            GameError::WithdrawalDelayNotPassed => "WithdrawalDelayNotPassed",
            GameError::NoCreditToClaim => "NoCreditToClaim",
            GameError::Verifier(e) => e.solidity_name(),
        }
    }

    /// The game error with Solidity name `name`, if the game defines it.
    pub fn from_solidity_name(name: &str) -> Option<GameError> {
        GameError::GAME_ERRORS
            .into_iter()
            .find(|e| e.solidity_name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut names: Vec<_> = GameError::GAME_ERRORS
            .iter()
            .map(|e| e.solidity_name())
            .collect();
        for e in GameError::GAME_ERRORS {
            assert_eq!(
                GameError::from_solidity_name(e.solidity_name()),
                Some(e.clone())
            );
            // Display starts with the Solidity name so logs are greppable by it.
            assert!(e.to_string().starts_with(e.solidity_name()));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), GameError::GAME_ERRORS.len());
        assert_eq!(GameError::from_solidity_name("InvalidWitness"), None);
    }
}
