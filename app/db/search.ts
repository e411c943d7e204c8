import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

/** LIKE pattern for a substring match that treats % and _ as plain characters. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The text search configuration of every full-text document, index and query: English stems
 * words ("deployed" finds "deploy") and skips stop words ("the"). An index applies only to
 * queries that use the same configuration, so everything goes through the two functions below.
 */
export const SEARCH_CONFIG = "english";
const config = sql.raw(`'${SEARCH_CONFIG}'`);

/** The full-text document of `text` (a tsvector). */
export function searchDocument(text: SQLWrapper): SQL {
  return sql`to_tsvector(${config}, ${text})`;
}

/** What someone typed in a search box, as a query: words, "quoted phrases", -excluded, or. */
export function searchQuery(q: string): SQL {
  return sql`websearch_to_tsquery(${config}, ${q})`;
}

/** Whether a full-text document (a tsvector column or searchDocument(…)) matches `q`. */
export function matchesSearch(document: SQLWrapper, q: string): SQL<boolean> {
  return sql<boolean>`${document} @@ ${searchQuery(q)}`;
}

/** `text` with the words that match `q` marked, per ts_headline's `options`. */
export function searchHeadline(text: SQLWrapper, q: string, options: string): SQL<string> {
  return sql<string>`ts_headline(${config}, ${text}, ${searchQuery(q)}, ${options})`;
}
