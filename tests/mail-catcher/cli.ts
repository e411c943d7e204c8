// Runs the mail catcher on its own: `npx tsx tests/mail-catcher/cli.ts`.
import { createMailCatcher } from "./server.js";

function port(name: string): number {
  const value = Number(process.env[name] ?? 0);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`Mail catcher: ${name} must be a port number.`);
    process.exit(1);
  }
  return value;
}

const server = await createMailCatcher().listen({
  smtpPort: port("MAIL_CATCHER_SMTP_PORT"),
  httpPort: port("MAIL_CATCHER_HTTP_PORT"),
});
console.log(`Mail catcher listening on ${server.smtpUrl} (SMTP) and ${server.httpUrl} (HTTP)`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close().finally(() => process.exit(0));
  });
}
