//! Chess-clock arithmetic (docs/protocol.md §4), kept apart from storage so it can be
//! tested on its own.

use crate::config::GameConfig;

/// Time used by whoever would counter a claim: the claim's parent's duration plus the time
/// since the claim was made, capped at the max clock. Time never runs backwards on-chain; a
/// `now` before `claim_timestamp` counts as no elapsed time instead of underflowing.
pub fn challenger_duration(
    config: &GameConfig,
    parent_duration: u64,
    claim_timestamp: u64,
    now: u64,
) -> u64 {
    parent_duration
        .saturating_add(now.saturating_sub(claim_timestamp))
        .min(config.max_clock_duration)
}

/// The stored duration of a new claim at `new_depth` whose mover has used `challenger`
/// seconds: capped at `max − ext` so whoever answers it always has `ext` seconds left.
pub fn next_duration(config: &GameConfig, challenger: u64, new_depth: u32) -> u64 {
    let ceiling = config
        .max_clock_duration
        .saturating_sub(config.extension_for(new_depth));
    challenger.min(ceiling)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_cap_and_extend() {
        let c = GameConfig::toy_default(); // max 3600, ext 300, split 4, max depth 10
        assert_eq!(challenger_duration(&c, 100, 1_000, 1_500), 600);
        assert_eq!(challenger_duration(&c, 3_000, 0, 10_000), 3_600);
        assert_eq!(challenger_duration(&c, 0, 2_000, 1_000), 0);
        assert_eq!(challenger_duration(&c, u64::MAX, 0, u64::MAX), 3_600);
        // Below the ceiling the duration is kept as is.
        assert_eq!(next_duration(&c, 3_299, 5), 3_299);
        // Above it: cut to max − ext, and max − 2·ext before the split and the step.
        assert_eq!(next_duration(&c, 3_500, 5), 3_300);
        assert_eq!(next_duration(&c, 3_500, 3), 3_000);
        assert_eq!(next_duration(&c, 3_500, 9), 3_000);
        assert_eq!(next_duration(&c, 3_100, 9), 3_000);
    }
}
