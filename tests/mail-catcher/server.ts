// A mail catcher: an SMTP server that keeps the mails the app sends, and a small HTTP JSON API
// from which tests read them. The app talks real SMTP to it, as it would to a relay.
//   GET    /messages?to=<address>   caught mails for that recipient (all without `to`), newest last
//   DELETE /messages                forgets every caught mail
import type { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Server } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface CaughtMail {
  /** The From header, as mailparser formats it: `"SMTG Notion" <no-reply@smtg.test>`. */
  from: string;
  /** Envelope recipients (RCPT TO), lowercased: who the mail was actually delivered to. */
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  /** Every http(s) URL in the text and in the HTML's href attributes, entities decoded. */
  links: string[];
  receivedAt: string;
}

export interface MailCatcher {
  listen(options?: { smtpPort?: number; httpPort?: number }): Promise<{
    smtpUrl: string;
    httpUrl: string;
    close(): Promise<void>;
  }>;
  messages(): CaughtMail[];
  clear(): void;
}

const HOST = "127.0.0.1";
const MAX_MESSAGES = 500;
const MAX_SIZE = 1024 * 1024;

export function createMailCatcher(): MailCatcher {
  let caught: CaughtMail[] = [];

  const smtp = new SMTPServer({
    secure: false,
    // Without STARTTLS on offer, clients stay in plain text and need no certificate to trust.
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    logger: false,
    size: MAX_SIZE,
    rejectOversized: true,
    disableReverseLookup: true,
    // A closing test run shouldn't wait the default 30 s for idle pooled connections.
    closeTimeout: 1_000,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          // rejectOversized already answers 552; the message just isn't kept.
          if (stream.sizeExceeded) return callback();
          const envelope = session.envelope;
          const html = typeof parsed.html === "string" ? parsed.html : null;
          const text = parsed.text ?? "";
          caught.push({
            from: parsed.from?.text || (envelope.mailFrom ? envelope.mailFrom.address : ""),
            to: envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
            subject: parsed.subject ?? "",
            text,
            html,
            links: extractLinks(text, html),
            receivedAt: new Date().toISOString(),
          });
          if (caught.length > MAX_MESSAGES) caught = caught.slice(-MAX_MESSAGES);
          // Stored before the 250 reply, so a sender that got its answer can read the mail at once.
          callback();
        })
        .catch((error: unknown) =>
          callback(error instanceof Error ? error : new Error(String(error))),
        );
    },
  });

  // SMTPServer re-emits every client connection's socket error; unheard, one would crash the
  // process. A client that hangs up mid-session is its own problem, not the catcher's.
  smtp.on("error", () => {});

  const http = createServer((req, res) => handle(req, res));

  function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", `http://${HOST}`);
    if (url.pathname !== "/messages") return sendJson(res, 404, { error: "Not found" });
    if (req.method === "GET" || req.method === "HEAD") {
      const to = url.searchParams.get("to")?.trim().toLowerCase();
      return sendJson(res, 200, to ? caught.filter((mail) => mail.to.includes(to)) : caught);
    }
    if (req.method === "DELETE") {
      caught = [];
      res.writeHead(204).end();
      return;
    }
    res.setHeader("Allow", "GET, HEAD, DELETE");
    sendJson(res, 405, { error: "Method not allowed" });
  }

  return {
    async listen({ smtpPort = 0, httpPort = 0 } = {}) {
      const smtpAddress = await listening(smtp, smtp.server, () => smtp.listen(smtpPort, HOST));
      const httpAddress = await listening(http, http, () => http.listen(httpPort, HOST));
      return {
        smtpUrl: `smtp://${HOST}:${smtpAddress.port}`,
        httpUrl: `http://${HOST}:${httpAddress.port}`,
        async close() {
          http.closeAllConnections();
          await Promise.all([
            new Promise<void>((resolve) => smtp.close(() => resolve())),
            new Promise<void>((resolve) => http.close(() => resolve())),
          ]);
        },
      };
    },
    messages: () => [...caught],
    clear() {
      caught = [];
    },
  };
}

/** Starts a server; resolves with its address, or rejects when the port can't be had. */
function listening(emitter: EventEmitter, server: Server, start: () => void): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    emitter.once("error", reject);
    server.once("listening", () => {
      emitter.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
    start();
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

function extractLinks(text: string, html: string | null): string[] {
  // Sentence punctuation right after a URL in prose is not part of it.
  const fromText = (text.match(/https?:\/\/[^\s<>"'\])]+/g) ?? []).map((url) =>
    url.replace(/[.,;:!?]+$/, ""),
  );
  const fromHtml = [...(html ?? "").matchAll(/\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)]
    .map((match) => decodeEntities((match[1] ?? match[2] ?? "").trim()))
    .filter((url) => /^https?:\/\//i.test(url));
  return [...new Set([...fromText, ...fromHtml])];
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === "#") {
      const code =
        name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  });
}
