//! Deploying the dispute system and recording where it lives.
//!
//! Order (see `DisputeGameFactory`'s NatSpec): factory → anchor registry(factory) → step
//! verifier → game implementation(config, verifier, registry, factory) →
//! `factory.setImplementation(type, impl)` → `registry.setAnchor(type, root, seq)`.

use crate::bindings::{AnchorStateRegistry, DisputeGameFactory, FaultDisputeGame, ToyStepVerifier};
use crate::calls::{deploy, send_call};
use crate::json_fields::Obj;
use crate::{ChainError, L1};
use alloy::primitives::{Address, B256, U256};
use alloy::sol_types::SolConstructor;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The game type of the toy VM (like Optimism's test-only alphabet game, a high number).
pub const TOY_GAME_TYPE: u32 = 255;

/// Version of the deployment file format written by [`Deployment::save`]. Format 2 adds the
/// optional `l2` section (inbox, EVM step verifier, genesis) of [`crate::deploy_evm_system`];
/// format-1 files (toy deployments) still load.
pub const DEPLOYMENT_FORMAT: u32 = 2;

/// The oldest deployment file format [`Deployment::load`] reads.
pub const OLDEST_DEPLOYMENT_FORMAT: u32 = 1;

/// The configuration of one game type, as set in the implementation's immutables.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameParams {
    /// Depth of the leaves (steps).
    pub max_depth: u64,
    /// Depth of the transition boundaries.
    pub split_depth: u64,
    /// Each side's chess clock, seconds.
    pub max_clock_duration: u64,
    /// Clock extension, seconds.
    pub clock_extension: u64,
    /// Seconds between resolution and credit withdrawal.
    pub withdrawal_delay: u64,
    /// Root bond, wei.
    pub base_bond: U256,
    /// Bond increment per depth, wei.
    pub bond_increment: U256,
}

impl GameParams {
    /// The bond a claim at `depth` must pay.
    pub fn bond_at_depth(&self, depth: u64) -> U256 {
        self.base_bond + U256::from(depth) * self.bond_increment
    }
}

/// Everything [`deploy_toy_system`] needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToyDeployParams {
    /// The game type to register.
    pub game_type: u32,
    /// Depth of the leaves.
    pub max_depth: u64,
    /// Split depth.
    pub split_depth: u64,
    /// Each side's clock, seconds.
    pub max_clock_duration: u64,
    /// Clock extension, seconds.
    pub clock_extension: u64,
    /// Withdrawal delay, seconds.
    pub withdrawal_delay: u64,
    /// Root bond, wei.
    pub base_bond: U256,
    /// Bond increment per depth, wei.
    pub bond_increment: U256,
    /// The initial anchor root: games start from it.
    pub anchor_root: B256,
    /// The initial anchor's L2 sequence number: games must claim a later one.
    pub anchor_seq: u64,
}

impl Default for ToyDeployParams {
    /// The toy defaults of `docs/protocol.md` §9 (depth 10, split 4), one-hour clocks with
    /// five-minute extensions, a ten-minute withdrawal delay, 0.01 ETH + 0.001 ETH per depth.
    fn default() -> Self {
        let milli_ether = U256::from(1_000_000_000_000_000u64);
        Self {
            game_type: TOY_GAME_TYPE,
            max_depth: 10,
            split_depth: 4,
            max_clock_duration: 3600,
            clock_extension: 300,
            withdrawal_delay: 600,
            base_bond: milli_ether * U256::from(10u64),
            bond_increment: milli_ether,
            anchor_root: B256::ZERO,
            anchor_seq: 0,
        }
    }
}

impl ToyDeployParams {
    /// The parameters for a game configured like `config` (the Rust mirror's configuration),
    /// registered as [`TOY_GAME_TYPE`] and anchored at `(anchor_root, anchor_seq)`.
    pub fn from_config(
        config: &gavel_game::GameConfig,
        anchor_root: B256,
        anchor_seq: u64,
    ) -> Self {
        Self {
            game_type: TOY_GAME_TYPE,
            max_depth: u64::from(config.max_depth),
            split_depth: u64::from(config.split_depth),
            max_clock_duration: config.max_clock_duration,
            clock_extension: config.clock_extension,
            withdrawal_delay: config.withdrawal_delay,
            base_bond: config.base_bond,
            bond_increment: config.bond_increment,
            anchor_root,
            anchor_seq,
        }
    }

