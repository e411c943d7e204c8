import { NavLink, Outlet } from "react-router";
import type { Route } from "./+types/layout";
import { pageMeta } from "~/ui/page-meta";
import { requireUser } from "~/auth/guards.server";
import { getConfig } from "~/config.server";

export const meta: Route.MetaFunction = (args) =>
  pageMeta(args, "Settings", "Your SMTG Notion account settings.");

export function loader(args: Route.LoaderArgs) {
  requireUser(args);
  return { passwordAuth: getConfig().passwordAuth };
}

const sections = [
  { to: "/settings", label: "Profile and email", end: true },
  { to: "/settings/password", label: "Password" },
  { to: "/settings/connections", label: "Connected accounts" },
  { to: "/settings/sessions", label: "Sessions" },
  { to: "/settings/delete", label: "Delete account" },
];

export default function Settings({ loaderData }: Route.ComponentProps) {
  const linkClass = ({ isActive }: { isActive: boolean }) =>
    `block rounded-md px-3 py-2 text-sm font-medium ${
      isActive
        ? "bg-slate-200 text-slate-900 dark:bg-slate-800 dark:text-white"
        : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
    }`;
  return (
    <div className="grid gap-6 md:grid-cols-[12rem_1fr]">
      <div>
        <h1 className="text-2xl font-bold">Settings</h1>
        <nav aria-label="Settings" className="mt-4">
          <ul className="space-y-1">
            {sections
              .filter((section) => loaderData.passwordAuth || section.to !== "/settings/password")
              .map((section) => (
                <li key={section.to}>
                  <NavLink to={section.to} end={section.end} className={linkClass}>
                    {section.label}
                  </NavLink>
                </li>
              ))}
          </ul>
        </nav>
      </div>
      <div className="min-w-0">
        <Outlet />
      </div>
    </div>
  );
}
