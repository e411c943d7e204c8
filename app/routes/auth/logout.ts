import { redirect } from "react-router";
import type { Route } from "./+types/logout";
import {
  deleteSession,
  readSessionToken,
  serializeClearedSessionCookie,
} from "~/auth/session.server";
import { getDb } from "~/db/client.server";

export async function action({ request }: Route.ActionArgs) {
  const token = await readSessionToken(request);
  if (token) await deleteSession(getDb(), token);
  return redirect("/", {
    headers: { "Set-Cookie": await serializeClearedSessionCookie() },
  });
}

export function loader() {
  // Signing out is a POST; a visit here just goes home.
  return redirect("/");
}
