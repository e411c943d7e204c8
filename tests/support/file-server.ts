import { once } from "node:events";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// Only Node here: Vitest and Playwright specs both use it.

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A real HTTP server on 127.0.0.1 serving `routes` by path (404 otherwise), standing in for a
 * call provider or any site a transcript URL points at. `requests` lists the paths it was asked
 * for and `connections()` counts connections, so a spec can tell that nothing reached it.
 */
export async function startFileServer(routes: Record<string, Handler>) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    const handler = routes[new URL(req.url ?? "/", "http://x").pathname];
    if (handler) handler(req, res);
    else res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
  });
  const counts = { connections: 0 };
  server.on("connection", () => counts.connections++);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    /** TCP connections accepted so far, requests or not. */
    connections: () => counts.connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
