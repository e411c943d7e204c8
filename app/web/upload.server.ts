import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import type { RouterContextProvider } from "react-router";
import { whileReceiving } from "./deadline.server";

export interface Upload {
  /** The form's fields, and its file unless it was too large: what conform parses. */
  formData: FormData;
  /** The file that went over the limit (its bytes were not kept), or null. */
  tooLarge: { field: string; name: string } | null;
}

/**
 * Reads a form with one file (multipart/form-data) as it streams in, with busboy: at most
 * `maxFileBytes` of the file are kept, and small limits hold for the rest. Past the limit busboy
 * reads on and drops the bytes, so the browser, still sending, gets our answer (a 413 with the
 * form) instead of a broken connection; memory stays bounded by the limit either way.
 *
 * The one place that reads an upload's body: routes that take files call it instead of
 * readForm (web/form.server.ts), whose FORM_MAX_BYTES is for forms without files. Like
 * readForm, the request's deadline is stopped while the client sends the body.
 */
export async function readUpload(
  { request, context }: { request: Request; context: Readonly<RouterContextProvider> },
  { maxFileBytes }: { maxFileBytes: number },
): Promise<Upload> {
  const formData = new FormData();
  let tooLarge: Upload["tooLarge"] = null;
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": request.headers.get("Content-Type") ?? "" },
      limits: { files: 1, fileSize: maxFileBytes, fields: 20, fieldSize: 64 * 1024, parts: 25 },
    });
  } catch {
    throw new Response("Send this form as multipart/form-data.", { status: 400 });
  }

  const files: Array<Promise<void>> = [];
  parser.on("field", (name, value) => formData.append(name, value));
  parser.on("file", (field, stream, { filename, mimeType }) => {
    files.push(new Promise((resolve) => stream.once("close", resolve)));
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => {
      if (!tooLarge) chunks.push(chunk);
    });
    stream.on("limit", () => {
      tooLarge = { field, name: filename ?? "The file" };
      chunks.length = 0;
    });
    stream.on("end", () => {
      // A file input left empty sends a part without a name or bytes: no file.
      if (tooLarge || (!filename && chunks.length === 0)) return;
      const bytes = new Uint8Array(Buffer.concat(chunks));
      formData.append(field, new File([bytes], filename ?? "", { type: mimeType }));
    });
  });

  if (request.body) {
    try {
      const body = request.body as NodeReadableStream<Uint8Array>;
      await whileReceiving(context, async () => {
        await pipeline(Readable.fromWeb(body), parser);
        await Promise.all(files);
      });
    } catch {
      throw new Response("The form could not be read; please send it again.", { status: 400 });
    }
  }
  return { formData, tooLarge };
}
