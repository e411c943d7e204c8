import { data, Link, redirect } from "react-router";
import type { Route } from "./+types/transcript-import";
import { requireUser } from "~/auth/guards.server";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/client.server";
import { getMeeting } from "~/meetings/queries.server";
import { importTranscript, type TranscriptSource } from "~/transcripts/import.server";
import { TranscriptImportForm } from "~/transcripts/import-form";
import { transcriptPath } from "~/transcripts/paths";
import { getTranscript } from "~/transcripts/queries.server";
import { formatNames, formatSize } from "~/transcripts/segments";
import { acceptsTranscript, transcriptImportSchema } from "~/transcripts/validation";
import { flashHeaders } from "~/web/flash.server";
import { notFound } from "~/web/not-found";
import { parseForm } from "~/web/form.server";
import { readUpload } from "~/web/upload.server";

export const meta: Route.MetaFunction = ({ data }) => [
  {
    title: data
      ? `Add a transcript · ${data.meeting.name} · SMTG Notion`
      : "Add a transcript · SMTG Notion",
  },
];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const meeting = await getMeeting(getDb(), user.id, args.params.meetingId);
  if (!meeting) throw notFound();
  const transcript = await getTranscript(getDb(), user.id, meeting.id);
  return {
    meeting: {
      id: meeting.id,
      name: meeting.name,
      canAddTranscript: acceptsTranscript(meeting.status),
    },
    segmentCount: transcript?.segmentCount ?? null,
    maxBytes: getConfig().transcripts.maxBytes,
  };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const db = getDb();
  const { meetingId } = args.params;
  if (!(await getMeeting(db, user.id, meetingId))) throw notFound();

  // Streaming and capped at the transcript limit, not at the forms' FORM_MAX_BYTES.
  const { maxBytes } = getConfig().transcripts;
  const upload = await readUpload(args, { maxFileBytes: maxBytes });
  const submission = parseForm(upload.formData, transcriptImportSchema);
  if (upload.tooLarge) {
    const { name } = upload.tooLarge;
    const message = `${name} is larger than ${formatSize(maxBytes)}, the largest transcript we take.`;
    return data(
      { result: submission.reply({ fieldErrors: { file: [message] } }) },
      { status: 413 },
    );
  }
  if (submission.status !== "success") {
    return data({ result: submission.reply() }, { status: 400 });
  }

  const { file, url } = submission.value;
  const source: TranscriptSource = file
    ? { file: { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } }
    : { url: url! };
  const result = await importTranscript(db, user.id, meetingId, source);
  switch (result.status) {
    case "not_found":
      throw notFound();
    case "refused":
      return data(
        {
          result: submission.reply({
            formErrors: ["A transcript can be added once the meeting has started."],
          }),
        },
        { status: 409 },
      );
    case "invalid": {
      // Beside the field it came from; for a file, with the file's name.
      const fieldErrors: Record<string, string[]> = file
        ? { file: [`${file.name}: ${result.message}`] }
        : { url: [result.message] };
      return data({ result: submission.reply({ fieldErrors }) }, { status: result.httpStatus });
    }
    case "imported": {
      const count = `${result.segmentCount.toLocaleString("en-US")} ${result.segmentCount === 1 ? "segment" : "segments"}`;
      throw redirect(transcriptPath(meetingId), {
        headers: await flashHeaders(`Transcript added: ${count} of ${formatNames[result.format]}`),
      });
    }
  }
}

export default function ImportTranscript({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting, segmentCount, maxBytes } = loaderData;
  return (
    <section aria-labelledby="import-title" className="max-w-2xl">
      <p className="text-sm">
        <Link to={`/meetings/${meeting.id}`} className="link">
          ← {meeting.name}
        </Link>
      </p>
      <h1 id="import-title" className="mt-2 text-2xl font-bold break-words">
        {segmentCount === null ? "Add a transcript" : "Replace the transcript"}
      </h1>
      {meeting.canAddTranscript ? (
        <div className="card mt-6">
          {segmentCount !== null ? (
            <p className="text-sm text-slate-600 dark:text-slate-300">
              This meeting has a transcript of {segmentCount.toLocaleString("en-US")} segments; a
              new one replaces it. Speaker names stay with their labels.
            </p>
          ) : null}
          <TranscriptImportForm
            meetingId={meeting.id}
            maxBytes={maxBytes}
            replacing={segmentCount !== null}
            lastResult={actionData?.result}
          />
        </div>
      ) : (
        <p className="card mt-6">A transcript can be added once the meeting has started.</p>
      )}
    </section>
  );
}
