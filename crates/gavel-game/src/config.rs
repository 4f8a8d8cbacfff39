//! Game parameters (the constructor arguments of `FaultDisputeGame`).

use crate::position::Position;
use alloy_primitives::U256;
use serde::{Deserialize, Serialize};

/// The deepest tree a game may use: positions then stay below 2^63 and trace indices fit
/// in 64 bits.
pub const MAX_DEPTH_LIMIT: u32 = 62;

/// Why a configuration is rejected; names match the contract constructor's custom errors.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// `0 < split_depth < max_depth` does not hold.
    #[error("InvalidSplitDepth: split depth {split_depth} must be in 1..{max_depth}")]
    InvalidSplitDepth {
        /// The configured split depth.
        split_depth: u32,
        /// The configured max depth.
        max_depth: u32,
    },
    /// `max_depth > 62`.
    #[error("MaxDepthTooLarge: max depth {0} exceeds {MAX_DEPTH_LIMIT}")]
    MaxDepthTooLarge(u32),
    /// `2 · clock_extension > max_clock_duration`.
    #[error(
        "InvalidClockExtension: twice the extension {extension} exceeds the max clock {max_clock}"
    )]
    InvalidClockExtension {
        /// The configured extension.
        extension: u64,
        /// The configured max clock duration.
        max_clock: u64,
    },
    /// The bond at max depth does not fit in 256 bits (the contract would revert on every
    /// deep move; the mirror refuses the configuration up front instead).
    #[error("BondOverflow: base + max_depth · increment exceeds 2^256")]
    BondOverflow,
}

impl ConfigError {
    /// The Solidity custom error this corresponds to.
    pub fn solidity_name(&self) -> &'static str {
        match self {
            ConfigError::InvalidSplitDepth { .. } => "InvalidSplitDepth",
            ConfigError::MaxDepthTooLarge(_) => "MaxDepthTooLarge",
            ConfigError::InvalidClockExtension { .. } => "InvalidClockExtension",
            // Solidity's checked arithmetic reverts with a panic, not a custom error.
            ConfigError::BondOverflow => "Panic",
        }
    }
}

/// The parameters of one game implementation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameConfig {
    /// Depth of the leaves; a claim at this depth is countered by a step.
    pub max_depth: u32,
    /// Depth of the transition boundaries (the last top-layer depth).
    pub split_depth: u32,
    /// Seconds each side may use on one path through the tree.
    pub max_clock_duration: u64,
    /// Seconds a late responder is guaranteed (doubled before the split and the step).
    pub clock_extension: u64,
    /// Seconds between resolution and the first credit payout.
    pub withdrawal_delay: u64,
    /// Bond of the root claim, in wei.
    pub base_bond: U256,
    /// Extra bond per depth level, in wei.
    pub bond_increment: U256,
}

impl GameConfig {
    /// The toy defaults used by tests and the fuzzer: small and fast to play.
    pub fn toy_default() -> Self {
        let milli_ether = U256::from(1_000_000_000_000_000u64);
        GameConfig {
            max_depth: 10,
            split_depth: 4,
            max_clock_duration: 3600,
            clock_extension: 300,
            withdrawal_delay: 600,
            base_bond: milli_ether * U256::from(10u64),
            bond_increment: milli_ether,
        }
    }

    /// Checks the rules the contract constructor enforces, in its order.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.split_depth == 0 || self.split_depth >= self.max_depth {
            return Err(ConfigError::InvalidSplitDepth {
                split_depth: self.split_depth,
                max_depth: self.max_depth,
            });
        }
        if self.max_depth > MAX_DEPTH_LIMIT {
            return Err(ConfigError::MaxDepthTooLarge(self.max_depth));
        }
        let too_long = self
            .clock_extension
            .checked_mul(2)
            .is_none_or(|twice| twice > self.max_clock_duration);
        if too_long {
            return Err(ConfigError::InvalidClockExtension {
                extension: self.clock_extension,
                max_clock: self.max_clock_duration,
            });
        }
        self.bond_increment
            .checked_mul(U256::from(self.max_depth))
            .and_then(|deep| deep.checked_add(self.base_bond))
            .ok_or(ConfigError::BondOverflow)?;
        Ok(())
    }

    /// The exact bond a claim at `position` must pay: `base + depth · increment`.
    /// Saturates instead of overflowing for positions a validated config never produces.
    pub fn required_bond(&self, position: Position) -> U256 {
        self.bond_increment
            .saturating_mul(U256::from(position.depth()))
            .saturating_add(self.base_bond)
    }

    /// The extension a mover gets for a new claim at `new_depth` (§4): doubled when its next
    /// action is the first bottom-layer claim or the step, which need tracing or a witness.
    pub fn extension_for(&self, new_depth: u32) -> u64 {
        let doubled = new_depth + 1 == self.split_depth || new_depth + 1 == self.max_depth;
        if doubled {
            self.clock_extension.saturating_mul(2)
        } else {
            self.clock_extension
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toy_default_is_valid_and_bonds_grow() {
        let c = GameConfig::toy_default();
        c.validate().unwrap();
        assert_eq!(c.required_bond(Position::ROOT), c.base_bond);
        let deep = Position::from_depth_index(10, 3).unwrap();
        assert_eq!(
            c.required_bond(deep),
            c.base_bond + c.bond_increment * U256::from(10)
        );
    }

    #[test]
    fn validate_rejects_each_rule() {
        let ok = GameConfig::toy_default();
        let mut c = ok.clone();
        c.split_depth = 0;
        assert_eq!(
            c.validate().unwrap_err().solidity_name(),
            "InvalidSplitDepth"
        );
        c.split_depth = c.max_depth;
        assert_eq!(
            c.validate().unwrap_err().solidity_name(),
            "InvalidSplitDepth"
        );
        let mut c = ok.clone();
        c.max_depth = 63;
        assert_eq!(c.validate(), Err(ConfigError::MaxDepthTooLarge(63)));
        c.max_depth = 62;
        c.validate().unwrap();
        let mut c = ok.clone();
        c.clock_extension = c.max_clock_duration / 2 + 1;
        assert_eq!(
            c.validate().unwrap_err().solidity_name(),
            "InvalidClockExtension"
        );
        c.clock_extension = u64::MAX;
        assert_eq!(
            c.validate().unwrap_err().solidity_name(),
            "InvalidClockExtension"
        );
        c.clock_extension = c.max_clock_duration / 2;
        c.validate().unwrap();
        let mut c = ok;
        c.bond_increment = U256::MAX;
        assert_eq!(c.validate(), Err(ConfigError::BondOverflow));
    }

    #[test]
    fn extension_doubles_before_split_and_step() {
        let c = GameConfig::toy_default();
        assert_eq!(c.extension_for(3), 600);
        assert_eq!(c.extension_for(9), 600);
        assert_eq!(c.extension_for(4), 300);
        assert_eq!(c.extension_for(1), 300);
    }
}
