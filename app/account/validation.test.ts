import { describe, expect, it } from "vitest";
import { deleteAccountSchema, profileSchema } from "./validation";

const errorsOf = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

describe("the profile", () => {
  it("takes an https image URL, or none", () => {
    expect(profileSchema.parse({ name: " Ann ", image: "https://example.org/a.png" })).toEqual({
      name: "Ann",
      image: "https://example.org/a.png",
    });
    expect(profileSchema.parse({ name: "Ann", image: "" })).toEqual({ name: "Ann", image: null });
  });

  it("refuses http, javascript: and other URLs", () => {
    for (const image of ["http://example.org/a.png", "javascript:alert(1)", "data:image/png,x"]) {
      expect(errorsOf(profileSchema.safeParse({ name: "Ann", image }))).toEqual({
        image: "Enter an https:// URL of an image",
      });
    }
  });
});

describe("control characters", () => {
  it("are refused in a name and an image URL, which PostgreSQL could not store with NUL", () => {
    const message = "Remove the control characters (such as NUL) from this text";
    expect(
      errorsOf(profileSchema.safeParse({ name: "A\u0000da", image: "https://e.test/\u0000" })),
    ).toEqual({ name: message, image: message });
  });
});

describe("deleting the account", () => {
  it("needs the account's email typed out (case aside)", () => {
    const schema = deleteAccountSchema("ann@example.org");
    expect(schema.safeParse({ confirmEmail: " Ann@Example.org" }).success).toBe(true);
    expect(errorsOf(schema.safeParse({ confirmEmail: "ann@example.com" }))).toEqual({
      confirmEmail: "Type ann@example.org exactly to confirm",
    });
  });
});
