import { Fragment } from "react";
import { splitMatches } from "./highlight";

/** Text with its search matches in <mark>; the text is only ever text, never HTML. */
export function HighlightedText({ text }: { text: string }) {
  return (
    <>
      {splitMatches(text).map((part, i) =>
        part.match ? (
          <mark key={i} className="rounded-sm bg-amber-200 px-0.5 text-inherit dark:bg-amber-700">
            {part.text}
          </mark>
        ) : (
          <Fragment key={i}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}
