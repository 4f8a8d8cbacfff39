// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title LibClone
/// @notice Deploys EIP-1167 minimal proxies with CREATE.
library LibClone {
    /// @notice Deploys an EIP-1167 clone of `_implementation`, sending it `_value` wei.
    /// @dev The 55-byte init code is `3d602d80600a3d3981f3` (copy the runtime and return it)
    ///      followed by the 45-byte runtime `363d3d373d3d3d363d73 ‖ impl ‖ 5af43d82803e903d91602b57fd5bf3`.
    ///      Built past the free memory pointer, which is not moved.
    /// @param _implementation The contract every call is delegated to.
    /// @param _value The wei sent with the creation.
    /// @return instance_ The clone's address, zero if CREATE failed.
    function clone(address _implementation, uint256 _value) internal returns (address instance_) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, 0x3d602d80600a3d3981f3363d3d373d3d3d363d73000000000000000000000000)
            mstore(add(ptr, 0x14), shl(0x60, _implementation))
            mstore(add(ptr, 0x28), 0x5af43d82803e903d91602b57fd5bf30000000000000000000000000000000000)
            instance_ := create(_value, ptr, 0x37)
        }
    }
}
