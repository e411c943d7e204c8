import { RouterContextProvider } from "react-router";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FORM_MAX_FIELDS, parseForm, readForm } from "./form.server";

const post = (body: BodyInit, headers: Record<string, string> = {}) => ({
  request: new Request("http://localhost/forgot-password", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  }),
  context: new RouterContextProvider(),
});

/** What `promise` threw, for refusals (thrown Responses). */
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (thrown: unknown) => thrown as Response,
  );

describe("readForm", () => {
  it("reads a URL-encoded and a multipart form", async () => {
    expect((await readForm(post("email=a%40example.com"))).get("email")).toBe("a@example.com");
    const multipart = new FormData();
    multipart.append("email", "b@example.com");
    const request = new Request("http://localhost/x", { method: "POST", body: multipart });
    const form = await readForm({ request, context: new RouterContextProvider() });
    expect(form.get("email")).toBe("b@example.com");
  });

  it("answers 413 to a body over the limit, whether it says its length or not", async () => {
    const big = "a".repeat(2_000);
    expect((await refusal(readForm(post(big), { maxBytes: 1_000 })))?.status).toBe(413);
    const unannounced = new Blob([big]).stream();
    const request = new Request("http://localhost/x", {
      method: "POST",
      body: unannounced,
      duplex: "half",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    } as RequestInit);
    const refused = await refusal(
      readForm({ request, context: new RouterContextProvider() }, { maxBytes: 1_000 }),
    );
    expect(refused?.status).toBe(413);
  });

  it(`answers 413 to more than ${FORM_MAX_FIELDS} fields, before parsing them`, async () => {
    const fields = (count: number) => Array.from({ length: count }, () => "a=1").join("&");
    expect((await readForm(post(fields(FORM_MAX_FIELDS)))).getAll("a")).toHaveLength(
      FORM_MAX_FIELDS,
    );
    expect((await refusal(readForm(post(fields(FORM_MAX_FIELDS + 1)))))?.status).toBe(413);
  });

  it("answers 400 to a multipart body with a missing or wrong boundary", async () => {
    for (const type of ["multipart/form-data", "multipart/form-data; boundary=zz"]) {
      const refused = await refusal(readForm(post("garbage", { "Content-Type": type })));
      expect(refused?.status, type).toBe(400);
    }
  });
});

describe("parseForm", () => {
  const schema = z.object({ email: z.string(), tags: z.array(z.string()).max(2).optional() });
  const form = (entries: [string, string][]) => {
    const formData = new FormData();
    for (const [name, value] of entries) formData.append(name, value);
    return formData;
  };

  it("gives conform only the fields the schema knows", () => {
    const unknown = Array.from({ length: 900 }, (): [string, string] => ["a", "1"]);
    const submission = parseForm(form([...unknown, ["email", "x@example.com"]]), schema);
    expect(submission.status).toBe("success");
    expect(submission.payload).toEqual({ email: "x@example.com" });
  });

  it("answers 400 to a field sent more often than the schema allows", () => {
    const twice = () =>
      parseForm(
        form([
          ["email", "a"],
          ["email", "b"],
        ]),
        schema,
      );
    expect(twice).toThrow(expect.objectContaining({ status: 400 }));
    const tags = (count: number) =>
      form([
        ["email", "a"],
        ...Array.from({ length: count }, (): [string, string] => ["tags", "t"]),
      ]);
    expect(parseForm(tags(2), schema).payload).toEqual({ email: "a", tags: ["t", "t"] });
    expect(() => parseForm(tags(3), schema)).toThrow(expect.objectContaining({ status: 400 }));
  });
});
