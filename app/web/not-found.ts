/** The 404 for ids that do not exist or belong to someone else: both look the same. */
export function notFound(): Response {
  return new Response("Not found", { status: 404, statusText: "Not Found" });
}
