import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// An OpenAI-compatible model server for tests: POST /v1/chat/completions and GET /v1/models
// over real HTTP, with the response shapes and errors of OpenAI's API (and so of Ollama's and
// vLLM's compatible endpoints). Its "model" writes notes in the summary's sections from the
// transcript lines it is sent, deterministically; tests can make it answer otherwise, fail,
// or stall, and read every request it received.

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  authorization: string | null;
}

export interface OpenAiFault {
  status?: number;
  delayMs?: number;
  /** How many requests it applies to (default: all, until cleared). */
  times?: number;
}

interface ErrorBody {
  message: string;
  type: string;
  code: string | null;
  param?: string | null;
}

const errorBodies: Record<number, ErrorBody> = {
  400: { message: "Invalid request.", type: "invalid_request_error", code: null },
  429: {
    message:
      "Rate limit reached for gpt-4o-mini in organization org-standin on requests per min (RPM): Limit 3, Used 3, Requested 1.",
    type: "requests",
    code: "rate_limit_exceeded",
  },
  500: {
    message: "The server had an error while processing your request. Sorry about that!",
    type: "server_error",
    code: null,
  },
  503: {
    message: "The engine is currently overloaded, please try again later.",
    type: "server_error",
    code: null,
  },
};

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "openai-version": "2020-10-01",
    "x-request-id": `req_${randomBytes(12).toString("hex")}`,
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, error?: ErrorBody) {
  const body = error ?? errorBodies[status] ?? errorBodies[500]!;
  sendJson(
    res,
    status,
    {
      error: { message: body.message, type: body.type, param: body.param ?? null, code: body.code },
    },
    status === 429 ? { "retry-after": "20", "x-ratelimit-remaining-requests": "0" } : {},
  );
}

/** The stand-in's "model": notes in the four sections from `[m:ss] Name: text` lines. */
export function standInNotes(userMessage: string): string {
  const lines = userMessage
    .split("\n")
    .filter((line) => /^\[\d/.test(line) || /^- \[\d/.test(line));
  const items = lines.map((line) => line.replace(/^- /, ""));
  const pick = (test: (text: string) => boolean) => {
    const chosen = [...new Set(items.filter(test))];
    return chosen.length ? chosen.map((line) => `- ${line}`).join("\n") : "None noted.";
  };
  const isAction = (t: string) =>
    /\b(I'll|I will|will|need to|let's)\b/i.test(t) && !/decided/i.test(t);
  const isDecision = (t: string) => /\b(decided|agreed)\b/i.test(t);
  const isQuestion = (t: string) => t.trim().endsWith("?");
  const overview = items
    .filter((t) => !isAction(t) && !isDecision(t) && !isQuestion(t))
    .slice(0, 3);
  return [
    "## Overview",
    "",
    overview.length ? overview.map((line) => `- ${line}`).join("\n") : "None noted.",
    "",
    "## Action items",
    "",
    pick(isAction),
    "",
    "## Decisions",
    "",
    pick(isDecision),
    "",
    "## Open questions",
    "",
    pick(isQuestion),
  ].join("\n");
}

export async function startOpenAiStandIn(options: { apiKey?: string; models?: string[] } = {}) {
  const models = options.models ?? ["gpt-4o-mini"];
  const requests: ChatRequest[] = [];
  let faults: Array<OpenAiFault & { remaining: number }> = [];
  const answers: string[] = [];

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://stand-in.invalid");
    const authorization = req.headers.authorization ?? null;
    if (options.apiKey && authorization !== `Bearer ${options.apiKey}`) {
      const shown = (authorization ?? "").replace(/^Bearer\s+/, "");
      return sendError(res, 401, {
        message: `Incorrect API key provided: ${shown.slice(0, 3)}***${shown.slice(-2)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        type: "invalid_request_error",
        code: "invalid_api_key",
      });
    }
    if (req.method === "GET" && url.pathname === "/v1/models") {
      return sendJson(res, 200, {
        object: "list",
        data: models.map((id) => ({
          id,
          object: "model",
          created: 1_700_000_000,
          owned_by: "stand-in",
        })),
      });
    }
    if (req.method !== "POST" || url.pathname !== "/v1/chat/completions") {
      return sendError(res, 404, {
        message: `Invalid URL (${req.method} ${url.pathname})`,
        type: "invalid_request_error",
        code: null,
      });
    }
    let body: { model?: unknown; messages?: unknown };
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return sendError(res, 400, {
        message: "We could not parse the JSON body of your request.",
        type: "invalid_request_error",
        code: null,
      });
    }
    const messages = Array.isArray(body.messages) ? (body.messages as ChatRequest["messages"]) : [];
    const model = String(body.model ?? "");
    requests.push({ model, messages, authorization });

    const fault = faults[0];
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults = faults.slice(1);
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (res.destroyed) return;
      if (fault.status) return sendError(res, fault.status);
    }
    if (!models.includes(model)) {
      return sendError(res, 404, {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        type: "invalid_request_error",
        code: "model_not_found",
      });
    }
    if (messages.length === 0) {
      return sendError(res, 400, {
        message: "[] is too short - 'messages'",
        type: "invalid_request_error",
        code: null,
        param: "messages",
      });
    }
    const user = messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
    const content = answers.shift() ?? standInNotes(user);
    const promptTokens = Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4);
    const completionTokens = Math.ceil(content.length / 4);
    sendJson(res, 200, {
      id: `chatcmpl-${randomBytes(12).toString("base64url")}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: "default",
      system_fingerprint: "fp_standin",
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => sendError(res, 500));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** The base URL the SDK takes (SUMMARY_API_URL). */
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    /** The next requests fail or stall, one fault after the other. */
    addFault(fault: OpenAiFault) {
      faults.push({ ...fault, remaining: fault.times ?? Infinity });
    },
    clearFaults() {
      faults = [];
    },
    /** The next answers, instead of the stand-in's own notes. */
    answerWith(...contents: string[]) {
      answers.push(...contents);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type OpenAiStandIn = Awaited<ReturnType<typeof startOpenAiStandIn>>;
