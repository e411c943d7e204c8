import { useEffect, useRef, type ReactNode } from "react";
import { Form, useLocation, useNavigation, useSubmit } from "react-router";

/**
 * The filter form of a list page (a GET form: the filters live in the URL). Without JavaScript
 * its button applies them. With it, a changed select applies at once and the search after a
 * pause in typing; either way the control keeps the focus (the form is never re-created) and
 * the page does not scroll. The controls are uncontrolled: when the URL changes some other
 * way (a "clear the filters" link), they are set from `values`, except the one being used.
 */
export function FilterForm({
  label,
  values,
  hidden = {},
  className,
  children,
}: {
  /** The search landmark's name, "Filter meetings". */
  label: string;
  /** The filters in effect, by field name, as the loader read them from the URL. */
  values: Record<string, string>;
  /** Parameters the form keeps without showing them (the sort order). */
  hidden?: Record<string, string>;
  className?: string;
  children: ReactNode;
}) {
  const form = useRef<HTMLFormElement>(null);
  const typing = useRef<ReturnType<typeof setTimeout>>(undefined);
  const submit = useSubmit();
  const location = useLocation();

  const apply = () => {
    clearTimeout(typing.current);
    if (!form.current) return;
    // Empty filters stay out of the URL; a new filter starts again at page 1.
    const data = new FormData(form.current);
    for (const [name, value] of [...data]) if (value === "") data.delete(name);
    const refining = new URLSearchParams(location.search).has("q") && data.has("q");
    submit(data, { method: "get", preventScrollReset: true, replace: refining });
  };

  const valuesKey = JSON.stringify(values);
  useEffect(() => {
    const controls = form.current?.elements;
    if (!controls) return;
    for (const [name, value] of Object.entries(JSON.parse(valuesKey) as Record<string, string>)) {
      const control = controls.namedItem(name);
      const settable = control instanceof HTMLInputElement || control instanceof HTMLSelectElement;
      if (settable && control !== document.activeElement) control.value = value;
    }
  }, [valuesKey]);
  useEffect(() => () => clearTimeout(typing.current), []);

  return (
    <Form
      ref={form}
      method="get"
      role="search"
      aria-label={label}
      className={className}
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
      onChange={(event) => {
        const target = event.target;
        if (target instanceof HTMLSelectElement) apply();
        if (target instanceof HTMLInputElement && target.type === "search") {
          clearTimeout(typing.current);
          typing.current = setTimeout(apply, 400);
        }
      }}
    >
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </Form>
  );
}

/** Whether this list page is being replaced by another of its pages (filters, sort, paging). */
export function useListLoading(): boolean {
  const navigation = useNavigation();
  const location = useLocation();
  return navigation.state === "loading" && navigation.location.pathname === location.pathname;
}

/**
 * "12 meetings": the number of results, announced politely when a filter changes it. Kept out
 * of sight; the pagination below the list shows the same count.
 */
export function ResultCount({
  total,
  noun,
}: {
  total: number;
  noun: [singular: string, plural: string];
}) {
  return (
    <p aria-live="polite" aria-atomic="true" className="sr-only" data-testid="result-count">
      {total} {total === 1 ? noun[0] : noun[1]}
    </p>
  );
}
