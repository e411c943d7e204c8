import { toPlainText } from "~/db/plain-text";

/** The page and search of a list URL, made sensible: page a whole number from 1, q trimmed. */
export function readListParams(url: URL, maxQuery = 100) {
  const rawPage = url.searchParams.get("page");
  const parsed = rawPage === null ? 1 : Number.parseInt(rawPage, 10);
  const page = Number.isFinite(parsed) && parsed >= 1 ? parsed : 1;
  const q = toPlainText(url.searchParams.get("q") ?? "")
    .trim()
    .slice(0, maxQuery);
  return { page, q };
}

/** The URL with `page` and `q` replaced (empty q and page 1 left out). */
export function listUrl(url: URL, { page, q }: { page: number; q: string }): string {
  const params = new URLSearchParams(url.searchParams);
  if (q) params.set("q", q);
  else params.delete("q");
  if (page > 1) params.set("page", String(page));
  else params.delete("page");
  const query = params.toString();
  return `${url.pathname}${query ? `?${query}` : ""}`;
}
