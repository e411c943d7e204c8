/** A one-time message for the page after a redirect ("Agent created"). */
export interface Flash {
  kind: "success" | "error";
  message: string;
}

/** The flash of the current page, announced to screen readers as a status. */
export function FlashMessage({ flash }: { flash: Flash | null }) {
  return (
    <div role="status" aria-live="polite" className="empty:hidden">
      {flash ? (
        <p
          className={`mb-6 rounded-md border p-3 text-sm ${
            flash.kind === "success"
              ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
              : "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
          }`}
        >
          {flash.message}
        </p>
      ) : null}
    </div>
  );
}
