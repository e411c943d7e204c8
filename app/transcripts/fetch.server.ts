import dns, { type LookupAddress } from "node:dns";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import net from "node:net";
import { addressRefusal } from "./address-policy";
import { formatSize, TranscriptError } from "./segments";

// Fetches a transcript from a URL a person (or a call provider's event) gave. The addresses
// are checked as DNS resolves them, at the moment of connecting, so a name that points at a
// private address, or that changes its answer between a check and the connection, gets
// nowhere. node:http rather than fetch(): fetch gives no hook into its DNS lookups.

export const FETCH_TIMEOUT_MS = 15_000;
export const MAX_REDIRECTS = 3;

export interface FetchPolicy {
  maxBytes: number;
  /** Loopback, private and link-local addresses too (not the cloud metadata services). */
  allowPrivate: boolean;
  /** http:// as well as https:// (only for a developer's own app, on a loopback APP_URL). */
  allowHttp: boolean;
  timeoutMs?: number;
}

class RefusedAddress extends Error {
  constructor(
    readonly address: string,
    readonly refusal: string,
  ) {
    super(`${address} is ${refusal}`);
  }
}

/** The body of `url`, or a TranscriptError that says in words why not. */
export async function fetchTranscript(url: string, policy: FetchPolicy): Promise<Uint8Array> {
  const timeoutMs = policy.timeoutMs ?? FETCH_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  let target = new URL(url);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await get(target, policy, signal);
      const location = response.headers.location;
      if (response.statusCode! >= 300 && response.statusCode! < 400 && location) {
        response.resume();
        if (redirects === MAX_REDIRECTS) {
          throw new TranscriptError(`The URL redirected more than ${MAX_REDIRECTS} times.`);
        }
        target = new URL(location, target);
        continue;
      }
      if (response.statusCode !== 200) {
        response.resume();
        const reason = response.statusMessage ? ` (${response.statusMessage})` : "";
        throw new TranscriptError(
          `The server answered ${response.statusCode}${reason} instead of the transcript.`,
        );
      }
      return await readBody(response, policy.maxBytes);
    }
  } catch (error) {
    if (error instanceof TranscriptError) throw error;
    if (signal.aborted) {
      throw new TranscriptError(
        `The server did not send the transcript within ${timeoutMs / 1000} seconds.`,
      );
    }
    throw unreachable(error, target);
  }
}

function get(target: URL, policy: FetchPolicy, signal: AbortSignal): Promise<IncomingMessage> {
  if (target.protocol !== "https:" && !(policy.allowHttp && target.protocol === "http:")) {
    throw new TranscriptError(
      policy.allowHttp ? "Use an http:// or https:// URL." : "Use an https:// URL.",
    );
  }
  // Node looks up no address for a host that is one, so such a host is checked here.
  const host = target.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host)) {
    const refusal = addressRefusal(host, policy);
    if (refusal) throw new RefusedAddress(host, refusal);
  }
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(target, {
      agent: false,
      lookup: checkedLookup(policy),
      signal,
      headers: {
        "User-Agent": "SMTG Notion (transcript import)",
        Accept: "text/vtt, application/x-subrip, application/jsonl, text/plain;q=0.9, */*;q=0.5",
        "Accept-Encoding": "identity",
      },
    });
    request.once("response", resolve);
    request.once("error", reject);
  });
}

/** dns.lookup that fails for an address the policy refuses, before anything connects. */
function checkedLookup(policy: FetchPolicy): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      for (const { address } of addresses) {
        const refusal = addressRefusal(address, policy);
        if (refusal) return callback(new RefusedAddress(address, refusal), "", 0);
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      callback(null, first!.address, first!.family);
    });
  };
}

async function readBody(response: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new TranscriptError(
      `The transcript at this URL is larger than ${formatSize(maxBytes)}, the largest we take.`,
      413,
    );
  if (Number(response.headers["content-length"]) > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      response.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function unreachable(error: unknown, target: URL): TranscriptError {
  if (error instanceof RefusedAddress) {
    return new TranscriptError(
      `This URL leads to ${error.refusal} (${error.address}), which the server does not fetch from.`,
    );
  }
  const code = (error as { code?: string }).code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new TranscriptError(`The host ${target.hostname} was not found.`);
  }
  return new TranscriptError(`The server at ${target.host} could not be reached.`);
}
