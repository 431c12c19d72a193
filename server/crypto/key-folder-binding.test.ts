import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BINDING_FILE, bindKeyFolder, KeyFolderBindingError } from "./key-folder-binding";

const ledgerA = `0x${"a".repeat(64)}`;
const ledgerB = `0x${"b".repeat(64)}`;
const dirs: string[] = [];
const folder = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "keys-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("a key folder serves one database", () => {
  it("binds on first use, then accepts the same ledger again (another instance, a restart)", () => {
    const dir = folder();
    expect(bindKeyFolder({ dir, genesisHash: ledgerA })).toBe("bound");
    expect(JSON.parse(readFileSync(path.join(dir, BINDING_FILE), "utf8"))).toMatchObject({
      genesisHash: ledgerA,
    });
    expect(bindKeyFolder({ dir, genesisHash: ledgerA })).toBe("checked");
  });

  it("refuses another database's ledger, saying whose keys are at stake and what to do", () => {
    const dir = folder();
    bindKeyFolder({ dir, genesisHash: ledgerA });
    expect(() => bindKeyFolder({ dir, genesisHash: ledgerB })).toThrow(KeyFolderBindingError);
    expect(() => bindKeyFolder({ dir, genesisHash: ledgerB })).toThrow(
      /belongs to another database .* give each database its own KEYS_DIR/,
    );
    // Refused: still bound to the first.
    expect(bindKeyFolder({ dir, genesisHash: ledgerA })).toBe("checked");
  });

  it("passes to a new database when the old one is known to be gone", () => {
    const dir = folder();
    bindKeyFolder({ dir, genesisHash: ledgerA });
    expect(bindKeyFolder({ dir, genesisHash: ledgerB, rebind: true })).toBe("rebound");
    expect(bindKeyFolder({ dir, genesisHash: ledgerB })).toBe("checked");
  });

  it("an unreadable binding is a clear stop, never a silent rebind", () => {
    const dir = folder();
    writeFileSync(path.join(dir, BINDING_FILE), "{not json");
    expect(() => bindKeyFolder({ dir, genesisHash: ledgerA, rebind: true })).toThrow(/not a readable/);
  });
});
