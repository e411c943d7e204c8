import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";

const focusable =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog (JavaScript only: pages offer the same thing without it). The browser's
 * <dialog> makes the rest of the page inert and closes on Escape; this keeps Tab cycling
 * inside it, focuses the element marked `data-autofocus` (the safe choice of a confirmation),
 * and gives the focus back to whatever had it before, the button that opened it.
 */
export function Dialog({
  open,
  onClose,
  labelledBy,
  children,
}: {
  open: boolean;
  onClose: () => void;
  /** The id of the dialog's heading. */
  labelledBy: string;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      returnFocus.current = document.activeElement as HTMLElement | null;
      element.showModal();
      element.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);

  // Closed by Escape, by a button, or by the page leaving: focus goes back where it came from.
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const onClosed = () => {
      returnFocus.current?.focus();
      returnFocus.current = null;
    };
    element.addEventListener("close", onClosed);
    return () => element.removeEventListener("close", onClosed);
  }, []);

  const keepTabInside = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== "Tab") return;
    const items = [...event.currentTarget.querySelectorAll<HTMLElement>(focusable)];
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={dialog}
      aria-labelledby={labelledBy}
      onClose={onClose}
      onKeyDown={keepTabInside}
      className="m-auto w-[min(32rem,calc(100%-2rem))] rounded-lg border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-950/60 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      {children}
    </dialog>
  );
}
