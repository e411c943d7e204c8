import { useEffect, useRef } from "react";
import { Form, Link, NavLink, useLocation } from "react-router";
import { SubmitButton } from "./submit-button";

export interface HeaderUser {
  name: string;
  image: string | null;
}

const sections = [
  { to: "/", label: "Dashboard", end: true },
  { to: "/agents", label: "Agents" },
  { to: "/meetings", label: "Meetings" },
];

/**
 * The site header, one row at any width. Signed in, narrow screens get the sections and the
 * account behind a "Menu" disclosure (<details>, which opens without JavaScript); signed out,
 * the only places that make sense are signing in and creating an account.
 */
export function SiteHeader({
  user,
  signUp,
}: {
  user: HeaderUser | null;
  /** Whether accounts with a password exist on this server ("Create account"). */
  signUp: boolean;
}) {
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex max-w-5xl items-center gap-x-6 px-4 py-3 sm:px-6">
        <Link to="/" className="flex shrink-0 items-center gap-2 text-lg font-semibold">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          SMTG Notion
        </Link>
        {user ? (
          <>
            <nav aria-label="Main" className="hidden gap-1 sm:flex">
              <SectionLinks />
            </nav>
            <div className="ml-auto hidden items-center gap-3 sm:flex">
              <Account user={user} />
            </div>
            <MobileMenu user={user} />
          </>
        ) : (
          <nav aria-label="Main" className="ml-auto flex items-center gap-2">
            <Link to="/login" className="btn btn-secondary px-3">
              Sign in
            </Link>
            {signUp ? (
              <Link to="/signup" className="btn btn-primary px-3">
                Create account
              </Link>
            ) : null}
          </nav>
        )}
      </div>
    </header>
  );
}

function SectionLinks({ vertical = false }: { vertical?: boolean }) {
  const linkClass = ({ isActive }: { isActive: boolean }) =>
    `${vertical ? "block" : ""} rounded-md px-3 py-2 text-sm font-medium ${
      isActive
        ? "bg-slate-200 text-slate-900 dark:bg-slate-800 dark:text-white"
        : "text-slate-700 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white"
    }`;
  return sections.map((section) => (
    <NavLink key={section.to} to={section.to} end={section.end} className={linkClass}>
      {section.label}
    </NavLink>
  ));
}

function Account({ user, testId = true }: { user: HeaderUser; testId?: boolean }) {
  return (
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
        // The menu repeats this link; tests read the one shown on wide screens.
        data-testid={testId ? "signed-in-user" : undefined}
        title="Settings"
      >
        {user.name}
      </Link>
      <Form method="post" action="/logout">
        <SubmitButton pendingLabel="Signing out…" action="/logout" className="btn btn-secondary">
          Sign out
        </SubmitButton>
      </Form>
    </>
  );
}

function MobileMenu({ user }: { user: HeaderUser }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  // With JavaScript the header stays on the page across navigations: close the menu after one.
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [location.key]);
  return (
    <details ref={menu} className="relative ml-auto sm:hidden">
      <summary className="btn btn-secondary cursor-pointer list-none [&::-webkit-details-marker]:hidden">
        Menu
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-64 space-y-3 rounded-lg border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-900">
        <nav aria-label="Main">
          <SectionLinks vertical />
        </nav>
        <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-3 dark:border-slate-700">
          <Account user={user} testId={false} />
        </div>
      </div>
    </details>
  );
}
