import { Form, Link } from "react-router";
import type { Route } from "./+types/_index";
import { getOptionalUser } from "~/auth/guards.server";

export const meta: Route.MetaFunction = () => [
  { title: "SMTG Notion" },
  {
    name: "description",
    content: "Define AI agents and run meetings with them.",
  },
];

export function loader({ context }: Route.LoaderArgs) {
  const user = getOptionalUser({ context });
  return { user: user ? { name: user.name } : null };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { user } = loaderData;
  if (!user) return <Landing />;
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title" className="text-2xl font-bold">
        Welcome, {user.name}
      </h1>
      <p className="mt-2 text-slate-600 dark:text-slate-300">
        Define agents, then run meetings with them.
      </p>
      <div className="mt-6 flex flex-wrap gap-3">
        <Link to="/agents" className="btn btn-primary">
          Your agents
        </Link>
        <Link to="/meetings" className="btn btn-secondary">
          Your meetings
        </Link>
      </div>
    </section>
  );
}

function Landing() {
  return (
    <section className="py-12 text-center" aria-labelledby="landing-title">
      <h1 id="landing-title" className="text-4xl font-bold tracking-tight sm:text-5xl">
        Meetings with your AI agents
      </h1>
      <p className="mx-auto mt-4 max-w-2xl text-lg text-slate-600 dark:text-slate-300">
        Give each agent a name, instructions and a GitHub repository to know about. Schedule
        meetings, run them, and keep the transcript, recording and summary in one place.
      </p>
      <Form method="post" action="/login" reloadDocument className="mt-8">
        <button type="submit" className="btn btn-primary px-6 py-3 text-base">
          Sign in with GitHub
        </button>
      </Form>
    </section>
  );
}
