import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// OAuth tokens at rest: AES-256-GCM with a key derived from SESSION_SECRET.
// Format: "v1.<iv>.<ciphertext>.<tag>", each part base64url.

function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "smtg-notion", "oauth-token-encryption", 32));
}

export function encryptToken(plaintext: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(secret), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** Throws when the value was altered or encrypted with another secret. */
export function decryptToken(stored: string, secret: string): string {
  const [version, iv, ciphertext, tag] = stored.split(".");
  if (version !== "v1" || !iv || ciphertext === undefined || !tag) {
    throw new Error("Not an encrypted token");
  }
  const decipher = createDecipheriv("aes-256-gcm", deriveKey(secret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(ciphertext, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}
