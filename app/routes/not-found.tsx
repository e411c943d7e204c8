import type { Route } from "./+types/not-found";

// Unknown addresses render the root error boundary's 404 page inside the layout.
export function loader(_: Route.LoaderArgs): never {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return null;
}
