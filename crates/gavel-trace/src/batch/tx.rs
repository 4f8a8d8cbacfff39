//! One signed transaction of a batch: EIP-2718 bytes, decoded and recovered (spec §13.2).
//!
//! Only the three types the verifier will support are accepted: legacy (with an EIP-155 chain
//! id), EIP-2930 and EIP-1559. Every other type byte is refused by name before any decoding, so
//! the error says "EIP-4844 blob transaction" rather than an RLP complaint.

use alloy_consensus::transaction::SignerRecoverable;
use alloy_consensus::{Transaction, TxEnvelope};
use alloy_eips::eip2718::{Decodable2718, Encodable2718, Typed2718};
use alloy_primitives::{Address, B256, Bytes, TxKind, U256, keccak256};
use revm::context::TxEnv;
use thiserror::Error;

/// `secp256k1n / 2`: signatures with a larger `s` are malleable copies (EIP-2).
const SECP256K1N_HALF: U256 = U256::from_be_bytes([
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
]);

/// Why a transaction's bytes were rejected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TxError {
    /// No bytes.
    #[error("empty transaction")]
    Empty,
    /// A first byte in 0x80..=0xbf: neither a type byte nor an RLP list.
    #[error("first byte {0:#04x} is neither an EIP-2718 type nor an RLP list")]
    NotEip2718(u8),
    /// A known transaction type gavel does not support.
    #[error("{name} (type {ty:#04x}) is not supported")]
    UnsupportedType {
        /// The type byte.
        ty: u8,
        /// Its name.
        name: &'static str,
    },
    /// A type byte nobody defined.
    #[error("unknown transaction type {0:#04x}")]
    UnknownType(u8),
    /// The RLP body does not decode (or has trailing bytes).
    #[error("malformed RLP: {0}")]
    Rlp(String),
    /// Decodes, but re-encodes to other bytes: one transaction must have one encoding.
    #[error("non-canonical encoding")]
    NonCanonical,
    /// `s` above `secp256k1n / 2` (EIP-2).
    #[error("signature s is above secp256k1n/2 (EIP-2 malleability)")]
    HighS,
    /// The signature recovers no key.
    #[error("invalid signature: {0}")]
    BadSignature(String),
    /// A legacy transaction without an EIP-155 chain id: replayable on every chain.
    #[error("legacy transaction without an EIP-155 chain id")]
    MissingChainId,
    /// Signed for another chain.
    #[error("chain id {got} does not match the chain's {expected}")]
    WrongChainId {
        /// The chain's id.
        expected: u64,
        /// The transaction's.
        got: u64,
    },
}

/// The name of an EIP-2718 type byte (`None` if nobody defined it).
pub fn type_name(ty: u8) -> Option<&'static str> {
    Some(match ty {
        0x00 => "legacy transaction",
        0x01 => "EIP-2930 access-list transaction",
        0x02 => "EIP-1559 dynamic-fee transaction",
        0x03 => "EIP-4844 blob transaction",
        0x04 => "EIP-7702 set-code transaction",
        0x7e => "deposit transaction (OP stack)",
        _ => return None,
    })
}

/// A decoded, signature-checked transaction of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchTx {
    raw: Bytes,
    envelope: TxEnvelope,
    signer: Address,
}

impl BatchTx {
    /// Decode EIP-2718 bytes, recover the signer and check the chain id.
    pub fn decode(raw: &[u8], chain_id: u64) -> Result<Self, TxError> {
        let first = *raw.first().ok_or(TxError::Empty)?;
        match first {
            0xc0..=0xff | 0x01 | 0x02 => {}
            0x80..=0xbf => return Err(TxError::NotEip2718(first)),
            ty => {
                return Err(match type_name(ty) {
                    // A typed 0x00 prefix is not how legacy transactions are encoded.
                    Some(name) if ty != 0 => TxError::UnsupportedType { ty, name },
                    _ => TxError::UnknownType(ty),
                });
            }
        }
        let envelope =
            TxEnvelope::decode_2718_exact(raw).map_err(|e| TxError::Rlp(e.to_string()))?;
        if envelope.encoded_2718() != raw {
            return Err(TxError::NonCanonical);
        }
        if envelope.signature().s() > SECP256K1N_HALF {
            return Err(TxError::HighS);
        }
        let signer = envelope
            .recover_signer()
            .map_err(|e| TxError::BadSignature(e.to_string()))?;
        match envelope.chain_id() {
            None => return Err(TxError::MissingChainId),
            Some(got) if got != chain_id => {
                return Err(TxError::WrongChainId {
                    expected: chain_id,
                    got,
                });
            }
            Some(_) => {}
        }
        Ok(Self {
            raw: Bytes::copy_from_slice(raw),
            envelope,
            signer,
        })
    }

    /// The EIP-2718 bytes.
    pub fn raw(&self) -> &Bytes {
        &self.raw
    }

    /// The transaction hash, `keccak256(raw)`: the leaf of the batch's transaction tree.
    pub fn hash(&self) -> B256 {
        keccak256(&self.raw)
    }

    /// The recovered sender.
    pub fn signer(&self) -> Address {
        self.signer
    }

    /// The decoded envelope.
    pub fn envelope(&self) -> &TxEnvelope {
        &self.envelope
    }

    /// The EIP-2718 type byte (0 for legacy).
    pub fn ty(&self) -> u8 {
        self.envelope.ty()
    }

    /// Gas limit.
    pub fn gas_limit(&self) -> u64 {
        self.envelope.gas_limit()
    }

    /// The callee, `None` for a contract creation.
    pub fn to(&self) -> Option<Address> {
        self.envelope.to()
    }

    /// Number of access-list items (each address and each storage key counts one): the
    /// transaction-start warm-up steps (spec §15.2).
    pub fn access_list_items(&self) -> u64 {
        self.envelope.access_list().map_or(0, |l| {
            l.iter()
                .map(|i| 1 + i.storage_keys.len() as u64)
                .sum::<u64>()
        })
    }

    /// revm's transaction environment.
    pub fn tx_env(&self) -> TxEnv {
        let e = &self.envelope;
        let (gas_price, priority) = match e.max_priority_fee_per_gas() {
            // EIP-1559: revm takes the fee cap as `gas_price` and the tip separately.
            Some(tip) => (e.max_fee_per_gas(), Some(tip)),
            None => (e.gas_price().unwrap_or_default(), None),
        };
        TxEnv {
            tx_type: e.ty(),
            caller: self.signer,
            gas_limit: e.gas_limit(),
            gas_price,
            kind: e.kind(),
            value: e.value(),
            data: e.input().clone(),
            nonce: e.nonce(),
            chain_id: e.chain_id(),
            access_list: e.access_list().cloned().unwrap_or_default(),
            gas_priority_fee: priority,
            blob_hashes: Vec::new(),
            max_fee_per_blob_gas: 0,
            authorization_list: Vec::new(),
        }
    }

    /// Whether this transaction creates a contract.
    pub fn is_create(&self) -> bool {
        matches!(self.envelope.kind(), TxKind::Create)
    }
}
