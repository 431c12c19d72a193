import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { isoBase64URL, isoCBOR } from "@simplewebauthn/server/helpers";

/**
 * A software WebAuthn authenticator for tests outside a browser: an ES256 (P-256) key, "none"
 * attestation, user presence and verification flags and a signature counter, producing exactly the
 * JSON `@simplewebauthn/browser` hands the server. (The browser specs use Chromium's own virtual
 * authenticator instead.)
 */
export function softAuthenticator(opts: { userVerification?: boolean } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const credentialId = randomBytes(16);
  const id = isoBase64URL.fromBuffer(credentialId);
  let counter = 0;
  const flags = 0x01 | (opts.userVerification === false ? 0 : 0x04);
  const rpIdHash = (rpId: string) => createHash("sha256").update(rpId).digest();
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const cose = isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x as string, "base64url")],
      [-3, Buffer.from(jwk.y as string, "base64url")],
    ]),
  );
  const clientData = (type: string, challenge: string, origin: string) =>
    Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));

  return {
    id,
    get counter() {
      return counter;
    },
    /** Answers `navigator.credentials.create()` for these registration options. */
    register(o: { challenge: string; origin: string; rpId: string }) {
      const credLen = Buffer.alloc(2);
      credLen.writeUInt16BE(credentialId.length);
      const authData = Buffer.concat([
        rpIdHash(o.rpId),
        Buffer.from([flags | 0x40]),
        u32(counter),
        Buffer.alloc(16),
        credLen,
        credentialId,
        Buffer.from(cose),
      ]);
      const attestationObject = isoCBOR.encode(
        new Map<string, string | Map<string, string> | Uint8Array>([
          ["fmt", "none"],
          ["attStmt", new Map<string, string>()],
          ["authData", authData],
        ]),
      );
      return {
        id,
        rawId: id,
        type: "public-key" as const,
        response: {
          clientDataJSON: isoBase64URL.fromBuffer(clientData("webauthn.create", o.challenge, o.origin)),
          attestationObject: isoBase64URL.fromBuffer(attestationObject),
          transports: ["internal" as const],
        },
        clientExtensionResults: {},
      };
    },
    /** Answers `navigator.credentials.get()`: signs authenticatorData ‖ SHA-256(clientDataJSON). */
    authenticate(o: { challenge: string; origin: string; rpId: string }) {
      counter += 1;
      const authData = Buffer.concat([rpIdHash(o.rpId), Buffer.from([flags]), u32(counter)]);
      const cd = clientData("webauthn.get", o.challenge, o.origin);
      const signature = sign(
        "sha256",
        Buffer.concat([authData, createHash("sha256").update(cd).digest()]),
        privateKey,
      );
      return {
        id,
        rawId: id,
        type: "public-key" as const,
        response: {
          clientDataJSON: isoBase64URL.fromBuffer(cd),
          authenticatorData: isoBase64URL.fromBuffer(authData),
          signature: isoBase64URL.fromBuffer(signature),
        },
        clientExtensionResults: {},
      };
    },
    /** The COSE_Key of its public key, base64url (what enrolment records). */
    publicKeyCose: isoBase64URL.fromBuffer(cose),
  };
}
