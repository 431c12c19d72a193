// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title BaselineRegistry
 * @notice For benchmarks only: stores every event hash individually, as published blockchain
 * organ-donation prototypes do, so the gas per event can be compared with batch anchoring.
 */
contract BaselineRegistry {
    mapping(bytes32 eventHash => uint256 timestamp) private _recorded;

    /// @notice The event hash was recorded before.
    error BaselineRegistryDuplicate(bytes32 eventHash);

    /// @notice Emitted after an event hash has been stored.
    event EventRecorded(bytes32 indexed eventHash);

    /**
     * @notice Stores one event hash with the block time.
     * @param eventHash Hash of the event.
     */
    function record(bytes32 eventHash) external {
        if (_recorded[eventHash] != 0) revert BaselineRegistryDuplicate(eventHash);
        _recorded[eventHash] = block.timestamp;
        emit EventRecorded(eventHash);
    }

    /**
     * @notice When `eventHash` was recorded, or zero.
     * @param eventHash Hash of the event.
     */
    function recordedAt(bytes32 eventHash) external view returns (uint256) {
        return _recorded[eventHash];
    }
}
