import { create as contentDisposition } from "content-disposition";
import type { Route } from "./+types/transcript-export";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import { getMeeting } from "~/meetings/queries.server";
import { isExportFormat } from "~/transcripts/export-formats";
import { renderExport } from "~/transcripts/exports";
import { getTranscript, listSegments } from "~/transcripts/queries.server";
import { notFound } from "~/web/not-found";

// GET /meetings/:meetingId/transcript/export/:format: the transcript as a download.
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const { meetingId, format } = args.params;
  if (!isExportFormat(format)) throw notFound();
  const db = getDb();
  const meeting = await getMeeting(db, user.id, meetingId);
  if (!meeting || !(await getTranscript(db, user.id, meetingId))) throw notFound();
  const file = renderExport(format, meeting, await listSegments(db, user.id, meetingId));
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": contentDisposition(file.filename),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
