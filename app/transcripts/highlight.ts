// Search matches come from PostgreSQL's ts_headline, marked with two control characters that
// no stored text holds (imports and forms remove them), and become <mark> elements in React:
// the text itself is never treated as HTML.

export const MATCH_START = "\u0002";
export const MATCH_END = "\u0003";

/** ts_headline's options: our markers, and `extra` (such as HighlightAll=true). */
export function headlineOptions(extra: string): string {
  return `StartSel=${MATCH_START}, StopSel=${MATCH_END}, ${extra}`;
}

export type TextPart = { text: string; match: boolean };

/** "a \u0002b\u0003 c" → [a ] [b, a match] [ c]. */
export function splitMatches(marked: string): TextPart[] {
  const parts: TextPart[] = [];
  for (const [i, piece] of marked.split(MATCH_START).entries()) {
    const end = piece.indexOf(MATCH_END);
    if (i === 0 || end === -1) {
      if (piece) parts.push({ text: piece.replaceAll(MATCH_END, ""), match: false });
      continue;
    }
    if (end > 0) parts.push({ text: piece.slice(0, end), match: true });
    const rest = piece.slice(end + 1).replaceAll(MATCH_END, "");
    if (rest) parts.push({ text: rest, match: false });
  }
  return parts;
}
