import { useSyncExternalStore } from "react";
import { useHydrated } from "./hydrated";

// Times are stored in UTC. The server renders them in UTC, relative to the `now` it sends with
// the page, so the first render is identical in the browser (no hydration mismatch). After
// hydration, JavaScript switches to the browser's time zone and keeps relative times fresh.

const utcFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

const dateFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** A calendar date, in UTC: "25 Nov 2026". */
export function formatDate(value: Date | string): string {
  return dateFormat.format(new Date(value));
}

export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return "under 1 min";
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `${minutes} min`;
  return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
}

const relativeFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function formatRelative(date: Date, now: Date): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 45 * 60) return relativeFormat.format(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return relativeFormat.format(Math.round(seconds / 3600), "hour");
  if (abs < 26 * 86400) return relativeFormat.format(Math.round(seconds / 86400), "day");
  return `on ${formatDate(date)}`;
}

// A clock the components share: the server's time during hydration, then the browser's,
// ticking every 30 seconds while something shows it.
let clock = Date.now();
const listeners = new Set<() => void>();
let ticker: ReturnType<typeof setInterval> | undefined;

function subscribeToClock(listener: () => void) {
  listeners.add(listener);
  clock = Date.now();
  ticker ??= setInterval(() => {
    clock = Date.now();
    for (const notify of listeners) notify();
  }, 30_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };
}

export function useNow(serverNow: string | Date): Date {
  const time = useSyncExternalStore(
    subscribeToClock,
    () => clock,
    () => new Date(serverNow).getTime(),
  );
  return new Date(time);
}

function useLocalFormat(date: Date): string {
  return useHydrated()
    ? new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date)
    : `${utcFormat.format(date)} UTC`;
}

/** An absolute date and time: UTC on the server, the browser's time zone with JavaScript. */
export function DateTime({ value }: { value: Date | string }) {
  const date = new Date(value);
  const text = useLocalFormat(date);
  return <time dateTime={date.toISOString()}>{text}</time>;
}

/** "3 minutes ago", with the absolute time as a tooltip. */
export function RelativeTime({ value, now }: { value: Date | string; now: Date }) {
  const date = new Date(value);
  const title = useLocalFormat(date);
  return (
    <time dateTime={date.toISOString()} title={title}>
      {formatRelative(date, now)}
    </time>
  );
}
