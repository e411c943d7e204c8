import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from "react-router";
import type { Route } from "./+types/root";
import {
  formBodyMiddleware,
  originCheckMiddleware,
  plainParamsMiddleware,
} from "~/web/request-checks.server";
import { deadlineMiddleware } from "~/web/deadline.server";
import { responseHeadersMiddleware } from "~/web/response-headers.server";
import { getOptionalUser, sessionMiddleware } from "~/auth/guards.server";
import { flashContext, flashMiddleware } from "~/web/flash.server";
import { FlashMessage } from "~/ui/flash-message";
import { useNonce } from "~/ui/nonce";
import "./app.css";
import { SubmitButton } from "~/ui/submit-button";

// The headers first, so that they reach every answer, refusals and the deadline's 503 too.
export const middleware: Route.MiddlewareFunction[] = [
  responseHeadersMiddleware,
  deadlineMiddleware,
  originCheckMiddleware,
  formBodyMiddleware,
  plainParamsMiddleware,
  sessionMiddleware,
  flashMiddleware,
];

export const links: Route.LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export function loader({ context }: Route.LoaderArgs) {
  return { user: getOptionalUser({ context }), flash: context.get(flashContext) };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user ?? null;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-screen flex-col">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900"
        >
          Skip to content
        </a>
        <Header user={user} />
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6">
          {user && !user.emailVerified ? <VerifyEmailBanner email={user.email} /> : null}
          <FlashMessage flash={data?.flash ?? null} />
          {children}
        </main>
        <footer className="border-t border-slate-200 py-6 text-center text-sm text-slate-500 dark:border-slate-800 dark:text-slate-400">
          SMTG Notion · meetings with your AI agents
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/** Unverified users can use the app; this reminds them, and sends a new link on request. */
function VerifyEmailBanner({ email }: { email: string }) {
  const location = useLocation();
  return (
    <div
      role="status"
      className="mb-6 flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <p>
        Please verify your email address <strong>{email}</strong>: open the link we mailed you.
      </p>
      <Form method="post" action="/verify-email">
        <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
        <SubmitButton
          pendingLabel="Sending…"
          intent="resend"
          action="/verify-email"
          className="btn btn-secondary"
        >
          Send a new link
        </SubmitButton>
      </Form>
    </div>
  );
}

type HeaderUser = { name: string; image: string | null } | null;

function Header({ user }: { user: HeaderUser }) {
  const navClass = ({ isActive }: { isActive: boolean }) =>
    `rounded-md px-3 py-2 text-sm font-medium ${
      isActive
        ? "bg-slate-200 text-slate-900 dark:bg-slate-800 dark:text-white"
        : "text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white"
    }`;
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link to="/" className="flex items-center gap-2 text-lg font-semibold">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          SMTG Notion
        </Link>
        <nav aria-label="Main" className="order-last flex w-full gap-1 sm:order-none sm:w-auto">
          <NavLink to="/" end className={navClass}>
            Dashboard
          </NavLink>
          <NavLink to="/agents" className={navClass}>
            Agents
          </NavLink>
          <NavLink to="/meetings" className={navClass}>
            Meetings
          </NavLink>
        </nav>
        <div className="ml-auto flex items-center gap-3">
          {user ? (
            <>
              {user.image ? (
                <img
                  src={user.image}
                  alt=""
                  width={32}
                  height={32}
                  className="h-8 w-8 rounded-full border border-slate-200 dark:border-slate-700"
                />
              ) : null}
              <Link
                to="/settings"
                className="text-sm font-medium hover:underline"
                data-testid="signed-in-user"
                title="Settings"
              >
                {user.name}
              </Link>
              <Form method="post" action="/logout">
                <SubmitButton
                  pendingLabel="Signing out…"
                  action="/logout"
                  className="btn btn-secondary"
                >
                  Sign out
                </SubmitButton>
              </Form>
            </>
          ) : (
            <Link to="/login" className="btn btn-primary">
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  let title = "Something went wrong";
  let message = "An unexpected error occurred. Please try again in a moment.";
  let status = 500;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    if (error.status === 404) {
      title = "Page not found";
      message = "There is nothing at this address. It may have been deleted, or the link is wrong.";
    } else if (error.status === 403) {
      title = "Not allowed";
      message = typeof error.data === "string" ? error.data : "This request was refused.";
    } else {
      // A refusal (413, 429…) or a 503 the app answered on purpose: its own words.
      title = error.statusText || (error.status < 500 ? "Request refused" : title);
      message = typeof error.data === "string" ? error.data : message;
    }
  } else if (import.meta.env.DEV && error instanceof Error) {
    message = error.message;
  }
  return (
    <section className="card mx-auto max-w-lg text-center" aria-labelledby="error-title">
      <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">{status}</p>
      <h1 id="error-title" className="mt-2 text-2xl font-bold">
        {title}
      </h1>
      <p className="mt-3 text-slate-600 dark:text-slate-300">{message}</p>
      <div className="mt-6 flex justify-center gap-3">
        <Link to="/" className="btn btn-primary">
          Go to the dashboard
        </Link>
      </div>
    </section>
  );
}
