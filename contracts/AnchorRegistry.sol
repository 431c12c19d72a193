// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/**
 * @title AnchorRegistry
 * @notice Append-only chain of Merkle roots. Each batch commits to many ledger events of the
 * transplant provenance portal; only roots are stored, never personal data. Batches form an
 * unbroken chain: every anchor names the root it follows, so none can be dropped or reordered.
 * @dev Leaves follow OpenZeppelin's StandardMerkleTree convention
 * (leaf = keccak256(bytes.concat(keccak256(abi.encode(eventHash))))), so anyone can verify an
 * inclusion with public tools or with {verify} on this contract.
 */
contract AnchorRegistry is AccessControl {
    /// @notice Role allowed to anchor batches.
    bytes32 public constant ANCHORER_ROLE = keccak256("ANCHORER_ROLE");

    struct Batch {
        bytes32 root;
        uint64 count;
        uint64 timestamp;
        uint64 blockNumber;
    }

    Batch[] private _batches;

    /// @notice The previous root given does not match the last anchored root.
    error AnchorRegistryWrongPreviousRoot(bytes32 expected, bytes32 given);
    /// @notice A batch must commit to at least one event.
    error AnchorRegistryEmptyBatch();
    /// @notice The zero root is reserved to mean "no previous batch".
    error AnchorRegistryZeroRoot();
    /// @notice No batch exists at this index.
    error AnchorRegistryUnknownBatch(uint256 batchIndex);

    /// @notice Emitted after a batch has been appended.
    event BatchAnchored(uint256 indexed batchIndex, bytes32 indexed root, uint64 count, bytes32 previousRoot);

    /// @param admin Account that administers roles and may anchor.
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ANCHORER_ROLE, admin);
    }

    /**
     * @notice Appends a batch of `count` events committed to by `root`.
     * @param root Merkle root of the batch (non-zero).
     * @param count Number of leaves in the batch (non-zero).
     * @param previousRoot Root of the last batch, or zero for the first batch.
     * @return batchIndex Index of the new batch.
     */
    function anchor(bytes32 root, uint64 count, bytes32 previousRoot)
        external
        onlyRole(ANCHORER_ROLE)
        returns (uint256 batchIndex)
    {
        if (root == bytes32(0)) revert AnchorRegistryZeroRoot();
        if (count == 0) revert AnchorRegistryEmptyBatch();
        bytes32 expected = latestRoot();
        if (previousRoot != expected) revert AnchorRegistryWrongPreviousRoot(expected, previousRoot);
        batchIndex = _batches.length;
        _batches.push(Batch(root, count, uint64(block.timestamp), uint64(block.number)));
        emit BatchAnchored(batchIndex, root, count, previousRoot);
    }

    /**
     * @notice Whether `leaf` is included in batch `batchIndex` according to `proof`.
     * @param batchIndex Index of the batch.
     * @param leaf StandardMerkleTree leaf hash of the event.
     * @param proof Sibling hashes from the leaf to the root.
     */
    function verify(uint256 batchIndex, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        if (batchIndex >= _batches.length) revert AnchorRegistryUnknownBatch(batchIndex);
        return MerkleProof.verifyCalldata(proof, _batches[batchIndex].root, leaf);
    }

    /// @notice Number of anchored batches.
    function batchCount() external view returns (uint256) {
        return _batches.length;
    }

    /**
     * @notice A batch's root, size, and when it was anchored.
     * @param batchIndex Index of the batch.
     */
    function batchAt(uint256 batchIndex)
        external
        view
        returns (bytes32 root, uint64 count, uint64 timestamp, uint64 blockNumber)
    {
        if (batchIndex >= _batches.length) revert AnchorRegistryUnknownBatch(batchIndex);
        Batch storage b = _batches[batchIndex];
        return (b.root, b.count, b.timestamp, b.blockNumber);
    }

    /// @notice Root of the last batch, or zero before the first.
    function latestRoot() public view returns (bytes32) {
        uint256 n = _batches.length;
        return n == 0 ? bytes32(0) : _batches[n - 1].root;
    }
}
