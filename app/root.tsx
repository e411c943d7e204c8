// First: the browser evaluates this route module before any other (see the module).
import "~/zod-config";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
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
import { getOptionalUser, sessionMiddleware } from "~/auth/guards.server";
import { getConfig } from "~/config.server";
import { flashContext, flashMiddleware } from "~/web/flash.server";
import { formPostContext, formPostMiddleware } from "~/web/form-post.server";
import { FlashMessage } from "~/ui/flash-message";
import { NavigationProgress } from "~/ui/navigation-progress";
import { useNonce } from "~/ui/nonce";
import { pageMeta } from "~/ui/page-meta";
import { SiteHeader } from "~/ui/site-header";
import "./app.css";
import { SubmitButton } from "~/ui/submit-button";

export const middleware: Route.MiddlewareFunction[] = [
  originCheckMiddleware,
  formBodyMiddleware,
  plainParamsMiddleware,
  sessionMiddleware,
  flashMiddleware,
  formPostMiddleware,
];

/** The default description, and the title and description of the error pages (404 among them). */
export const meta: Route.MetaFunction = (args) => {
  if (!args.error) {
    return pageMeta(args, null, "Define AI agents and run meetings with them.");
  }
  const { title, message } = describeError(args.error);
  return pageMeta(args, title, message);
};

export const links: Route.LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export function loader({ context }: Route.LoaderArgs) {
  return {
    user: getOptionalUser({ context }),
    flash: context.get(flashContext),
    signUp: getConfig().passwordAuth,
    /** The page answers a form POST: a refused form (see ui/page-meta.ts). */
    refusedForm: context.get(formPostContext),
  };
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
        <NavigationProgress />
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900"
        >
          Skip to content
        </a>
        <SiteHeader user={user} signUp={data?.signUp ?? false} />
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6">
          {user && !user.emailVerified ? <VerifyEmailBanner email={user.email} /> : null}
          <FlashMessage flash={data?.flash ?? null} />
          {children}
        </main>
        <footer className="border-t border-slate-200 py-6 text-center text-sm text-muted dark:border-slate-800">
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

export default function App() {
  return <Outlet />;
}

/** The status, title and explanation of an error page, for its heading and its <title>. */
function describeError(error: unknown) {
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
    } else if (error.status < 500) {
      title = error.statusText || "Request refused";
      message = typeof error.data === "string" ? error.data : message;
    }
  } else if (import.meta.env.DEV && error instanceof Error) {
    message = error.message;
  }
  return { status, title, message };
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { status, title, message } = describeError(error);
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
