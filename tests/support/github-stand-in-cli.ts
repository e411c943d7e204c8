// Runs the GitHub stand-in on its own: `npx tsx tests/support/github-stand-in-cli.ts`.
import { createGitHubStandIn } from "~/sandbox/github/server";

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`GitHub stand-in: set ${name}.`);
    process.exit(1);
  }
  return value;
}

const port = Number(process.env.STAND_IN_PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error("GitHub stand-in: STAND_IN_PORT must be a port number.");
  process.exit(1);
}

const standIn = createGitHubStandIn({
  clients: [
    {
      clientId: required("STAND_IN_CLIENT_ID"),
      clientSecret: required("STAND_IN_CLIENT_SECRET"),
      callbackUrl: required("STAND_IN_CALLBACK_URL"),
      expiringTokens: process.env.STAND_IN_EXPIRING_TOKENS === "1",
      name: process.env.STAND_IN_APP_NAME || undefined,
    },
  ],
  stateFile: process.env.STAND_IN_STATE_FILE || undefined,
});

const server = await standIn.listen(port, process.env.STAND_IN_HOST || "127.0.0.1");
console.log(`GitHub stand-in listening on ${server.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close().finally(() => process.exit(0));
  });
}
