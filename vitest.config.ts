import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * `server-only` throws unless resolved under React's react-server condition (as Next does for
 * server code); tests run server modules directly, so it resolves to its empty module here.
 */
const alias = {
  "@": path.resolve(import.meta.dirname),
  "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: [
            "server/**/*.test.ts",
            "contracts/**/*.test.ts",
            "scripts/**/*.test.ts",
            "app/**/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
          // next-auth imports `next/server` without an extension, which Node's own ESM resolver
          // refuses (Next has no exports map): let Vite resolve it, as Next's bundler does.
          server: { deps: { inline: ["next-auth"] } },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          // Runs after the unit project, with its own worker count.
          sequence: { groupOrder: 1 },
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**", ".next/**"],
          environment: "node",
          // One embedded PostgreSQL (or a fresh schema on DATABASE_URL) and one anvil per run.
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
