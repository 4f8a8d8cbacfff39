//! The bot's settings: a TOML or JSON file, environment variables, then command-line flags
//! (each layer overrides the one before). See docs/challenger.md for the reference.

use crate::ChallengerError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// What the bot is allowed to send.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Send nothing; log and count what would be sent.
    Watch,
    /// Counter attacks on honest root claims (and resolve those games, claim their credits);
    /// leave dishonest proposals alone.
    Defend,
    /// Defend, and attack dishonest proposals; step, resolve, claim credits everywhere.
    #[default]
    Full,
}

impl Mode {
    /// The mode's name as the config and the CLI spell it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::Watch => "watch",
            Mode::Defend => "defend",
            Mode::Full => "full",
        }
    }
}

impl FromStr for Mode {
    type Err = ChallengerError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "watch" => Ok(Mode::Watch),
            "defend" => Ok(Mode::Defend),
            "full" => Ok(Mode::Full),
            other => Err(ChallengerError::Config(format!(
                "mode {other:?} is not one of watch, defend, full"
            ))),
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The toy VM's honest source settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ToySettings {
    /// Whether toy games are played at all.
    pub enabled: bool,
    /// The honest trace length; unset = trust each game's input (see `ToySource`).
    pub trace_length: Option<u64>,
}

/// The EVM source's settings (docs/challenger.md, "EVM games"). The source is on when a
/// genesis or a snapshot is given and the deployment has an EVM game type.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EvmSettings {
    /// The L2 genesis file (the state batch 1 executes from).
    pub genesis: Option<PathBuf>,
    /// A snapshot of the state after some batch (sync starts there instead of at genesis).
    pub snapshot: Option<PathBuf>,
}

/// Every setting of the bot. Field names are the config file's keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChallengerConfig {
    /// L1 JSON-RPC endpoint (http or https).
    pub rpc_url: Option<String>,
    /// The deployment file (`Deployment` JSON) naming the factory.
    pub deployment: Option<PathBuf>,
    /// A file holding the hex private key (the key itself is never a setting).
    pub key_file: Option<PathBuf>,
    /// What the bot sends.
    pub mode: Mode,
    /// Where the bot keeps its bookkeeping; unset = in memory only (nothing survives a restart
    /// but the chain itself).
    pub data_dir: Option<PathBuf>,
    /// Prometheus endpoint `host:port`; unset = no endpoint.
    pub metrics_addr: Option<String>,
    /// First L1 block to look for games in (default: the deployment's block 0).
    pub start_block: u64,
    /// Seconds between polls of the chain.
    pub poll_interval_ms: u64,
    /// Blocks re-scanned behind the last scanned block at every poll (re-org depth covered).
    pub reorg_depth: u64,
    /// Most transactions in flight at once.
    pub max_pending_txs: usize,
    /// Most games processed at once.
    pub max_concurrent_games: usize,
    /// Children per `resolveClaim` page.
    pub resolve_page_size: usize,
    /// Game types to play; empty = every type a source handles.
    pub game_types: Vec<u32>,
    /// JSON-RPC request time limit, seconds.
    pub request_timeout_secs: u64,
    /// Time limit for a transaction to be mined, seconds.
    pub receipt_timeout_secs: u64,
    /// Attempts of a transient RPC failure before giving up for this poll.
    pub retry_attempts: u32,
    /// The toy VM source.
    pub toy: ToySettings,
    /// The EVM source.
    pub evm: EvmSettings,
}

impl Default for ChallengerConfig {
    fn default() -> Self {
        ChallengerConfig {
            rpc_url: None,
            deployment: None,
            key_file: None,
            mode: Mode::Full,
            data_dir: None,
            metrics_addr: None,
            start_block: 0,
            poll_interval_ms: 2_000,
            reorg_depth: 12,
            max_pending_txs: 4,
            max_concurrent_games: 8,
            resolve_page_size: 64,
            game_types: Vec::new(),
            request_timeout_secs: 10,
            receipt_timeout_secs: 120,
            retry_attempts: 5,
            toy: ToySettings {
                enabled: true,
                trace_length: None,
            },
            evm: EvmSettings::default(),
        }
    }
}

