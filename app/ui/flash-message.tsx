import { useEffect, useRef } from "react";
import { useLocation } from "react-router";

/** A one-time message for the page after a redirect ("Agent created"). */
export interface Flash {
  kind: "success" | "error";
  message: string;
}

/**
 * The flash of the current page, announced to screen readers as a status. It takes the focus,
 * so after a form or a lifecycle move the keyboard continues from the outcome rather than from
 * the top of the page: `autofocus` when the page loads, an effect after client-side navigation
 * (React applies autoFocus to form controls only).
 */
export function FlashMessage({ flash }: { flash: Flash | null }) {
  const location = useLocation();
  const message = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    message.current?.focus();
  }, [location.key]);
  return (
    <div role="status" aria-live="polite" className="empty:hidden">
      {flash ? (
        <p
          ref={message}
          tabIndex={-1}
          autoFocus
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
