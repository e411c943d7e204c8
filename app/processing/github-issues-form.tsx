import { Form, Link } from "react-router";
import { FormErrors } from "~/ui/field";
import { SubmitButton } from "~/ui/submit-button";

// Under the checklist of a completed meeting: file the ticked action items as GitHub issues in
// the agent's repository, or what is missing for that (a repository, a GitHub connection, the
// scope to open issues).

export const ISSUES_FORM_ID = "file-issues";

export type IssueFilingView =
  | { status: "no_repo"; agentId: string }
  | { status: "no_github" }
  | { status: "reconnect"; reason: "expired" | "scope"; scope: "public_repo" | "repo" }
  | { status: "ready"; repo: string };

function Reconnect({ scope, children }: { scope: "public_repo" | "repo"; children: string }) {
  return (
    <div
      role="alert"
      className="mt-4 flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <p>{children}</p>
      <Form method="post" reloadDocument>
        <input type="hidden" name="scope" value={scope} />
        <SubmitButton
          pendingLabel="Opening GitHub…"
          intent="github-reconnect"
          className="btn btn-secondary"
        >
          Reconnect GitHub
        </SubmitButton>
      </Form>
    </div>
  );
}

export function GitHubIssuesForm({
  filing,
  selectable,
  error,
}: {
  filing: IssueFilingView;
  /** Whether any item has no issue yet. */
  selectable: boolean;
  error: { message: string; reconnectScope: "public_repo" | "repo" | null } | null;
}) {
  switch (filing.status) {
    case "no_repo":
      return (
        <p className="mt-4 text-sm text-slate-600 dark:text-slate-300">
          To file action items as GitHub issues,{" "}
          <Link to={`/agents/${filing.agentId}/edit`} className="link">
            link the agent to a repository
          </Link>
          .
        </p>
      );
    case "no_github":
      return (
        <p className="mt-4 text-sm text-slate-600 dark:text-slate-300">
          To file action items as GitHub issues,{" "}
          <Link to="/settings/connections" className="link">
            connect GitHub
          </Link>
          .
        </p>
      );
    case "reconnect":
      return (
        <Reconnect scope={filing.scope}>
          {filing.reason === "expired"
            ? "Your GitHub connection has expired. Reconnect GitHub to file action items as issues."
            : "Filing issues needs access to your repositories on GitHub, which your connection does not have yet. Reconnect GitHub to grant it; what you granted before stays."}
        </Reconnect>
      );
    case "ready":
      return (
        <div className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800">
          {error ? (
            error.reconnectScope ? (
              <Reconnect scope={error.reconnectScope}>{error.message}</Reconnect>
            ) : (
              <FormErrors id="file-issues-error" errors={[error.message]} />
            )
          ) : null}
          {selectable ? (
            <Form method="post" id={ISSUES_FORM_ID} className="mt-3">
              <p className="text-sm text-slate-600 dark:text-slate-300">
                Tick “File as issue” beside the action items to file.
              </p>
              <SubmitButton
                pendingLabel="Creating issues…"
                intent="file-issues"
                className="btn btn-secondary mt-2"
                aria-describedby={error ? "file-issues-error" : undefined}
              >
                Create GitHub issues in {filing.repo}
              </SubmitButton>
            </Form>
          ) : null}
        </div>
      );
  }
}