    /// The game configuration part.
    pub fn game_params(&self) -> GameParams {
        GameParams {
            max_depth: self.max_depth,
            split_depth: self.split_depth,
            max_clock_duration: self.max_clock_duration,
            clock_extension: self.clock_extension,
            withdrawal_delay: self.withdrawal_delay,
            base_bond: self.base_bond,
            bond_increment: self.bond_increment,
        }
    }
}

/// One registered game type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameTypeDeployment {
    /// The game type id.
    pub game_type: u32,
    /// The `FaultDisputeGame` implementation the factory clones.
    pub implementation: Address,
    /// The step verifier.
    pub verifier: Address,
    /// What the verifier is (`"toy"`, ...), for operators reading the file.
    pub verifier_kind: String,
    /// The configuration in the implementation's immutables.
    pub params: GameParams,
    /// The anchor root set at deployment.
    pub anchor_root: B256,
    /// The anchor sequence number set at deployment.
    pub anchor_seq: u64,
}

/// Where a dispute system lives on one chain. Saved as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    /// File format version ([`DEPLOYMENT_FORMAT`]).
    pub format: u32,
    /// The chain the contracts are on.
    pub chain_id: u64,
    /// The owner of the factory and the registry.
    pub deployer: Address,
    /// The `DisputeGameFactory`.
    pub factory: Address,
    /// The `AnchorStateRegistry`.
    pub anchor_registry: Address,
    /// The registered game types, in registration order.
    pub game_types: Vec<GameTypeDeployment>,
    /// The L2 chain served by the EVM game type ([`crate::deploy_evm_system`]); absent for a
    /// toy-only deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub l2: Option<crate::evm::L2Deployment>,
}

impl Deployment {
    /// The record of `game_type`.
    pub fn game_type(&self, game_type: u32) -> Option<&GameTypeDeployment> {
        self.game_types.iter().find(|g| g.game_type == game_type)
    }

    /// The first registered game type (the toy one for [`deploy_toy_system`]).
    pub fn primary(&self) -> Result<&GameTypeDeployment, ChainError> {
        self.game_types.first().ok_or(ChainError::InvalidParameter {
            name: "deployment",
            message: "no game type is registered".into(),
        })
    }

    /// Writes the deployment as pretty JSON (through a temporary file, so a crash never
    /// leaves half a file).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), ChainError> {
        let path = path.as_ref();
        let err = |message: String| ChainError::DeploymentFile {
            path: path.to_owned(),
            message,
        };
        let json = serde_json::to_string_pretty(self).map_err(|e| err(e.to_string()))?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json + "\n")
            .map_err(|e| err(format!("cannot write {}: {e}", tmp.display())))?;
        std::fs::rename(&tmp, path)
            .map_err(|e| err(format!("cannot move {} into place: {e}", tmp.display())))
    }

    /// Reads a deployment written by [`Deployment::save`] (format
    /// [`OLDEST_DEPLOYMENT_FORMAT`] to [`DEPLOYMENT_FORMAT`]). Every error names the file and,
    /// for a bad or missing value, the field (`game_types[0].params.max_depth: invalid type …`);
    /// unknown fields are rejected by name.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, ChainError> {
        let path = path.as_ref();
        let err = |message: String| ChainError::DeploymentFile {
            path: path.to_owned(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read: {e}")))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| err(format!("not a deployment: {e}")))?;
        let format = value
            .get("format")
            .ok_or_else(|| err("not a deployment: missing field `format`".into()))?;
        let format = format.as_u64().ok_or_else(|| {
            err(format!(
                "not a deployment: field `format`: expected a number, found {format}"
            ))
        })?;
        if !(u64::from(OLDEST_DEPLOYMENT_FORMAT)..=u64::from(DEPLOYMENT_FORMAT)).contains(&format) {
            return Err(err(format!(
                "format {format} is not a supported format ({OLDEST_DEPLOYMENT_FORMAT} to \
                 {DEPLOYMENT_FORMAT}); this file was written by another gavel version"
            )));
        }
        let d = Deployment::from_json(&value).map_err(|e| err(format!("not a deployment: {e}")))?;
        if d.format == 1 && d.l2.is_some() {
            return Err(err(
                "format 1 has no `l2` section (it was added in format 2)".into(),
            ));
        }
        if d.game_types.is_empty() {
            return Err(err("no game type is registered".into()));
        }
        if let Some(l2) = &d.l2
            && d.game_type(l2.game_type).is_none()
        {
            return Err(err(format!(
                "field `l2.game_type`: game type {} is not in `game_types`",
                l2.game_type
            )));
        }
        Ok(d)
    }
}

