import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import { readAgain } from "./read-again";

/** A server whose answers the test releases one by one, each naming the read it answers. */
function heldServer() {
  const pending: Array<(value: string) => void> = [];
  let reads = 0;
  return {
    read: () =>
      new Promise<string>((resolve) => {
        reads += 1;
        const n = reads;
        pending.push(() => resolve(`read ${n}`));
      }),
    answer: (n: number) => pending[n - 1]?.(""),
    reads: () => reads,
  };
}

describe("readAgain", () => {
  it("starts a new read when the first read, made before the change, is still in flight", async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const server = heldServer();
    const observer = new QueryObserver(client, {
      queryKey: ["list"],
      queryFn: server.read,
      staleTime: Number.POSITIVE_INFINITY,
    });
    const unsubscribe = observer.subscribe(() => {});
    expect(server.reads()).toBe(1); // the page's first read, no data yet

    const again = readAgain(client, ["list"]); // e.g. the live channel joined after that read
    await vi.waitFor(() => expect(server.reads()).toBe(2));
    server.answer(1); // the old read answers late: it must not be taken
    server.answer(2);
    await again;
    expect(client.getQueryData(["list"])).toBe("read 2");
    unsubscribe();
  });

  it("reads again a query that already has data", async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const server = heldServer();
    const observer = new QueryObserver(client, { queryKey: ["list"], queryFn: server.read });
    const unsubscribe = observer.subscribe(() => {});
    server.answer(1);
    await vi.waitFor(() => expect(client.getQueryData(["list"])).toBe("read 1"));
    const again = readAgain(client, ["list"]);
    await vi.waitFor(() => expect(server.reads()).toBe(2));
    server.answer(2);
    await again;
    expect(client.getQueryData(["list"])).toBe("read 2");
    unsubscribe();
  });
});
