import { describe, expect, it } from "vitest";
import { emailOnlySchema, newPasswordSchema, signInSchema, signUpSchema } from "./validation";

const errorsOf = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

describe("the email field", () => {
  it("trims and lower-cases, so one address has one spelling", () => {
    expect(emailOnlySchema.parse({ email: "  Ann@Example.ORG " })).toEqual({
      email: "ann@example.org",
    });
  });

  it("rejects what is not an address, with an example", () => {
    expect(errorsOf(emailOnlySchema.safeParse({ email: "ann@" }))).toEqual({
      email: "Enter an email address like name@example.com",
    });
    expect(errorsOf(emailOnlySchema.safeParse({ email: " " }))).toEqual({
      email: "Email is required",
    });
  });
});

describe("a new password", () => {
  const schema = newPasswordSchema("ann@example.org");
  const attempt = (password: string, confirmPassword = password) =>
    errorsOf(schema.safeParse({ password, confirmPassword }));

  it("takes 8 to 128 characters", () => {
    expect(attempt("1234567")).toEqual({ password: "Password must be at least 8 characters" });
    expect(attempt("12345678")).toEqual({});
    expect(attempt("x".repeat(128))).toEqual({});
    expect(attempt("x".repeat(129))).toEqual({
      password: "Password must be at most 128 characters",
    });
  });

  it("must not be the account's email, whatever its case", () => {
    expect(attempt(" ANN@example.org")).toEqual({
      password: "Choose a password that is not your email address",
    });
  });

  it("must be typed the same twice", () => {
    expect(attempt("long enough", "long enougH")).toEqual({
      confirmPassword: "The passwords do not match",
    });
  });
});

describe("signing in", () => {
  it("checks any non-empty password, up to a bound on the work", () => {
    expect(signInSchema.safeParse({ email: "a@b.co", password: "short" }).success).toBe(true);
    expect(errorsOf(signInSchema.safeParse({ email: "a@b.co", password: "" }))).toEqual({
      password: "Password is required",
    });
    expect(signInSchema.safeParse({ email: "a@b.co", password: "x".repeat(1025) }).success).toBe(
      false,
    );
  });
});

describe("control characters", () => {
  it("are refused in a name, which PostgreSQL could not store with NUL", () => {
    const message = "Remove the control characters (such as NUL) from this text";
    expect(
      errorsOf(
        signUpSchema.safeParse({ name: "A\u0007da", email: "a@b.co", password: "p".repeat(8) }),
      ),
    ).toEqual({ name: message });
  });
});