impl GameParams {
    fn from_json(o: &Obj) -> Result<Self, String> {
        o.only(&[
            "max_depth",
            "split_depth",
            "max_clock_duration",
            "clock_extension",
            "withdrawal_delay",
            "base_bond",
            "bond_increment",
        ])?;
        Ok(Self {
            max_depth: o.req("max_depth")?,
            split_depth: o.req("split_depth")?,
            max_clock_duration: o.req("max_clock_duration")?,
            clock_extension: o.req("clock_extension")?,
            withdrawal_delay: o.req("withdrawal_delay")?,
            base_bond: o.req("base_bond")?,
            bond_increment: o.req("bond_increment")?,
        })
    }
}

impl GameTypeDeployment {
    fn from_json(o: &Obj) -> Result<Self, String> {
        o.only(&[
            "game_type",
            "implementation",
            "verifier",
            "verifier_kind",
            "params",
            "anchor_root",
            "anchor_seq",
        ])?;
        Ok(Self {
            game_type: o.req("game_type")?,
            implementation: o.req("implementation")?,
            verifier: o.req("verifier")?,
            verifier_kind: o.req("verifier_kind")?,
            params: GameParams::from_json(&o.obj("params")?)?,
            anchor_root: o.req("anchor_root")?,
            anchor_seq: o.req("anchor_seq")?,
        })
    }
}

impl Deployment {
    /// Reads a deployment from its JSON value, naming the path of any bad field.
    fn from_json(v: &serde_json::Value) -> Result<Self, String> {
        let o = Obj::new(v, "")?;
        o.only(&[
            "format",
            "chain_id",
            "deployer",
            "factory",
            "anchor_registry",
            "game_types",
            "l2",
        ])?;
        Ok(Self {
            format: o.req("format")?,
            chain_id: o.req("chain_id")?,
            deployer: o.req("deployer")?,
            factory: o.req("factory")?,
            anchor_registry: o.req("anchor_registry")?,
            game_types: o
                .objs("game_types")?
                .iter()
                .map(GameTypeDeployment::from_json)
                .collect::<Result<_, _>>()?,
            l2: o
                .opt_obj("l2")?
                .map(|l2| crate::evm::L2Deployment::from_json(&l2))
                .transpose()?,
        })
    }
}

/// Deploys the factory and the anchor registry, both owned by `deployer`.
pub async fn deploy_core(l1: &impl L1, deployer: Address) -> Result<Deployment, ChainError> {
    let factory = deploy(
        l1,
        deployer,
        "deploying DisputeGameFactory",
        DisputeGameFactory::BYTECODE.to_vec(),
    )
    .await?;
    let mut registry_code = AnchorStateRegistry::BYTECODE.to_vec();
    registry_code.extend(AnchorStateRegistry::constructorCall { _factory: factory }.abi_encode());
    let anchor_registry =
        deploy(l1, deployer, "deploying AnchorStateRegistry", registry_code).await?;
    Ok(Deployment {
        format: DEPLOYMENT_FORMAT,
        chain_id: l1.chain_id().await?,
        deployer,
        factory,
        anchor_registry,
        game_types: Vec::new(),
        l2: None,
    })
}

