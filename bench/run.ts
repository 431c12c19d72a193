/**
 * `npm run bench [name…]`: runs every bench module in this folder (or those named), one after
 * another so they don't compete for the two cores. Each prints one JSON line per figure.
 */
import { readdirSync } from "node:fs";
import path from "node:path";

const here = import.meta.dirname;
const wanted = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.startsWith("_"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

let failed = 0;
for (const file of modules) {
  const mod = (await import(path.join(here, file))) as { run?: () => Promise<void> };
  if (typeof mod.run !== "function") continue;
  try {
    await mod.run();
  } catch (err) {
    failed++;
    console.log(JSON.stringify({ bench: file.replace(/\.ts$/, ""), error: (err as Error).message }));
  }
}
process.exit(failed ? 1 : 0);
