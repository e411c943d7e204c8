import type { Route } from "./+types/mail";
import { pageMeta } from "~/ui/page-meta";
import { fromThisMachineContext } from "~/web/request-context.server";
import { getConfig } from "~/config.server";
import { listDevMails } from "~/mail/mailer.server";
import { EmptyState } from "~/ui/empty-state";
import { notFound } from "~/web/not-found";
import { httpUrlOrNull } from "~/web/safe-url";
import { DateTime } from "~/ui/time";

// The mails this server would have sent, on a developer's machine without SMTP_URL.

export const meta: Route.MetaFunction = (args) =>
  pageMeta(args, "Dev mailbox", "The mails this server would have sent, kept on this machine.");

export function loader({ context }: Route.LoaderArgs) {
  // Other people's links: only for the developer at this machine.
  if (!getConfig().mail.devMailbox || !context.get(fromThisMachineContext)) throw notFound();
  return {
    mails: listDevMails().map((mail) => ({
      id: mail.id,
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      sentAt: mail.sentAt,
      links: [...mail.text.matchAll(/https?:\/\/\S+/g)]
        .map(([url]) => httpUrlOrNull(url))
        .filter((url): url is string => url !== null),
    })),
  };
}

export default function DevMailbox({ loaderData }: Route.ComponentProps) {
  const { mails } = loaderData;
  return (
    <section aria-labelledby="mailbox-title">
      <h1 id="mailbox-title" className="text-2xl font-bold">
        Dev mailbox
      </h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        SMTP_URL is not set, so mails stay on this server (the newest 50, until it restarts). Set
        SMTP_URL and MAIL_FROM to send them.
      </p>
      {mails.length === 0 ? (
        <EmptyState title="No mail yet" message="Mails appear here when the app sends one." />
      ) : (
        <ol className="mt-6 space-y-4">
          {mails.map((mail) => (
            <li key={mail.id} id={`mail-${mail.id}`} className="card">
              <article aria-label={mail.subject}>
                <h2 className="text-lg font-semibold">{mail.subject}</h2>
                <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                  To {mail.to} · from {mail.from} · <DateTime value={mail.sentAt} />
                </p>
                <ul className="mt-3 space-y-1">
                  {mail.links.map((link) => (
                    <li key={link}>
                      <a href={link} className="link break-all">
                        {link}
                      </a>
                    </li>
                  ))}
                </ul>
                <pre className="mt-3 overflow-x-auto whitespace-pre-wrap text-sm">{mail.text}</pre>
              </article>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