/// The environment variables read by [`ChallengerConfig::apply_env`] (the key variable
/// [`KEY_ENV`] is read by [`load_key`] only).
pub const ENV_VARS: &[&str] = &[
    "GAVEL_CHALLENGER_RPC_URL",
    "GAVEL_CHALLENGER_DEPLOYMENT",
    "GAVEL_CHALLENGER_KEY_FILE",
    "GAVEL_CHALLENGER_MODE",
    "GAVEL_CHALLENGER_DATA_DIR",
    "GAVEL_CHALLENGER_METRICS_ADDR",
    "GAVEL_CHALLENGER_START_BLOCK",
    "GAVEL_CHALLENGER_POLL_INTERVAL_MS",
    "GAVEL_CHALLENGER_MAX_PENDING_TXS",
    "GAVEL_CHALLENGER_TOY_TRACE_LENGTH",
    "GAVEL_CHALLENGER_EVM_GENESIS",
    "GAVEL_CHALLENGER_EVM_SNAPSHOT",
];

/// The environment variable holding the hex private key.
pub const KEY_ENV: &str = "GAVEL_CHALLENGER_KEY";

impl ChallengerConfig {
    /// Reads a config file: `.json` as JSON, anything else as TOML. Unknown keys are errors
    /// (a typo must not silently leave a default in place).
    pub fn from_file(path: &Path) -> Result<Self, ChallengerError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ChallengerError::Config(format!("cannot read {}: {e}", path.display())))?;
        let is_json = path.extension().is_some_and(|e| e == "json");
        let parsed = if is_json {
            serde_json::from_str(&text).map_err(|e| e.to_string())
        } else {
            toml::from_str(&text).map_err(|e| e.to_string())
        };
        parsed.map_err(|e| ChallengerError::Config(format!("{}: {e}", path.display())))
    }

    /// Overrides settings from `GAVEL_CHALLENGER_*` variables, read through `var` (the process
    /// environment in the binary, a map in tests).
    pub fn apply_env(
        &mut self,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<(), ChallengerError> {
        let num = |name: &str, v: String| {
            v.trim()
                .parse::<u64>()
                .map_err(|e| ChallengerError::Config(format!("{name}={v:?}: {e}")))
        };
        if let Some(v) = var("GAVEL_CHALLENGER_RPC_URL") {
            self.rpc_url = Some(v);
        }
        if let Some(v) = var("GAVEL_CHALLENGER_DEPLOYMENT") {
            self.deployment = Some(v.into());
        }
        if let Some(v) = var("GAVEL_CHALLENGER_KEY_FILE") {
            self.key_file = Some(v.into());
        }
        if let Some(v) = var("GAVEL_CHALLENGER_MODE") {
            self.mode = v.parse()?;
        }
        if let Some(v) = var("GAVEL_CHALLENGER_DATA_DIR") {
            self.data_dir = Some(v.into());
        }
        if let Some(v) = var("GAVEL_CHALLENGER_METRICS_ADDR") {
            self.metrics_addr = Some(v);
        }
        if let Some(v) = var("GAVEL_CHALLENGER_START_BLOCK") {
            self.start_block = num("GAVEL_CHALLENGER_START_BLOCK", v)?;
        }
        if let Some(v) = var("GAVEL_CHALLENGER_POLL_INTERVAL_MS") {
            self.poll_interval_ms = num("GAVEL_CHALLENGER_POLL_INTERVAL_MS", v)?;
        }
        if let Some(v) = var("GAVEL_CHALLENGER_MAX_PENDING_TXS") {
            let n = num("GAVEL_CHALLENGER_MAX_PENDING_TXS", v)?;
            self.max_pending_txs = usize::try_from(n).unwrap_or(usize::MAX);
        }
        if let Some(v) = var("GAVEL_CHALLENGER_TOY_TRACE_LENGTH") {
            self.toy.trace_length = Some(num("GAVEL_CHALLENGER_TOY_TRACE_LENGTH", v)?);
        }
        if let Some(v) = var("GAVEL_CHALLENGER_EVM_GENESIS") {
            self.evm.genesis = Some(v.into());
        }
        if let Some(v) = var("GAVEL_CHALLENGER_EVM_SNAPSHOT") {
            self.evm.snapshot = Some(v.into());
        }
        Ok(())
    }

    /// Checks the settings that have no safe meaning when zero or missing.
    pub fn validate(&self) -> Result<(), ChallengerError> {
        let bad = |m: &str| Err(ChallengerError::Config(m.into()));
        if self.rpc_url.is_none() {
            return bad("no RPC URL (--rpc-url, GAVEL_CHALLENGER_RPC_URL or rpc_url)");
        }
        if self.deployment.is_none() {
            return bad(
                "no deployment file (--deployment, GAVEL_CHALLENGER_DEPLOYMENT or deployment)",
            );
        }
        if self.poll_interval_ms == 0 {
            return bad("poll_interval_ms must be at least 1");
        }
        if self.max_pending_txs == 0 {
            return bad("max_pending_txs must be at least 1");
        }
        if self.max_concurrent_games == 0 {
            return bad("max_concurrent_games must be at least 1");
        }
        if self.resolve_page_size == 0 {
            return bad("resolve_page_size must be at least 1");
        }
        if self.retry_attempts == 0 {
            return bad("retry_attempts must be at least 1");
        }
        Ok(())
    }

    /// The poll interval.
    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.poll_interval_ms)
    }
}