/// Deploys a game implementation for `game_type` with `verifier`, registers it in the factory
/// and seeds the anchor; records it in `deployment`. `deployer` must own factory and registry.
#[allow(clippy::too_many_arguments)]
pub async fn add_game_type(
    l1: &impl L1,
    deployer: Address,
    deployment: &mut Deployment,
    game_type: u32,
    params: GameParams,
    verifier: Address,
    verifier_kind: &str,
    anchor_root: B256,
    anchor_seq: u64,
) -> Result<(), ChainError> {
    if deployment.game_type(game_type).is_some() {
        return Err(ChainError::InvalidParameter {
            name: "game_type",
            message: format!("game type {game_type} is already in the deployment"),
        });
    }
    let mut game_code = FaultDisputeGame::BYTECODE.to_vec();
    game_code.extend(
        FaultDisputeGame::constructorCall {
            _gameType: game_type,
            _maxGameDepth: U256::from(params.max_depth),
            _splitDepth: U256::from(params.split_depth),
            _maxClockDuration: params.max_clock_duration,
            _clockExtension: params.clock_extension,
            _withdrawalDelay: params.withdrawal_delay,
            _baseBond: params.base_bond,
            _bondIncrement: params.bond_increment,
            _verifier: verifier,
            _anchorRegistry: deployment.anchor_registry,
            _factory: deployment.factory,
        }
        .abi_encode(),
    );
    let implementation = deploy(l1, deployer, "deploying FaultDisputeGame", game_code).await?;
    register_implementation(
        l1,
        deployer,
        deployment,
        game_type,
        params,
        implementation,
        verifier,
        verifier_kind,
        anchor_root,
        anchor_seq,
    )
    .await
}

/// Registers a deployed game `implementation` for `game_type` in the factory, seeds its anchor
/// and records it in `deployment`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn register_implementation(
    l1: &impl L1,
    deployer: Address,
    deployment: &mut Deployment,
    game_type: u32,
    params: GameParams,
    implementation: Address,
    verifier: Address,
    verifier_kind: &str,
    anchor_root: B256,
    anchor_seq: u64,
) -> Result<(), ChainError> {
    if deployment.game_type(game_type).is_some() {
        return Err(ChainError::InvalidParameter {
            name: "game_type",
            message: format!("game type {game_type} is already in the deployment"),
        });
    }
    send_call(
        l1,
        deployer,
        deployment.factory,
        DisputeGameFactory::setImplementationCall {
            _gameType: game_type,
            _impl: implementation,
        },
        U256::ZERO,
    )
    .await?;
    send_call(
        l1,
        deployer,
        deployment.anchor_registry,
        AnchorStateRegistry::setAnchorCall {
            _gameType: game_type,
            _root: anchor_root,
            _l2SequenceNumber: U256::from(anchor_seq),
        },
        U256::ZERO,
    )
    .await?;
    deployment.game_types.push(GameTypeDeployment {
        game_type,
        implementation,
        verifier,
        verifier_kind: verifier_kind.into(),
        params,
        anchor_root,
        anchor_seq,
    });
    Ok(())
}

/// Deploys the whole toy system: factory, registry, `ToyStepVerifier`, the game
/// implementation for `params.game_type`, registered and anchored.
pub async fn deploy_toy_system(
    l1: &impl L1,
    deployer: Address,
    params: &ToyDeployParams,
) -> Result<Deployment, ChainError> {
    let mut deployment = deploy_core(l1, deployer).await?;
    let verifier = deploy(
        l1,
        deployer,
        "deploying ToyStepVerifier",
        ToyStepVerifier::BYTECODE.to_vec(),
    )
    .await?;
    add_game_type(
        l1,
        deployer,
        &mut deployment,
        params.game_type,
        params.game_params(),
        verifier,
        "toy",
        params.anchor_root,
        params.anchor_seq,
    )
    .await?;
    Ok(deployment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toy_defaults_match_the_rust_mirror() {
        let root = B256::repeat_byte(7);
        let from_mirror =
            ToyDeployParams::from_config(&gavel_game::GameConfig::toy_default(), root, 3);
        let expected = ToyDeployParams {
            anchor_root: root,
            anchor_seq: 3,
            ..ToyDeployParams::default()
        };
        assert_eq!(from_mirror, expected);
    }

    #[test]
    fn bonds_grow_with_depth() {
        let p = ToyDeployParams::default().game_params();
        assert_eq!(p.bond_at_depth(0), p.base_bond);
        assert_eq!(
            p.bond_at_depth(3),
            p.base_bond + U256::from(3) * p.bond_increment
        );
    }
}
