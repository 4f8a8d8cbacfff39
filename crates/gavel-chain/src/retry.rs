//! Bounded retry with exponential backoff for transient failures.

use crate::ChainError;
use std::future::Future;
use std::time::Duration;

/// How often and how patiently to retry a transient failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts including the first; 1 disables retrying.
    pub max_attempts: u32,
    /// Wait before the second attempt; doubles after every failure.
    pub initial_backoff: Duration,
    /// Upper bound of a single wait.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, 100 ms doubling to at most 2 s: rides out a node restart or a brief rate
    /// limit (≈ 1.5 s of waiting in total) without hiding a dead endpoint for long.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait after failed attempt number `attempt` (1-based).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// Runs `op` until it succeeds, fails with a permanent error, or `policy.max_attempts`
/// attempts have failed; returns the last error then.
pub async fn retry<T, F, Fut>(policy: &RetryPolicy, mut op: F) -> Result<T, ChainError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ChainError>>,
{
    let mut attempt = 1;
    loop {
        match op().await {
            Ok(v) => return Ok(v),
            Err(e) if e.is_transient() && attempt < policy.max_attempts.max(1) => {
                tracing::debug!(attempt, error = %e, "transient L1 error, retrying");
                tokio::time::sleep(policy.backoff(attempt)).await;
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn fast(max_attempts: u32) -> RetryPolicy {
        RetryPolicy {
            max_attempts,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(2),
        }
    }

    fn transient() -> ChainError {
        ChainError::Timeout {
            op: "test",
            secs: 1,
        }
    }

    #[tokio::test]
    async fn retries_transient_errors_until_success() {
        let calls = Cell::new(0);
        let r = retry(&fast(5), || {
            calls.set(calls.get() + 1);
            let n = calls.get();
            async move { if n < 3 { Err(transient()) } else { Ok(n) } }
        })
        .await;
        assert_eq!(r.unwrap(), 3);
    }

    #[tokio::test]
    async fn gives_up_after_max_attempts() {
        let calls = Cell::new(0);
        let r: Result<(), _> = retry(&fast(4), || {
            calls.set(calls.get() + 1);
            async { Err(transient()) }
        })
        .await;
        assert!(matches!(r, Err(ChainError::Timeout { .. })));
        assert_eq!(calls.get(), 4);
    }

    #[tokio::test]
    async fn never_retries_permanent_errors() {
        let calls = Cell::new(0);
        let r: Result<(), _> = retry(&fast(5), || {
            calls.set(calls.get() + 1);
            async {
                Err(ChainError::Reverted {
                    data: Default::default(),
                })
            }
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls.get(), 1);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
        };
        assert_eq!(p.backoff(1), Duration::from_millis(100));
        assert_eq!(p.backoff(2), Duration::from_millis(200));
        assert_eq!(p.backoff(3), Duration::from_millis(350));
        assert_eq!(p.backoff(60), Duration::from_millis(350));
    }
}
