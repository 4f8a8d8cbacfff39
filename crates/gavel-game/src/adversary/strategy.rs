//! Names of the adversary strategies, as the fuzzer's CLI and reports spell them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Which value a scripted move claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValueChoice {
    /// The honest trace's value at the new position.
    Honest,
    /// A lie: the lying trace's value for even selectors (a consistent lie), a hash of the
    /// honest value and the selector for odd ones (a value no trace backs).
    Lie(u64),
    /// The value of an existing claim (index taken modulo the claim count).
    CopyOf(u32),
}

/// One move of a scripted adversary, mapped onto whatever game it meets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ScriptedMove {
    /// Picks the countered claim among the claims a move may legally counter (modulo).
    pub claim_selector: u32,
    /// Attack or defend (a defend of the root is not legal, so it is never selected).
    pub is_attack: bool,
    /// The value claimed.
    pub value: ValueChoice,
}

/// An adversary strategy. See `adversary/` for what each one does.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// Random claims at random legal positions, random steps and premature resolutions.
    Random,
    /// Attacks every other player's claim with lies.
    AlwaysAttack,
    /// Defends every other player's claim with lies (attacks the root).
    AlwaysDefend,
    /// Plays consistently, lying only at depths `≤ SPLIT_DEPTH`.
    TopLayerLiar,
    /// Plays consistently, lying only below `SPLIT_DEPTH`.
    BottomLayerLiar,
    /// Plays consistently, honest above depth `k`, lying from depth `k` on.
    HonestUntilDepth(u32),
    /// Copies honest values into counters of honest claims, and front-runs honest counters.
    Freeloader,
    /// Many random claims per turn.
    Spammer,
    /// Never moves.
    Staller,
    /// Builds chains of its own lies to poison step pre-states, and steps with them.
    PoisonedPrestate,
    /// The honest algorithm over a VM-consistent lying trace: the strongest liar.
    ConsistentLiar,
    /// A fixed sequence of moves; an empty script means "draw 48 moves from the seed".
    Scripted(Vec<ScriptedMove>),
}

/// The depth `honest-until-depth` without `:K` uses.
pub const DEFAULT_HONEST_DEPTH: u32 = 3;

/// The name is not a strategy.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown adversary strategy {0:?} (known: {known})", known = Strategy::names().join(", "))]
pub struct ParseStrategyError(pub String);

impl Strategy {
    /// One strategy of each kind (scripted with a seed-drawn script).
    pub const ALL: &'static [Strategy] = &[
        Strategy::Random,
        Strategy::AlwaysAttack,
        Strategy::AlwaysDefend,
        Strategy::TopLayerLiar,
        Strategy::BottomLayerLiar,
        Strategy::HonestUntilDepth(DEFAULT_HONEST_DEPTH),
        Strategy::Freeloader,
        Strategy::Spammer,
        Strategy::Staller,
        Strategy::PoisonedPrestate,
        Strategy::ConsistentLiar,
        Strategy::Scripted(Vec::new()),
    ];

    /// The kind's name (without parameters).
    pub fn as_str(&self) -> &'static str {
        match self {
            Strategy::Random => "random",
            Strategy::AlwaysAttack => "always-attack",
            Strategy::AlwaysDefend => "always-defend",
            Strategy::TopLayerLiar => "top-layer-liar",
            Strategy::BottomLayerLiar => "bottom-layer-liar",
            Strategy::HonestUntilDepth(_) => "honest-until-depth",
            Strategy::Freeloader => "freeloader",
            Strategy::Spammer => "spammer",
            Strategy::Staller => "staller",
            Strategy::PoisonedPrestate => "poisoned-prestate",
            Strategy::ConsistentLiar => "consistent-liar",
            Strategy::Scripted(_) => "scripted",
        }
    }

    /// Every kind's name.
    pub fn names() -> Vec<&'static str> {
        Strategy::ALL.iter().map(Strategy::as_str).collect()
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Strategy::HonestUntilDepth(k) => write!(f, "honest-until-depth:{k}"),
            other => f.write_str(other.as_str()),
        }
    }
}

impl FromStr for Strategy {
    type Err = ParseStrategyError;

    /// Accepts every [`Strategy::as_str`] name, and `honest-until-depth:K`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseStrategyError(s.to_owned());
        if let Some(k) = s.strip_prefix("honest-until-depth:") {
            return k.parse().map(Strategy::HonestUntilDepth).map_err(|_| err());
        }
        Strategy::ALL
            .iter()
            .find(|st| st.as_str() == s)
            .cloned()
            .ok_or_else(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Strategy::ALL {
            assert_eq!(s.to_string().parse::<Strategy>().unwrap(), *s);
            assert_eq!(s.as_str().parse::<Strategy>().unwrap().as_str(), s.as_str());
        }
        assert_eq!(
            "honest-until-depth:7".parse(),
            Ok(Strategy::HonestUntilDepth(7))
        );
        assert!("honest-until-depth:x".parse::<Strategy>().is_err());
        let e = "nope".parse::<Strategy>().unwrap_err();
        assert!(e.to_string().contains("consistent-liar"));
        let mut names = Strategy::names();
        names.dedup();
        assert_eq!(names.len(), Strategy::ALL.len());
    }
}
