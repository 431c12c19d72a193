import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toWebRequest } from "./web-bridge";

describe("toWebRequest: a Node request as a Fetch API request, its body read first", () => {
  let server: Server;
  let port: number;
  const outcomes: Array<Promise<string>> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const outcome = toWebRequest(req).then(
        async (r) => `${r.method} ${new URL(r.url).pathname} ${r.headers.get("x-probe")} ${await r.text()}`,
      );
      outcomes.push(outcome.catch((err: Error) => `rejected: ${err.message}`));
      outcome.then(
        (text) => res.end(text),
        () => res.destroy(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("a body sent in several chunks arrives whole, with method, path and headers", async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const req = request(
        { port, method: "POST", path: "/api/trpc/x?batch=1", headers: { "x-probe": "p" } },
        (res) => {
          let text = "";
          res.on("data", (c) => {
            text += c;
          });
          res.on("end", () => resolve(text));
        },
      );
      req.on("error", reject);
      req.write('{"json":');
      setTimeout(() => req.end('{"organId":"é"}}'), 20);
    });
    expect(answer).toBe('POST /api/trpc/x p {"json":{"organId":"é"}}');
  });

  it("a GET has no body", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/trpc/y`, { headers: { "x-probe": "g" } });
    expect(await res.text()).toBe("GET /api/trpc/y g ");
  });

  it("a client that goes away before its body is complete: the request is refused, nothing waits for ever", async () => {
    const before = outcomes.length;
    const req = request({ port, method: "POST", path: "/api/trpc/z", headers: { "content-length": "100" } });
    req.on("error", () => {});
    req.write("only part of it");
    await new Promise((r) => setTimeout(r, 50));
    req.destroy();
    await expect.poll(() => outcomes.length).toBe(before + 1);
    // Node reports the reset as an "aborted" error; a close without it is reported as incomplete.
    expect(await outcomes[before]).toMatch(
      /^rejected: (aborted|the request ended before its body was complete)$/,
    );
  });
});
