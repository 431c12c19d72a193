import "server-only";

import { z } from "zod";

/**
 * The only reader of process.env. Everything configurable is validated here once, so a missing or
 * malformed variable stops start-up with a message naming it instead of failing later mid-request.
 */
const hexKey = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x followed by 64 hex characters");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address");
const intFrom = (min: number, def: number) => z.coerce.number().int().min(min).default(def);
const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.url().optional());

export const ZEnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: intFrom(0, 3000).pipe(z.number().max(65535)),
    /** Folder for the embedded database, anvil state and generated secrets (git-ignored). */
    DATA_DIR: z.string().min(1).default(".data"),
    /**
     * Folder for keys, outside the database and DATA_DIR (`npm start` defaults it to
     * `<DATA_DIR>-keys`): the key-encryption keys erasure rotates, generated master keys and the
     * portal's database password. Instances sharing a database share this folder.
     */
    KEYS_DIR: z.string().min(1).optional(),
    /**
     * The address people use to reach the portal. Passkeys are bound to its origin and host name
     * (WebAuthn RP id); without it, http://localhost:<PORT> (a browser accepts passkeys on
     * localhost without HTTPS, never on a bare IP address).
     */
    PORTAL_URL: optionalUrl,
    /**
     * The portal's ledger-signing key (the 32-byte Ed25519 seed, hex) when it is not to be a file in
     * KEYS_DIR (where it is made on first start). Never stored in the database.
     */
    LEDGER_SIGNING_KEY: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters (a 32-byte Ed25519 seed)")
        .optional(),
    ),
    /** With no DATABASE_URL an embedded PostgreSQL is started in DATA_DIR. */
    DATABASE_URL: optionalUrl,
    /**
     * The least-privilege role's URL for the portal's queries, when DATABASE_URL is the owner's (the
     * integration tests). `npm start` instead replaces DATABASE_URL with the role's URL after migrating.
     */
    DATABASE_APP_URL: optionalUrl,
    /** With no RPC_URL a local anvil is started on loopback. */
    RPC_URL: optionalUrl,
    /**
     * The JSON-RPC endpoint regulators are told to verify against (their own node is better still).
     * Never derived from RPC_URL, which may carry a provider's API key; `npm start` sets it to its local anvil.
     */
    PUBLIC_RPC_URL: optionalUrl,
    DEPLOYER_PRIVATE_KEY: z.preprocess((v) => (v === "" ? undefined : v), hexKey.optional()),
    ANCHOR_REGISTRY_ADDRESS: z.preprocess((v) => (v === "" ? undefined : v), address.optional()),
    CHAIN_CONFIRMATIONS: intFrom(1, 1),
    ANCHOR_INTERVAL_MS: intFrom(100, 5000),
    ANCHOR_MAX_EVENTS: intFrom(1, 1000),
    ANCHOR_WORKER: z.enum(["on", "off"]).default("on"),
    /** /api/health reports "degraded" when the oldest event not yet anchored with its confirmations is older. */
    ANCHOR_LAG_DEGRADED_MS: intFrom(1000, 10 * 60_000),
    REDIS_URL: optionalUrl,
    /** Multiplies every rate limit (server/security/rate-limit-policy.ts), e.g. for a load benchmark. */
    RATE_LIMIT_FACTOR: intFrom(1, 1),
    /** Reverse proxies in front of the portal whose X-Forwarded-For is trusted for the client address. */
    TRUSTED_PROXY_HOPS: intFrom(0, 0),
    /**
     * Comma-separated addresses of the reverse proxies in front of the portal. X-Forwarded-Host,
     * -Proto and -For are honoured only on connections from them, and removed from anyone else's.
     */
    TRUSTED_PROXIES: z
      .string()
      .optional()
      .refine(
        (v) => !v || v.split(",").every((a) => /^[0-9a-fA-F:.]+$/.test(a.trim())),
        "must be comma-separated IP addresses",
      ),
    /** Largest request body accepted (bytes); larger ones get 413. */
    MAX_BODY_BYTES: intFrom(1024, 1024 * 1024),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    AUTH_TRUST_HOST: z.string().optional(),
    /** Comma-separated `id:base64key` pairs; the first is used for new data, all decrypt. */
    DATA_ENCRYPTION_KEYS: z.string().optional(),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  })
  .transform((env) => ({ ...env, KEYS_DIR: env.KEYS_DIR ?? `${env.DATA_DIR.replace(/\/+$/, "")}-keys` }))
  .superRefine((env, ctx) => {
    if (env.RPC_URL && !env.DEPLOYER_PRIVATE_KEY && !env.ANCHOR_REGISTRY_ADDRESS) {
      ctx.addIssue({
        code: "custom",
        path: ["DEPLOYER_PRIVATE_KEY"],
        message: "is required with RPC_URL (or set ANCHOR_REGISTRY_ADDRESS for a read-only portal)",
      });
    }
  });

export type TEnv = z.infer<typeof ZEnvSchema>;

export class EnvError extends Error {}

/** Parses an environment, naming every bad variable and the rule it breaks. */
export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const result = ZEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: TEnv | undefined;

/** The validated environment of this process (read once, after the launcher has filled defaults). */
export function env(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests and the launcher, which set variables after import. */
export function resetEnvCache(): void {
  cached = undefined;
}
