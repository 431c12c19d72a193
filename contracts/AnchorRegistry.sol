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
 *
 * Cost: one new storage slot per batch (its root, keyed by batch index). The batch's size and the
 * root it follows travel in the {BatchAnchored} event; when it was anchored is that event's block.
 * Version 1 also stored size, time and block number in a second slot per batch (79,372 gas per
 * batch); this layout costs about 56,000. The ABI a reader relies on is unchanged: `anchor`,
 * `verify`, `batchCount`, `latestRoot`, the event, and `batchAt(i)[0]` is the root.
 */
contract AnchorRegistry is AccessControl {
    /// @notice Role allowed to anchor batches.
    bytes32 public constant ANCHORER_ROLE = keccak256("ANCHORER_ROLE");

    mapping(uint256 batchIndex => bytes32 root) private _roots;
    uint256 private _batchCount;

    /// @notice The previous root given does not match the last anchored root.
    error AnchorRegistryWrongPreviousRoot(bytes32 expected, bytes32 given);
    /// @notice A batch must commit to at least one event.
    error AnchorRegistryEmptyBatch();
    /// @notice The zero root is reserved to mean "no previous batch".
    error AnchorRegistryZeroRoot();
    /// @notice No batch exists at this index.
    error AnchorRegistryUnknownBatch(uint256 batchIndex);

    /**
     * @notice Emitted after a batch has been appended; the log's block is when it was anchored.
     * @param batchIndex Index of the new batch.
     * @param root Merkle root of the batch.
     * @param count Number of leaves in the batch.
     * @param previousRoot Root of the batch before it (zero for the first).
     */
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
        batchIndex = _batchCount;
        bytes32 expected = batchIndex == 0 ? bytes32(0) : _roots[batchIndex - 1];
        if (previousRoot != expected) revert AnchorRegistryWrongPreviousRoot(expected, previousRoot);
        _roots[batchIndex] = root;
        _batchCount = batchIndex + 1;
        emit BatchAnchored(batchIndex, root, count, previousRoot);
    }

    /**
     * @notice Whether `leaf` is included in batch `batchIndex` according to `proof`.
     * @param batchIndex Index of the batch.
     * @param leaf StandardMerkleTree leaf hash of the event.
     * @param proof Sibling hashes from the leaf to the root.
     */
    function verify(uint256 batchIndex, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        if (batchIndex >= _batchCount) revert AnchorRegistryUnknownBatch(batchIndex);
        return MerkleProof.verifyCalldata(proof, _roots[batchIndex], leaf);
    }

    /// @notice Number of anchored batches.
    function batchCount() external view returns (uint256) {
        return _batchCount;
    }

    /**
     * @notice A batch's root and the root it follows (zero for the first batch). Its size is in
     * its {BatchAnchored} event, and when it was anchored is that event's block.
     * @param batchIndex Index of the batch.
     */
    function batchAt(uint256 batchIndex) external view returns (bytes32 root, bytes32 previousRoot) {
        if (batchIndex >= _batchCount) revert AnchorRegistryUnknownBatch(batchIndex);
        return (_roots[batchIndex], batchIndex == 0 ? bytes32(0) : _roots[batchIndex - 1]);
    }

    /// @notice Root of the last batch, or zero before the first.
    function latestRoot() public view returns (bytes32) {
        uint256 n = _batchCount;
        return n == 0 ? bytes32(0) : _roots[n - 1];
    }
}
