import { Form, useLocation } from "react-router";
import { GITHUB_RECONNECT_MESSAGE } from "./messages";

/** Starts the GitHub sign-in again, coming back to this page, to renew the stored token. */
export function ReconnectGitHub() {
  const location = useLocation();
  return (
    <div
      role="alert"
      className="mt-6 flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <p>{GITHUB_RECONNECT_MESSAGE}</p>
      <Form method="post" action="/login" reloadDocument>
        <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
        <button type="submit" className="btn btn-secondary">
          Reconnect GitHub
        </button>
      </Form>
    </div>
  );
}
