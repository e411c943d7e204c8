import { Link, useSearchParams } from "react-router";

export type SortDirection = "asc" | "desc";

export interface ListSort {
  key: string;
  direction: SortDirection;
}

export interface SortOption {
  key: string;
  label: string;
  /** The direction of a first click: names A to Z, dates newest first. */
  firstDirection: SortDirection;
}

/** The `sort` parameter: "name" ascending, "-name" descending. */
export function sortParam(sort: ListSort): string {
  return `${sort.direction === "desc" ? "-" : ""}${sort.key}`;
}

/**
 * The link that sorts by `option`, keeping the filters and going back to page 1: the other
 * direction when the list is already sorted by it.
 */
function useSortHref(option: SortOption, sort: ListSort, defaultSort: ListSort): string {
  const [searchParams] = useSearchParams();
  const direction =
    sort.key === option.key ? (sort.direction === "asc" ? "desc" : "asc") : option.firstDirection;
  const params = new URLSearchParams(searchParams);
  params.delete("page");
  const next = { key: option.key, direction };
  if (sortParam(next) === sortParam(defaultSort)) params.delete("sort");
  else params.set("sort", sortParam(next));
  const query = params.toString();
  return query ? `?${query}` : ".";
}

const arrows = { asc: "▲", desc: "▼" };
const spoken = { asc: "ascending", desc: "descending" } as const;

/** A table's column header that sorts by its column; `aria-sort` says which one is in effect. */
export function SortableHeader({
  option,
  sort,
  defaultSort,
  className,
}: {
  option: SortOption;
  sort: ListSort;
  defaultSort: ListSort;
  className?: string;
}) {
  const href = useSortHref(option, sort, defaultSort);
  const active = sort.key === option.key;
  return (
    <th
      scope="col"
      aria-sort={active ? (sort.direction === "asc" ? "ascending" : "descending") : undefined}
      className={className}
    >
      <Link to={href} preventScrollReset className="inline-flex items-center gap-1 hover:underline">
        {option.label}
        <span aria-hidden="true" className="w-3 text-[0.6rem]">
          {active ? arrows[sort.direction] : ""}
        </span>
      </Link>
    </th>
  );
}

/** The same choice for a list without column headers: "Sort by Name · Created · Status". */
export function SortLinks({
  label,
  options,
  sort,
  defaultSort,
  className = "",
}: {
  /** The navigation landmark's name, "Sort meetings". */
  label: string;
  options: SortOption[];
  sort: ListSort;
  defaultSort: ListSort;
  className?: string;
}) {
  return (
    <nav aria-label={label} className={`flex flex-wrap items-center gap-2 text-sm ${className}`}>
      <span className="text-muted">Sort by</span>
      <ul className="flex flex-wrap gap-1">
        {options.map((option) => (
          <li key={option.key}>
            <SortLink option={option} sort={sort} defaultSort={defaultSort} />
          </li>
        ))}
      </ul>
    </nav>
  );
}

function SortLink({
  option,
  sort,
  defaultSort,
}: {
  option: SortOption;
  sort: ListSort;
  defaultSort: ListSort;
}) {
  const href = useSortHref(option, sort, defaultSort);
  const active = sort.key === option.key;
  return (
    <Link
      to={href}
      preventScrollReset
      aria-current={active ? "true" : undefined}
      // The order in effect, spoken: "Created, descending".
      aria-label={active ? `${option.label}, ${spoken[sort.direction]}` : undefined}
      className={`inline-flex items-center gap-1 rounded-md px-2 py-1 ${
        active
          ? "bg-slate-200 font-semibold text-slate-900 dark:bg-slate-800 dark:text-white"
          : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
      }`}
    >
      {option.label}
      {active ? (
        <span aria-hidden="true" className="text-[0.6rem]">
          {arrows[sort.direction]}
        </span>
      ) : null}
    </Link>
  );
}
