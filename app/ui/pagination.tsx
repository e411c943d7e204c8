import { Link } from "react-router";

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
