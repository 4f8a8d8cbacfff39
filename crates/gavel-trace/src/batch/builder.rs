//! Writing batches from Rust: sign transactions with alloy's local signer and collect them
//! into blocks. Used by the tests, the fixtures and the fuzzer.
//!
//! ```
//! use gavel_trace::batch::{BatchBuilder, BlockContext, TxRequest, dev_key};
//! use alloy_primitives::{Address, U256};
//!
//! let alice = dev_key(1);
//! let mut b = BatchBuilder::new(901);
//! b.block(BlockContext::new(1, 1_700_000_012));
//! b.tx(&alice, TxRequest::transfer(Address::repeat_byte(2), U256::from(5))).unwrap();
//! let batch = b.build().unwrap();
//! assert_eq!(batch.transition_count(), 3);
//! ```

use alloy_consensus::{SignableTransaction, TxEip1559, TxEip2930, TxEnvelope, TxLegacy};
use alloy_eips::eip2718::Encodable2718;
use alloy_eips::eip2930::AccessList;
use alloy_primitives::map::HashMap;
use alloy_primitives::{Address, B256, Bytes, TxKind, U256, keccak256};
use alloy_signer::SignerSync;
use alloy_signer_local::PrivateKeySigner;

use super::{Batch, BatchError, BatchErrorKind, BatchTx, Block, BlockContext};

/// A deterministic development key: `keccak256("gavel dev key" ‖ i)`.
pub fn dev_key(i: u64) -> PrivateKeySigner {
    let seed = keccak256([b"gavel dev key".as_slice(), &i.to_be_bytes()].concat());
    PrivateKeySigner::from_bytes(&seed)
        .expect("a keccak output is a valid key with overwhelming probability")
}

/// The transaction types the chain accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxType {
    /// Legacy with an EIP-155 chain id.
    Legacy,
    /// EIP-2930.
    Eip2930,
    /// EIP-1559.
    Eip1559,
}

/// What to sign. Fees default to a 10 gwei cap and a 1 gwei tip; the nonce defaults to the
/// builder's count for the signer.
#[derive(Debug, Clone)]
pub struct TxRequest {
    /// Type.
    pub ty: TxType,
    /// Callee (`None` creates a contract).
    pub to: Option<Address>,
    /// Value.
    pub value: U256,
    /// Calldata (or initcode).
    pub input: Bytes,
    /// Gas limit.
    pub gas_limit: u64,
    /// Gas price (legacy, EIP-2930) or fee cap (EIP-1559).
    pub max_fee: u128,
    /// Tip (EIP-1559).
    pub priority_fee: u128,
    /// Access list (EIP-2930, EIP-1559).
    pub access_list: AccessList,
    /// Explicit nonce.
    pub nonce: Option<u64>,
}

impl TxRequest {
    /// An EIP-1559 value transfer with 21,000 gas.
    pub fn transfer(to: Address, value: U256) -> Self {
        Self {
            ty: TxType::Eip1559,
            to: Some(to),
            value,
            input: Bytes::new(),
            gas_limit: 21_000,
            max_fee: 10_000_000_000,
            priority_fee: 1_000_000_000,
            access_list: AccessList::default(),
            nonce: None,
        }
    }

    /// An EIP-1559 call with 1M gas.
    pub fn call(to: Address, input: impl Into<Bytes>) -> Self {
        Self {
            input: input.into(),
            gas_limit: 1_000_000,
            ..Self::transfer(to, U256::ZERO)
        }
    }

    /// Set the type.
    pub fn ty(mut self, ty: TxType) -> Self {
        self.ty = ty;
        self
    }

    /// Set the gas limit.
    pub fn gas(mut self, gas_limit: u64) -> Self {
        self.gas_limit = gas_limit;
        self
    }

    /// Set the value.
    pub fn value(mut self, value: U256) -> Self {
        self.value = value;
        self
    }

    /// Set the nonce.
    pub fn nonce(mut self, nonce: u64) -> Self {
        self.nonce = Some(nonce);
        self
    }

    /// Set the access list.
    pub fn access_list(mut self, list: AccessList) -> Self {
        self.access_list = list;
        self
    }

    /// Set the fee cap and tip.
    pub fn fees(mut self, max_fee: u128, priority_fee: u128) -> Self {
        self.max_fee = max_fee;
        self.priority_fee = priority_fee;
        self
    }

