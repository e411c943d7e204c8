import { data } from "react-router";
import { checkDatabase, getDb } from "~/db/client.server";

export async function loader() {
  const database = await checkDatabase(getDb());
  return data(
    { status: database.ok ? "ok" : "unavailable", database },
    {
      status: database.ok ? 200 : 503,
      headers: { "Cache-Control": "no-store" },
    },
  );
}
