import { createContext, type MiddlewareFunction, type RouterContextProvider } from "react-router";
import { getConfig } from "~/config.server";

/**
 * The clock of one request's deadline. It stops while the client is still sending the body:
 * that time is the client's, and REQUEST_RECEIVE_TIMEOUT bounds it.
 */
class Deadline {
  readonly expired: Promise<never>;
  private expire!: () => void;
  private remainingMs: number;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;

  constructor(ms: number) {
    this.remainingMs = ms;
    this.expired = new Promise<never>((_, reject) => {
      this.expire = () =>
        reject(
          new Response("It did not answer in time. Please try again in a moment.", {
            status: 503,
            statusText: "The database is not answering",
          }),
        );
    });
    this.run();
  }

  run() {
    if (this.finished) return;
    this.startedAt = performance.now();
    this.timer = setTimeout(this.expire, this.remainingMs);
  }

  stop() {
    clearTimeout(this.timer);
    this.remainingMs -= performance.now() - this.startedAt;
  }

  /** The request was answered (or given up): the clock never runs again. */
  finish() {
    this.finished = true;
    clearTimeout(this.timer);
  }
}

const deadlineContext = createContext<Deadline | null>(null);

/**
 * A request that has not been answered within REQUEST_DEADLINE is answered 503 instead of
 * hanging. Here only the database can keep a request waiting that long (a PostgreSQL
 * connection gone silent, a lock, PGlite busy): GitHub calls have shorter timeouts of their
 * own, mails go out after the answer. The work is not stopped; PostgreSQL's statement_timeout
 * ends it there.
 */
export const deadlineMiddleware: MiddlewareFunction<Response> = async ({ context }, next) => {
  const deadline = new Deadline(getConfig().limits.requestDeadlineMs);
  context.set(deadlineContext, deadline);
  try {
    return await Promise.race([next(), deadline.expired]);
  } finally {
    deadline.finish();
  }
};

/** Runs `receive` (reading the request's body) with the request's deadline stopped. */
export async function whileReceiving<T>(
  context: Readonly<RouterContextProvider>,
  receive: () => Promise<T>,
): Promise<T> {
  const deadline = context.get(deadlineContext);
  deadline?.stop();
  try {
    return await receive();
  } finally {
    deadline?.run();
  }
}
