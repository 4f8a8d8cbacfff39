//! The real [`StepChecker`]: gavel's prover (`Executor::step_proof`) against the Solidity step
//! verifier (`contracts/src/step/`) deployed in an in-process revm L1.
//!
//! One verifier is deployed per chain configuration (it pins the chain-config hash and chain
//! id) and reused for every case of that chain. A step is verified when the verifier accepts
//! the honest witness and returns exactly the executor's post-state; each forged witness
//! ([`crate::mutate`]) must be rejected or give that same post-state — a forgery that yields
//! another post-state is a soundness bug and is counted as `forged_accepted`.

use std::collections::HashMap;

use alloy_primitives::{Address, B256};
use gavel_chain::{
    EvmVerifierAddresses, EvmVerifierParams, InProcessL1, StepOutcome, deploy_evm_verifier,
    dev_address, run_step,
};
use gavel_trace::Executor;
use gavel_trace::step::{ProofKind, StepProof};
use rand::RngCore;

use crate::driver::{StepChecker, StepVerdict};
use crate::{Error, mutate};

/// Proves steps with the executor and runs them through the on-chain verifier.
pub struct OnChainChecker {
    runtime: tokio::runtime::Runtime,
    l1: InProcessL1,
    deployer: Address,
    verifiers: HashMap<EvmVerifierParams, EvmVerifierAddresses>,
    /// Proofs of the steps announced by [`StepChecker::prepare`], by trace index.
    prepared: HashMap<u64, StepProof>,
}

impl OnChainChecker {
    /// A fresh in-process L1 with one funded deployer.
    pub fn new() -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| Error::Checker {
                trace_index: 0,
                message: format!("tokio runtime: {e}"),
            })?;
        Ok(Self {
            runtime,
            l1: InProcessL1::with_accounts(1),
            deployer: dev_address(0),
            verifiers: HashMap::new(),
            prepared: HashMap::new(),
        })
    }

    /// The verifier for `exec`'s chain, deployed on first use.
    fn verifier(&mut self, exec: &Executor) -> Result<Address, Error> {
        // One deployment per (chain config, chain id, bottom depth).
        let params = EvmVerifierParams::for_executor(exec);
        if let Some(a) = self.verifiers.get(&params) {
            return Ok(a.verifier);
        }
        let deployed = self
            .runtime
            .block_on(deploy_evm_verifier(&self.l1, self.deployer, params))
            .map_err(|e| Error::Checker {
                trace_index: 0,
                message: format!("deploying the step verifier: {e}"),
            })?;
        self.verifiers.insert(params, deployed);
        Ok(deployed.verifier)
    }

    fn run(
        &self,
        verifier: Address,
        pre: B256,
        trace_index: u64,
        witness: &[u8],
    ) -> Result<StepOutcome, Error> {
        self.runtime
            .block_on(run_step(&self.l1, verifier, pre, trace_index, witness))
            .map_err(|e| Error::Checker {
                trace_index,
                message: format!("step call: {e}"),
            })
    }
}

/// A stable counter key for a step kind.
pub fn kind_name(kind: ProofKind) -> &'static str {
    match kind {
        ProofKind::BlockStart => "block start",
        ProofKind::TxStart => "transaction start",
        ProofKind::AccessListItem { .. } => "access-list warm-up",
        ProofKind::Opcode { .. } => "opcode",
        ProofKind::TxEnd => "transaction end",
        ProofKind::BlockEnd => "block end",
        ProofKind::Stutter => "stutter",
        ProofKind::PastBatch => "past the batch",
    }
}

impl StepChecker for OnChainChecker {
    fn prepare(&mut self, exec: &Executor, j: u64, steps: &[u64]) -> Result<(), Error> {
        let proofs = exec.step_proofs(j, steps).map_err(|e| Error::Checker {
            trace_index: exec
                .layout()
                .trace_index(j, steps.first().copied().unwrap_or(0)),
            message: format!("proving transition {j}: {e}"),
        })?;
        self.prepared = proofs.into_iter().map(|p| (p.trace_index, p)).collect();
        Ok(())
    }

    fn check(
        &mut self,
        exec: &Executor,
        trace_index: u64,
        mutations: u32,
        rng: &mut dyn RngCore,
    ) -> Result<StepVerdict, Error> {
        let proof = match self.prepared.remove(&trace_index) {
            Some(p) => p,
            None => exec.step_proof(trace_index).map_err(|e| Error::Checker {
                trace_index,
                message: format!("proving: {e}"),
            })?,
        };
        let Some(witness) = proof.witness else {
            return Ok(StepVerdict::unsupported(format!(
                "no witness builder for {}",
                kind_name(proof.kind)
            )));
        };
        let verifier = self.verifier(exec)?;
        let mut verdict = StepVerdict::default();
        match self.run(verifier, proof.pre, trace_index, &witness)? {
            StepOutcome::Post(post) if post == proof.post => verdict.verified = true,
            StepOutcome::Post(post) => {
                verdict.mismatch = Some(format!(
                    "{} at trace index {trace_index}: the verifier computed {post}, the executor {}",
                    kind_name(proof.kind),
                    proof.post
                ));
                return Ok(verdict);
            }
            StepOutcome::Rejected(why) => {
                verdict.mismatch = Some(format!(
                    "{} at trace index {trace_index}: the verifier rejected the honest witness: {why}",
                    kind_name(proof.kind)
                ));
                return Ok(verdict);
            }
        }
        for _ in 0..mutations {
            let forged = mutate(&witness, rng);
            verdict.mutations += 1;
            if let StepOutcome::Post(post) = self.run(verifier, proof.pre, trace_index, &forged)?
                && post != proof.post
            {
                verdict.forged_accepted += 1;
            }
        }
        Ok(verdict)
    }
}
