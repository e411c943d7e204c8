import { parseWithZod } from "@conform-to/zod/v4";
import type { RouterContextProvider } from "react-router";
import type { $ZodType } from "zod/v4/core";
import { getConfig } from "~/config.server";
import { whileReceiving } from "./deadline.server";

// The one way an action reads and parses its form, so that no body costs more than its size
// allows: read at most FORM_MAX_BYTES, refuse a body with more fields than any form has
// before parsing it, and hand conform only the fields the schema knows, each at most as often
// as the schema allows (conform's parser is quadratic in the repeats of one name).

/** Far more fields than any of our forms has. */
export const FORM_MAX_FIELDS = 1_000;

export interface FormLimits {
  /** Default FORM_MAX_BYTES; a route that takes uploads passes its own. */
  maxBytes?: number;
  maxFields?: number;
}

function tooLarge(message: string): Response {
  // The status makes the response middleware close the connection, so the rest of the body
  // is never read.
  return new Response(message, { status: 413, statusText: "Form Too Large" });
}

function unreadable(message: string): Response {
  return new Response(message, { status: 400, statusText: "Bad Request" });
}

/**
 * The request's form, read within `limits`: a body larger than `maxBytes` is answered 413 as
 * soon as it says so (Content-Length) or has sent one byte too many, a body with more than
 * `maxFields` fields 413 before it is parsed, and one that is not a well-formed form 400.
 */
export async function readForm(
  { request, context }: { request: Request; context: Readonly<RouterContextProvider> },
  limits: FormLimits = {},
): Promise<FormData> {
  const maxBytes = limits.maxBytes ?? getConfig().limits.formMaxBytes;
  const maxFields = limits.maxFields ?? FORM_MAX_FIELDS;
  const tooBig = `This form is larger than the ${formatBytes(maxBytes)} the server accepts.`;
  if (Number(request.headers.get("Content-Length")) > maxBytes) throw tooLarge(tooBig);

  const body = await whileReceiving(context, () => readAtMost(request, maxBytes));
  if (!body) throw tooLarge(tooBig);
  const type = request.headers.get("Content-Type") ?? "";
  if (countFields(body, type, maxFields) > maxFields) {
    throw tooLarge(`This form has more than the ${maxFields} fields the server accepts.`);
  }
  try {
    const bytes = body as Uint8Array<ArrayBuffer>;
    return await new Response(bytes, { headers: { "Content-Type": type } }).formData();
  } catch {
    throw unreadable("This form could not be read.");
  }
}

/** The body, or null as soon as it is longer than `maxBytes` (the rest stays unread). */
async function readAtMost(request: Request, maxBytes: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > maxBytes) {
      // Not cancelled: that would drop the connection before the 413 could be sent.
      reader.releaseLock();
      return null;
    }
    chunks.push(value);
  }
}

/**
 * An upper bound of the number of fields, counted without parsing: the separators of a
 * URL-encoded body, the boundaries of a multipart one. Stops counting past `max`.
 */
function countFields(body: Buffer, type: string, max: number): number {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
  const separator = type.toLowerCase().startsWith("multipart/")
    ? boundary && `--${boundary[1] ?? boundary[2]}`
    : "&";
  if (!separator) return 0;
  let count = separator === "&" ? 1 : 0;
  for (
    let at = body.indexOf(separator);
    at !== -1 && count <= max;
    at = body.indexOf(separator, at + 1)
  ) {
    count++;
  }
  // A multipart body has one boundary more than it has parts.
  return separator === "&" ? count : count - 1;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/**
 * conform's parseWithZod over the fields `schema` knows, each at most as often as the schema
 * allows (once, or an array's maximum): a name sent more often is answered 400, a name the
 * schema does not know is left out (routes read such fields, like `intent`, from the form).
 */
export function parseForm<Schema extends $ZodType>(formData: FormData, schema: Schema) {
  const allowed = fieldsOf(schema);
  const seen = new Map<string, number>();
  const known = new FormData();
  for (const [name, value] of formData) {
    const max = allowed.get(name);
    if (max === undefined) continue;
    const count = (seen.get(name) ?? 0) + 1;
    if (count > max) throw unreadable(`This form sent the field “${name}” more than once.`);
    seen.set(name, count);
    known.append(name, value);
  }
  return parseWithZod(known, { schema });
}

/** How often each field of an object schema may be sent. */
function fieldsOf(schema: $ZodType): Map<string, number> {
  const def = schema._zod.def;
  if (def.type === "pipe") return fieldsOf((def as unknown as { in: $ZodType }).in);
  if (def.type !== "object") throw new Error("parseForm needs an object schema");
  const shape = (def as unknown as { shape: Record<string, $ZodType> }).shape;
  return new Map(Object.entries(shape).map(([name, field]) => [name, timesAllowed(name, field)]));
}

function timesAllowed(name: string, field: $ZodType): number {
  const def = field._zod.def as unknown as {
    type: string;
    innerType?: $ZodType;
    in?: $ZodType;
    checks?: Array<{ _zod: { def: { check: string; maximum?: number } } }>;
  };
  const inner = def.innerType ?? def.in;
  if (inner) return timesAllowed(name, inner);
  if (def.type !== "array") return 1;
  const maximum = def.checks?.find((check) => check._zod.def.check === "max_length")?._zod.def
    .maximum;
  if (maximum === undefined) throw new Error(`Give the array field ${name} a .max()`);
  return maximum;
}
