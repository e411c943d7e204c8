import type { MetaDescriptor } from "react-router";

export const siteName = "SMTG Notion";

/** What a meta function receives that this helper reads: the matched routes' loader data. */
interface MetaArgsWithMatches {
  matches: ReadonlyArray<{ id: string; data?: unknown } | undefined>;
}

/**
 * A page's title ("Meetings · SMTG Notion") and description. The root loader says when the page
 * answers a form POST, which means a refused form (every accepted form redirects): the title
 * then starts with "Error: ", the first thing a screen reader reads of a new page.
 */
export function pageMeta(
  { matches }: MetaArgsWithMatches,
  title: string | null,
  description: string,
): MetaDescriptor[] {
  const root = matches.find((match) => match?.id === "root")?.data as
    { refusedForm?: boolean } | undefined;
  const full = title ? `${title} · ${siteName}` : siteName;
  return [
    { title: root?.refusedForm ? `Error: ${full}` : full },
    { name: "description", content: description },
  ];
}
