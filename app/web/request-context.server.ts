import { createContext, type RouterContextProvider } from "react-router";

// What Express knows about the connection, handed to React Router through its context.

/** The client's IP address, as Express saw it (proxies per "trust proxy"). */
export const clientIpContext = createContext<string | null>(null);
/** The id of this request in the log (and in its X-Request-Id header). */
export const requestIdContext = createContext<string | null>(null);
/** The connection itself comes from this machine (whatever X-Forwarded-For says). */
export const fromThisMachineContext = createContext<boolean>(false);

/** A connection from this machine, by the socket's own address (not X-Forwarded-For). */
export function isThisMachine(socketAddress: string | undefined): boolean {
  return socketAddress === "::1" || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(socketAddress ?? "");
}

/** The client's IP address, the key of per-address limits ("unknown" when Express has none). */
export function clientIp(context: Readonly<RouterContextProvider>): string {
  return context.get(clientIpContext) ?? "unknown";
}

/** What a new session records about the browser that started it. */
export function clientInfo(request: Request, context: Readonly<RouterContextProvider>) {
  return {
    ipAddress: context.get(clientIpContext),
    userAgent: request.headers.get("User-Agent"),
  };
}
