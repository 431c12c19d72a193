import { describe, expect, it } from "vitest";
import {
  declaredBodyTooLarge,
  fromTrustedProxy,
  malformedTarget,
  parseTrustedProxies,
  stripForwardedHeaders,
} from "./request-edge";

describe("forwarded headers are honoured only from TRUSTED_PROXIES", () => {
  const cases = [
    { desc: "no proxies configured", trusted: undefined, peer: "127.0.0.1", want: false },
    { desc: "empty setting", trusted: "", peer: "127.0.0.1", want: false },
    { desc: "the configured proxy", trusted: "10.0.0.2", peer: "10.0.0.2", want: true },
    {
      desc: "IPv4-mapped peer of a configured proxy",
      trusted: "10.0.0.2",
      peer: "::ffff:10.0.0.2",
      want: true,
    },
    { desc: "one of several", trusted: "10.0.0.2, 10.0.0.3", peer: "10.0.0.3", want: true },
    { desc: "a client beside the proxy", trusted: "10.0.0.2", peer: "10.0.0.9", want: false },
    { desc: "IPv6 loopback", trusted: "::1", peer: "::1", want: true },
    { desc: "unknown peer", trusted: "10.0.0.2", peer: undefined, want: false },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      expect(fromTrustedProxy(c.peer, parseTrustedProxies(c.trusted))).toBe(c.want);
    });
  }

  it("strips every forwarded header a client sent directly", () => {
    const headers = {
      host: "portal.test",
      "x-forwarded-host": "evil.test",
      "x-forwarded-proto": "https",
      "x-forwarded-for": "1.2.3.4",
      forwarded: "host=evil.test",
      cookie: "a=b",
    };
    stripForwardedHeaders(headers);
    expect(headers).toEqual({ host: "portal.test", cookie: "a=b" });
  });
});

describe("request targets that are not valid percent-encoding are refused", () => {
  const cases = [
    { desc: "plain path", url: "/verify/7K3QM8XH2P", bad: false },
    { desc: "encoded UTF-8", url: "/verify/%E0%A4%A4", bad: false },
    { desc: "truncated UTF-8 sequence", url: "/verify/%E0%A4%A", bad: true },
    { desc: "lone percent", url: "/organs/%/label", bad: true },
    { desc: "invalid UTF-8 byte", url: "/verify/%FF", bad: true },
    { desc: "good query", url: "/api/ledger/bundle?subjectType=%00&x=a+b", bad: false },
    { desc: "bad query value", url: "/api/ledger/bundle?from=%E0%A4%A", bad: true },
    { desc: "no url", url: undefined, bad: false },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      expect(malformedTarget(c.url) !== null).toBe(c.bad);
    });
  }
  it("names the query parameter", () => {
    expect(malformedTarget("/x?from=%E0")).toContain('"from"');
  });
});

describe("declared body size", () => {
  const cases = [
    { desc: "no body", headers: {}, want: false },
    { desc: "at the limit", headers: { "content-length": "1024" }, want: false },
    { desc: "over the limit", headers: { "content-length": "1025" }, want: true },
    { desc: "50 MB", headers: { "content-length": String(50 * 1024 * 1024) }, want: true },
    { desc: "not a number", headers: { "content-length": "lots" }, want: true },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      expect(declaredBodyTooLarge(c.headers, 1024)).toBe(c.want);
    });
  }
});
