//! Typed call and send helpers over any [`L1`]: ABI-encode a `sol!` call, decode its answer.

use crate::{ChainError, L1, TxReceipt, TxRequest};
use alloy::primitives::{Address, U256};
use alloy::sol_types::SolCall;

/// Executes the view `call` on `to` and decodes its return value.
pub async fn view<C: SolCall>(l1: &impl L1, to: Address, call: C) -> Result<C::Return, ChainError> {
    let out = l1.call(Address::ZERO, to, call.abi_encode().into()).await?;
    C::abi_decode_returns(&out).map_err(|e| ChainError::Decode {
        what: format!("return of {} at {to}", C::SIGNATURE),
        message: e.to_string(),
    })
}

/// Sends `call` to `to` from `from` with `value` wei attached.
pub async fn send_call<C: SolCall>(
    l1: &impl L1,
    from: Address,
    to: Address,
    call: C,
    value: U256,
) -> Result<TxReceipt, ChainError> {
    l1.send(TxRequest::call(from, to, call.abi_encode()).with_value(value))
        .await
}

/// Deploys `init_code` (creation bytecode followed by the ABI-encoded constructor arguments)
/// and returns the new contract's address.
pub async fn deploy(
    l1: &impl L1,
    from: Address,
    what: &'static str,
    init_code: Vec<u8>,
) -> Result<Address, ChainError> {
    let receipt = l1.send(TxRequest::create(from, init_code)).await?;
    receipt
        .contract_address
        .ok_or_else(|| ChainError::Unexpected {
            what,
            message: format!(
                "creation receipt {} has no contract address",
                receipt.tx_hash
            ),
        })
}
