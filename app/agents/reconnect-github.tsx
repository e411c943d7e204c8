import { Form, useLocation } from "react-router";
import { GITHUB_RECONNECT_MESSAGE } from "./messages";

/**
 * Starts the GitHub sign-in again to renew the stored token, in a new tab so that nothing
 * typed on this page is lost; afterwards, saving here works with the renewed token.
 */
export function ReconnectGitHub() {
  const location = useLocation();
  return (
    <div
      role="alert"
      className="mt-6 flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <p>{GITHUB_RECONNECT_MESSAGE}</p>
      <Form method="post" action="/login" reloadDocument target="_blank">
        <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
        <button type="submit" className="btn btn-secondary">
          Reconnect GitHub (opens a new tab)
        </button>
      </Form>
    </div>
  );
}