/// The signing key: from `key_file` if given, else from the [`KEY_ENV`] variable (read
/// through `var`). Whitespace around it is ignored. Errors never contain the key.
pub fn load_key(
    key_file: Option<&Path>,
    var: impl Fn(&str) -> Option<String>,
) -> Result<String, ChallengerError> {
    load_key_named(key_file, KEY_ENV, var)
}

/// [`load_key`] with another environment variable (`gavel propose` uses its own, so a
/// proposer key is never picked up by a bot by accident).
pub fn load_key_named(
    key_file: Option<&Path>,
    env_name: &str,
    var: impl Fn(&str) -> Option<String>,
) -> Result<String, ChallengerError> {
    let key = match key_file {
        Some(path) => {
            warn_if_readable_by_others(path);
            std::fs::read_to_string(path).map_err(|e| {
                ChallengerError::Key(format!("cannot read key file {}: {e}", path.display()))
            })?
        }
        None => var(env_name).ok_or_else(|| {
            ChallengerError::Key(format!("no key: give --key-file FILE or set {env_name}"))
        })?,
    };
    let key = key.trim().to_owned();
    if key.is_empty() {
        return Err(ChallengerError::Key("the key is empty".into()));
    }
    Ok(key)
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(path = %path.display(), "key file is readable by group or others; chmod 600 it");
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn toml_file_env_and_validation() {
        let toml = r#"
            rpc_url = "http://127.0.0.1:8545"
            deployment = "d.json"
            mode = "defend"
            poll_interval_ms = 250
            [toy]
            enabled = true
            trace_length = 40
        "#;
        let mut c: ChallengerConfig = toml::from_str(toml).unwrap();
        assert_eq!(c.mode, Mode::Defend);
        assert_eq!(c.toy.trace_length, Some(40));
        assert_eq!(c.max_pending_txs, 4, "defaults fill the rest");
        c.validate().unwrap();
        let env: HashMap<&str, &str> = [
            ("GAVEL_CHALLENGER_MODE", "watch"),
            ("GAVEL_CHALLENGER_START_BLOCK", "7"),
        ]
        .into();
        c.apply_env(|k| env.get(k).map(|v| v.to_string())).unwrap();
        assert_eq!((c.mode, c.start_block), (Mode::Watch, 7));
        let bad: HashMap<&str, &str> = [("GAVEL_CHALLENGER_MODE", "attack")].into();
        assert!(c.apply_env(|k| bad.get(k).map(|v| v.to_string())).is_err());
        assert!(toml::from_str::<ChallengerConfig>("rpc_ulr = \"x\"").is_err());
        c.max_pending_txs = 0;
        assert!(c.validate().is_err());
    }

    #[test]
    fn key_from_env_or_file_never_echoed() {
        let none = |_: &str| None;
        let err = load_key(None, none).unwrap_err().to_string();
        assert!(err.contains(KEY_ENV));
        let k = load_key(None, |_| Some("  abcd \n".into())).unwrap();
        assert_eq!(k, "abcd");
        let err = load_key(Some(Path::new("/nonexistent/key")), none).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/key"));
    }
}
