import { Link } from "react-router";
import { toPlainText } from "./plain-text";

/** Page links that keep the other query parameters (search, filters). */
export function Pagination({
  page,
  pageCount,
  total,
  noun,
  searchParams,
}: {
  page: number;
  pageCount: number;
  total: number;
  noun: [singular: string, plural: string];
  searchParams: URLSearchParams;
}) {
  const hrefFor = (target: number) => {
    const params = new URLSearchParams(searchParams);
    if (target === 1) params.delete("page");
    else params.set("page", String(target));
    const query = params.toString();
    return query ? `?${query}` : ".";
  };
  const linkClass =
    "rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
  return (
    <nav aria-label="Pagination" className="mt-6 flex flex-wrap items-center justify-between gap-3">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {total} {total === 1 ? noun[0] : noun[1]} · page {page} of {pageCount}
      </p>
      {pageCount > 1 ? (
        <ul className="flex flex-wrap gap-1">
          {page > 1 ? (
            <li>
              <Link to={hrefFor(page - 1)} className={linkClass} rel="prev">
                Previous
              </Link>
            </li>
          ) : null}
          {pageNumbers(page, pageCount).map((n, i) =>
            n === null ? (
              <li key={`gap-${i}`} className="px-2 py-1.5 text-sm" aria-hidden>
                …
              </li>
            ) : (
              <li key={n}>
                <Link
                  to={hrefFor(n)}
                  className={`${linkClass} ${n === page ? "bg-indigo-600 text-white hover:bg-indigo-600 dark:bg-indigo-500" : ""}`}
                  aria-current={n === page ? "page" : undefined}
                  aria-label={`Page ${n}`}
                >
                  {n}
                </Link>
              </li>
            ),
          )}
          {page < pageCount ? (
            <li>
              <Link to={hrefFor(page + 1)} className={linkClass} rel="next">
                Next
              </Link>
            </li>
          ) : null}
        </ul>
      ) : null}
    </nav>
  );
}

/** 1 … 4 5 [6] 7 8 … 20: the first, the last, and two on each side of the current page. */
export function pageNumbers(page: number, pageCount: number): Array<number | null> {
  const numbers: Array<number | null> = [];
  for (let n = 1; n <= pageCount; n++) {
    if (n === 1 || n === pageCount || Math.abs(n - page) <= 2) numbers.push(n);
    else if (numbers.at(-1) !== null) numbers.push(null);
  }
  return numbers;
}

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
