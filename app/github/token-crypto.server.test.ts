import { describe, expect, it } from "vitest";
import { decryptToken, encryptToken } from "./token-crypto.server";

const secret = "a-session-secret-of-at-least-thirty-two-chars";

describe("OAuth token encryption", () => {
  it("round-trips a token", () => {
    const stored = encryptToken("gho_abc123", secret);
    expect(decryptToken(stored, secret)).toBe("gho_abc123");
  });

  it("never stores the token in the clear and uses a fresh IV each time", () => {
    const a = encryptToken("gho_abc123", secret);
    const b = encryptToken("gho_abc123", secret);
    expect(a).not.toContain("gho_abc123");
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toBe(b);
  });

  it("rejects a value that was altered", () => {
    const [version, iv, ciphertext, tag] = encryptToken("gho_abc123", secret).split(".");
    const bytes = Buffer.from(ciphertext!, "base64url");
    bytes[0]! ^= 0x01;
    const altered = [version, iv, bytes.toString("base64url"), tag].join(".");
    expect(() => decryptToken(altered, secret)).toThrow();
  });

  it("rejects a value encrypted under another secret", () => {
    const stored = encryptToken("gho_abc123", secret);
    expect(() => decryptToken(stored, `${secret}-rotated`)).toThrow();
  });
});
