//! Which steps of a transition the driver verifies.

/// The steps of a transition of `steps` steps to verify: all of them, or with `max = Some(n)`
/// at most `n`, spread over the whole transition: the first, the last and evenly spaced ones
/// between (step `i·(steps−1)/(n−1)` for `i < n`). Sorted, without duplicates.
pub fn select_steps(steps: u64, max: Option<u64>) -> Vec<u64> {
    let n = match max {
        Some(n) if n < steps => n,
        _ => return (0..steps).collect(),
    };
    match n {
        0 => Vec::new(),
        1 => vec![0],
        n => {
            // (steps − 1) / (n − 1) ≥ 1, so the points strictly increase; u128 avoids overflow.
            let (last, gaps) = (u128::from(steps - 1), u128::from(n - 1));
            (0..n)
                .map(|i| (u128::from(i) * last / gaps) as u64)
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_without_a_limit_or_below_it() {
        assert_eq!(select_steps(4, None), vec![0, 1, 2, 3]);
        assert_eq!(select_steps(4, Some(4)), vec![0, 1, 2, 3]);
        assert_eq!(select_steps(4, Some(9)), vec![0, 1, 2, 3]);
        assert!(select_steps(0, Some(3)).is_empty());
    }

    #[test]
    fn first_last_and_evenly_spaced() {
        assert_eq!(select_steps(101, Some(5)), vec![0, 25, 50, 75, 100]);
        assert_eq!(select_steps(10, Some(2)), vec![0, 9]);
        assert_eq!(select_steps(10, Some(1)), vec![0]);
        assert!(select_steps(10, Some(0)).is_empty());
    }
}
