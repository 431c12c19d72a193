/**
 * Loaded with `--import ./scripts/server-only.mjs` by every tsx entry point (npm start, seeds,
 * scripts, bench). `import "server-only"` marks modules that must never reach a browser bundle;
 * Next resolves it under React's `react-server` condition to an empty module. Plain Node would load
 * the package's default, which throws, so this hook resolves that one specifier under the same
 * condition. The rest of the process keeps Node's own conditions: `scripts/start.ts` runs Next
 * in-process, and React must not load as react-server there.
 */
import { register } from "node:module";

register("./server-only-hooks.mjs", import.meta.url);
