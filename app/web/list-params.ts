import { toPlainText } from "~/db/plain-text";
import { sortParam, type ListSort, type SortDirection } from "~/ui/sort";

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

/**
 * The order a list URL asks for: `sort=name` ascending, `sort=-name` descending, by one of
 * `keys`; anything else (or nothing) is `fallback`.
 */
export function readSort<Key extends string>(
  url: URL,
  keys: readonly Key[],
  fallback: ListSort & { key: Key },
): { key: Key; direction: SortDirection } {
  const raw = url.searchParams.get("sort") ?? "";
  const key = raw.replace(/^-/, "");
  if (!(keys as readonly string[]).includes(key)) return fallback;
  return { key: key as Key, direction: raw.startsWith("-") ? "desc" : "asc" };
}

/**
 * The URL with `page`, `q` and `sort` replaced: empty q, page 1 and the default order left
 * out, so that each list has one address per view.
 */
export function listUrl(
  url: URL,
  { page, q, sort }: { page: number; q: string; sort?: { sort: ListSort; defaultSort: ListSort } },
): string {
  const params = new URLSearchParams(url.searchParams);
  if (q) params.set("q", q);
  else params.delete("q");
  if (page > 1) params.set("page", String(page));
  else params.delete("page");
  if (sort && sortParam(sort.sort) !== sortParam(sort.defaultSort)) {
    params.set("sort", sortParam(sort.sort));
  } else {
    params.delete("sort");
  }
  const query = params.toString();
  return `${url.pathname}${query ? `?${query}` : ""}`;
}
