// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { IStepVerifier } from "../../dispute/interfaces/IStepVerifier.sol";

/// @title StepGasProbe
/// @notice Test harness: runs one step through a step verifier and reports the execution gas of
///         the call (cold account access of the verifier and of any sub-verifier included), so
///         the gas table can be measured from an `eth_call`.
contract StepGasProbe {
    /// @notice Calls `_verifier.step(_pre, _traceIndex, _witness)`.
    /// @param _verifier The step verifier.
    /// @param _pre The pre-state.
    /// @param _traceIndex The post-state's leaf.
    /// @param _witness The witness.
    /// @return post_ The post-state.
    /// @return gasUsed_ Gas spent by the call, as seen by the caller.
    function measure(
        IStepVerifier _verifier,
        bytes32 _pre,
        uint256 _traceIndex,
        bytes calldata _witness
    )
        external
        view
        returns (bytes32 post_, uint256 gasUsed_)
    {
        uint256 before = gasleft();
        post_ = _verifier.step(_pre, _traceIndex, _witness);
        gasUsed_ = before - gasleft();
    }
}
