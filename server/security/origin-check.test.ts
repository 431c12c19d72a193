import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";
import { checkSameOrigin } from "./origin-check";

type TCase = {
  desc: string;
  method?: string;
  headers: Record<string, string>;
  allowed?: string[];
  want: boolean;
};

const cases: TCase[] = [
  { desc: "same origin", headers: { host: "portal.test", origin: "https://portal.test" }, want: true },
  {
    desc: "same origin with port",
    headers: { host: "localhost:3130", origin: "http://localhost:3130" },
    want: true,
  },
  { desc: "another site", headers: { host: "portal.test", origin: "https://evil.test" }, want: false },
  {
    desc: "same host, other port",
    headers: { host: "localhost:3130", origin: "http://localhost:4000" },
    want: false,
  },
  { desc: "a subdomain", headers: { host: "portal.test", origin: "https://x.portal.test" }, want: false },
  { desc: "opaque origin (sandboxed frame)", headers: { host: "portal.test", origin: "null" }, want: false },
  { desc: "malformed origin", headers: { host: "portal.test", origin: "::::" }, want: false },
  {
    desc: "Sec-Fetch-Site cross-site even without Origin",
    headers: { host: "portal.test", "sec-fetch-site": "cross-site" },
    want: false,
  },
  {
    desc: "Sec-Fetch-Site same-site (sibling subdomain)",
    headers: { host: "portal.test", "sec-fetch-site": "same-site", origin: "https://portal.test" },
    want: false,
  },
  {
    desc: "Sec-Fetch-Site same-origin",
    headers: { host: "portal.test", "sec-fetch-site": "same-origin", origin: "https://portal.test" },
    want: true,
  },
  { desc: "no Origin: not a browser, so no victim's cookies", headers: { host: "portal.test" }, want: true },
  {
    desc: "behind a proxy: X-Forwarded-Host",
    headers: { host: "10.0.0.5:3000", "x-forwarded-host": "portal.test", origin: "https://portal.test" },
    want: true,
  },
  {
    desc: "host compared case-insensitively",
    headers: { host: "Portal.TEST", origin: "https://portal.test" },
    want: true,
  },
  {
    desc: "an allowed extra origin",
    headers: { host: "portal.test", origin: "https://admin.portal.test" },
    allowed: ["https://admin.portal.test"],
    want: true,
  },
  {
    desc: "GET is never refused",
    method: "GET",
    headers: { host: "a", origin: "https://evil.test" },
    want: true,
  },
  {
    desc: "DELETE is checked too",
    method: "DELETE",
    headers: { host: "a", origin: "https://evil.test" },
    want: false,
  },
];

describe("checkSameOrigin (CSRF)", () => {
  for (const c of cases) {
    it(c.desc, () => {
      const result = checkSameOrigin({
        method: c.method ?? "POST",
        headers: new Headers(c.headers),
        allowedOrigins: c.allowed,
      });
      expect(result.ok).toBe(c.want);
      if (!result.ok) expect(result.reason).toMatch(/did not come from the portal's own pages/);
    });
  }
});

describe("clientAddress", () => {
  it("is the socket's address unless proxies are trusted", () => {
    expect(clientAddress({ remoteAddress: "10.0.0.1", forwardedFor: "1.2.3.4", trustedProxyHops: 0 })).toBe(
      "10.0.0.1",
    );
  });
  it("takes the entry the trusted proxy wrote, not one the client forged further left", () => {
    expect(
      clientAddress({ remoteAddress: "10.0.0.1", forwardedFor: "6.6.6.6, 1.2.3.4", trustedProxyHops: 1 }),
    ).toBe("1.2.3.4");
    expect(
      clientAddress({
        remoteAddress: "10.0.0.1",
        forwardedFor: ["6.6.6.6, 1.2.3.4", "10.0.0.9"],
        trustedProxyHops: 2,
      }),
    ).toBe("1.2.3.4");
  });
  it("falls back to the socket's address without X-Forwarded-For", () => {
    expect(clientAddress({ remoteAddress: "10.0.0.1", forwardedFor: undefined, trustedProxyHops: 1 })).toBe(
      "10.0.0.1",
    );
  });
});
