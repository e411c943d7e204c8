import type { MeetingStatus } from "~/db/schema";
import { statusLabels } from "~/meetings/lifecycle";

// Each status has its own colour and, so that colour is never the only cue, its own symbol and word.
const styles: Record<MeetingStatus, { className: string; symbol: string }> = {
  upcoming: {
    className:
      "bg-sky-100 text-sky-900 ring-sky-300 dark:bg-sky-950 dark:text-sky-100 dark:ring-sky-800",
    symbol: "○",
  },
  active: {
    className:
      "bg-emerald-100 text-emerald-900 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-100 dark:ring-emerald-800",
    symbol: "●",
  },
  processing: {
    className:
      "bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-800",
    symbol: "◐",
  },
  completed: {
    className:
      "bg-indigo-100 text-indigo-900 ring-indigo-300 dark:bg-indigo-950 dark:text-indigo-100 dark:ring-indigo-800",
    symbol: "✓",
  },
  cancelled: {
    className:
      "bg-slate-200 text-slate-700 ring-slate-300 line-through dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-700",
    symbol: "✕",
  },
};

export function StatusBadge({ status }: { status: MeetingStatus }) {
  const { className, symbol } = styles[status];
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${className}`}
      data-status={status}
    >
      <span aria-hidden>{symbol}</span>
      {statusLabels[status]}
    </span>
  );
}
