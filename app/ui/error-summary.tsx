import type { FormMetadata } from "@conform-to/react";
import { useEffect, useRef, useState, type MouseEvent } from "react";

/**
 * The error summary of a refused form (the GOV.UK pattern), above its fields: "There is a
 * problem", then each error, linking to its field. It is an alert that takes the focus, so a
 * screen reader reads it and the keyboard starts from it: `autofocus` when the server rendered
 * it (a form sent without JavaScript), an effect after a submission in the browser. While it
 * shows, the page title starts with "Error: " (ui/page-meta.ts does the same on the server).
 *
 * It shows after a submission and stays until the next one, listing the errors that remain as
 * the fields are fixed (they are re-checked as one types).
 */
export function ErrorSummary({ form }: { form: FormMetadata }) {
  const box = useRef<HTMLDivElement>(null);
  const focusPending = useRef(false);
  // conform's status is "error" after a refused submission, and clears as fields are re-checked.
  const [submitted, setSubmitted] = useState(form.status === "error");
  if (form.status === "error" && !submitted) setSubmitted(true);

  const fieldset = form.getFieldset() as Record<string, { id: string } | undefined>;
  const formErrors = form.allErrors[""] ?? [];
  const fieldErrors = Object.entries(form.allErrors).flatMap(([name, messages]) =>
    name === "" ? [] : messages.map((message) => ({ message, id: fieldset[name]?.id ?? name })),
  );
  const visible = submitted && formErrors.length + fieldErrors.length > 0;

  useEffect(() => {
    const element = document.getElementById(form.id);
    if (!(element instanceof HTMLFormElement)) return;
    // Each submission starts afresh; its outcome, checked here or by the server, may show it.
    const onSubmit = () => {
      focusPending.current = true;
      setSubmitted(false);
    };
    element.addEventListener("submit", onSubmit);
    return () => element.removeEventListener("submit", onSubmit);
  }, [form.id]);

  useEffect(() => {
    if (visible && focusPending.current) {
      focusPending.current = false;
      box.current?.focus();
    }
  });

  useEffect(() => {
    if (!visible) return;
    const title = document.title;
    if (title.startsWith("Error: ")) return;
    document.title = `Error: ${title}`;
    return () => {
      if (document.title === `Error: ${title}`) document.title = title;
    };
  }, [visible]);

  if (!visible) return null;
  const titleId = `${form.id}-error-summary`;
  return (
    <div
      ref={box}
      role="alert"
      tabIndex={-1}
      autoFocus
      aria-labelledby={titleId}
      className="rounded-md border-2 border-red-700 bg-red-50 p-4 text-sm text-red-900 dark:border-red-400 dark:bg-red-950 dark:text-red-100"
    >
      <h2 id={titleId} className="text-base font-semibold">
        There is a problem
      </h2>
      {formErrors.length > 0 ? (
        <ul id={form.errorId} className="mt-2 space-y-1">
          {formErrors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
      {fieldErrors.length > 0 ? (
        <ul className="mt-2 list-disc space-y-1 pl-5">
          {fieldErrors.map(({ message, id }) => (
            <li key={`${id}:${message}`}>
              <a
                href={`#${id}`}
                onClick={(event) => focusField(event, id)}
                className="font-medium text-red-900 underline underline-offset-2 dark:text-red-100"
              >
                {message}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** With JavaScript: focus the field without adding #id to the address, its label in view. */
function focusField(event: MouseEvent, id: string) {
  const field = document.getElementById(id);
  if (!field) return;
  event.preventDefault();
  const label = document.querySelector(`label[for="${CSS.escape(id)}"]`) ?? field;
  label.scrollIntoView({ block: "start" });
  field.focus({ preventScroll: true });
}
