import { randomUUID } from "node:crypto";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProvider } from "@/server/chain/client";
import type { Prisma } from "@/server/generated/prisma/client";
import { softAuthenticator } from "@/test/factories/soft-authenticator";
import { deployAnchorRegistry } from "@/test/setup/chain";
import { createIsolatedDatabase } from "@/test/setup/isolated-db";
import { createAnchorWorker } from "./anchor-worker";
import { appendEvent } from "./append-event";
import { challengeForEventHash } from "./passkey-signatures";

/**
 * The anchor worker checks a person's passkey signature before anchoring its record, as the audit
 * does: a `signature.recorded` whose assertion does not verify under the signer's enrolled key is
 * refused and reported (it carries a valid portal signature, as one written by a faulty or
 * subverted portal process would), while an honest one beside it is anchored.
 */
const provider = createProvider(process.env.RPC_URL as string);
const rp = { rpId: "localhost", origin: "http://localhost:3000" };
let iso: Awaited<ReturnType<typeof createIsolatedDatabase>>;

beforeAll(async () => {
  iso = await createIsolatedDatabase("anchorpk");
});
afterAll(async () => {
  await iso.drop();
  provider.destroy();
});

describe("the anchor worker checks passkey signatures before anchoring", () => {
  it("refuses and reports a signature record that does not verify under the enrolled passkey; anchors the honest one", async () => {
    const wallet = Wallet.createRandom().connect(provider) as unknown as Wallet;
    await provider.send("anvil_setBalance", [wallet.address, "0x3635C9ADC5DEA00000"]);
    const registry = await deployAnchorRegistry(wallet);
    const refusedLog: string[] = [];
    const worker = createAnchorWorker({
      databaseUrl: iso.url,
      registry,
      intervalMs: 60_000,
      maxEvents: 1000,
      confirmations: 1,
      db: iso.db,
      log: (line) => refusedLog.push(line),
      autoStart: false,
    });
    try {
      const userId = randomUUID();
      const actor = { userId, role: "CENTER_COORDINATOR", orgId: randomUUID() };
      const append = (subject: { type: string; id: string }, type: string, payload: Prisma.InputJsonValue) =>
        iso.db.$transaction((tx) => appendEvent({ tx, subject, type, payload, actor } as never));

      const authenticator = softAuthenticator();
      const passkeyId = randomUUID();
      await append({ type: "passkey", id: passkeyId }, "passkey.enrolled", {
        passkeyId,
        userId,
        credentialId: authenticator.id,
        publicKey: authenticator.publicKeyCose,
        algorithm: -7,
        ...rp,
      });
      const decide = async () => {
        const offerId = randomUUID();
        const decision = await append({ type: "offer", id: offerId }, "offer.answered", {
          offerId,
          organId: randomUUID(),
          answer: "ACCEPTED",
        });
        return { offerId, decision };
      };
      const record = (d: Awaited<ReturnType<typeof decide>>, challengeHash: string) => {
        const { response } = authenticator.authenticate({
          challenge: challengeForEventHash(challengeHash),
          ...rp,
        });
        return append({ type: "offer", id: d.offerId }, "signature.recorded", {
          signedEventId: d.decision.id,
          signedEventHash: d.decision.hash,
          meaning: "OFFER_ACCEPTED",
          passkeyId,
          credentialId: authenticator.id,
          assertion: response,
        });
      };

      const honest = await decide();
      const good = await record(honest, honest.decision.hash);
      // An assertion the person made over another decision, passed off as signing this one.
      const other = await decide();
      const forged = await decide();
      const bad = await record(forged, other.decision.hash);

      while ((await worker.tick()) > 0);

      const refused = worker.refused();
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ eventId: bad.id, subject: `offer:${forged.offerId}`, sequence: 2 });
      expect(refused[0]?.problem).toMatch(/passkey signature on decision .* does not verify/);
      expect(refusedLog.some((l) => l.includes(`refusing to anchor event ${bad.id}`))).toBe(true);

      const leaf = (eventId: string) => iso.db.anchorLeaf.findUnique({ where: { eventId } });
      expect(await leaf(bad.id)).toBeNull();
      expect(await leaf(good.id)).not.toBeNull();
      expect(await leaf(forged.decision.id)).not.toBeNull();
    } finally {
      await worker.stop();
    }
  }, 120_000);
});
