import { Fragment } from "react";
import { Link } from "react-router";
import { parseSummary, type SummaryInline } from "./summary-format";

// The stored summary on the page: its headings, lists and links as React elements. Nothing in
// it is ever HTML: text stays text, and links lead only to app paths or http(s) addresses.

function Inline({ parts }: { parts: SummaryInline[] }) {
  return (
    <>
      {parts.map((part, i) => {
        if (part.type === "strong") return <strong key={i}>{part.text}</strong>;
        if (part.type === "text") return <Fragment key={i}>{part.text}</Fragment>;
        return part.href.startsWith("/") ? (
          <Link key={i} to={part.href} className="link">
            {part.text}
          </Link>
        ) : (
          <a key={i} href={part.href} rel="noopener noreferrer nofollow" className="link">
            {part.text}
          </a>
        );
      })}
    </>
  );
}

export function SummaryView({ text }: { text: string }) {
  const blocks = parseSummary(text);
  return (
    <div className="space-y-3 break-words" data-testid="summary">
      {blocks.map((block, i) => {
        switch (block.type) {
          case "heading":
            return (
              <h3 key={i} className="pt-2 text-base font-semibold">
                {block.text}
              </h3>
            );
          case "list":
            return (
              <ul key={i} className="list-disc space-y-1 pl-5">
                {block.items.map((parts, j) => (
                  <li key={j}>
                    <Inline parts={parts} />
                  </li>
                ))}
              </ul>
            );
          case "paragraph":
            return (
              <p key={i}>
                {block.lines.map((parts, j) => (
                  <Fragment key={j}>
                    {j > 0 ? <br /> : null}
                    <Inline parts={parts} />
                  </Fragment>
                ))}
              </p>
            );
        }
      })}
    </div>
  );
}
