import { Link } from "react-router";

export function EmptyState({
  title,
  message,
  action,
}: {
  title: string;
  message: string;
  action?: { to: string; label: string };
}) {
  return (
    <div className="mt-6 rounded-lg border-2 border-dashed border-slate-300 p-10 text-center dark:border-slate-700">
      <h2 className="text-lg font-semibold">{title}</h2>
      <p className="mx-auto mt-2 max-w-md text-sm text-slate-600 dark:text-slate-300">{message}</p>
      {action ? (
        <Link to={action.to} className="btn btn-primary mt-4">
          {action.label}
        </Link>
      ) : null}
    </div>
  );
}