    /// Sign for `chain_id` with `nonce`; returns the EIP-2718 bytes.
    pub fn sign(&self, key: &PrivateKeySigner, chain_id: u64, nonce: u64) -> Bytes {
        let to = self.to.map_or(TxKind::Create, TxKind::Call);
        let envelope: TxEnvelope = match self.ty {
            TxType::Legacy => sign(
                key,
                TxLegacy {
                    chain_id: Some(chain_id),
                    nonce,
                    gas_price: self.max_fee,
                    gas_limit: self.gas_limit,
                    to,
                    value: self.value,
                    input: self.input.clone(),
                },
            ),
            TxType::Eip2930 => sign(
                key,
                TxEip2930 {
                    chain_id,
                    nonce,
                    gas_price: self.max_fee,
                    gas_limit: self.gas_limit,
                    to,
                    value: self.value,
                    access_list: self.access_list.clone(),
                    input: self.input.clone(),
                },
            ),
            TxType::Eip1559 => sign(
                key,
                TxEip1559 {
                    chain_id,
                    nonce,
                    gas_limit: self.gas_limit,
                    max_fee_per_gas: self.max_fee,
                    max_priority_fee_per_gas: self.priority_fee,
                    to,
                    value: self.value,
                    access_list: self.access_list.clone(),
                    input: self.input.clone(),
                },
            ),
        };
        envelope.encoded_2718().into()
    }
}

fn sign<T>(key: &PrivateKeySigner, tx: T) -> TxEnvelope
where
    T: SignableTransaction<alloy_primitives::Signature>,
    TxEnvelope: From<alloy_consensus::Signed<T>>,
{
    let hash: B256 = tx.signature_hash();
    let sig = key
        .sign_hash_sync(&hash)
        .expect("signing a 32-byte hash with a local key cannot fail");
    TxEnvelope::from(tx.into_signed(sig))
}

/// Collects blocks and signed transactions into a [`Batch`].
#[derive(Debug, Clone)]
pub struct BatchBuilder {
    chain_id: u64,
    blocks: Vec<Block>,
    nonces: HashMap<Address, u64>,
}

impl BatchBuilder {
    /// A builder for `chain_id`; every signer's nonce starts at 0 unless set.
    pub fn new(chain_id: u64) -> Self {
        Self {
            chain_id,
            blocks: Vec::new(),
            nonces: HashMap::default(),
        }
    }

    /// The next nonce the builder will use for `signer`.
    pub fn next_nonce(&self, signer: &Address) -> u64 {
        self.nonces.get(signer).copied().unwrap_or(0)
    }

    /// Set the next nonce of `signer` (e.g. from the genesis allocation).
    pub fn set_nonce(&mut self, signer: Address, nonce: u64) -> &mut Self {
        self.nonces.insert(signer, nonce);
        self
    }

    /// Start a new block.
    pub fn block(&mut self, context: BlockContext) -> &mut Self {
        self.blocks.push(Block {
            context,
            txs: Vec::new(),
        });
        self
    }

    /// Sign `req` with `key` and append it to the current block. An explicit nonce in `req`
    /// is used as given and does not move the builder's count.
    pub fn tx(&mut self, key: &PrivateKeySigner, req: TxRequest) -> Result<&mut Self, BatchError> {
        let signer = key.address();
        let nonce = match req.nonce {
            Some(n) => n,
            None => {
                let n = self.next_nonce(&signer);
                self.nonces.insert(signer, n + 1);
                n
            }
        };
        let raw = req.sign(key, self.chain_id, nonce);
        self.raw(&raw)
    }

    /// Append already-encoded transaction bytes to the current block.
    pub fn raw(&mut self, raw: &[u8]) -> Result<&mut Self, BatchError> {
        let b = self.blocks.len();
        let block = self
            .blocks
            .last_mut()
            .ok_or_else(|| BatchError::new(BatchErrorKind::NoBlocks))?;
        let i = block.txs.len();
        let tx = BatchTx::decode(raw, self.chain_id)
            .map_err(|e| BatchError::new(e.into()).block(b - 1).tx(i))?;
        block.txs.push(tx);
        Ok(self)
    }

    /// The batch.
    pub fn build(self) -> Result<Batch, BatchError> {
        Batch::new(self.chain_id, self.blocks)
    }
}
