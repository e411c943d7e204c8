import winkNLP, {
  type ItemSentence,
  type ItemToken,
  type ItsFunction,
  type ItsHelpers,
} from "wink-nlp";
import model from "wink-eng-lite-web-model";
import type { Segment, SummaryItem, SummarySections } from "./summary-format";

// The offline summariser: no network, no model server, the same output for the same
// transcript. wink-nlp splits each segment into sentences and tokens (normalised, with
// contractions expanded: "I'll" reads "i will", "let's" reads "let us"); a TextRank graph of
// sentence similarity picks the overview; phrases find action items, decisions and questions.

export const SUMMARY_LIMITS = {
  overview: 5,
  actionItems: 25,
  decisions: 15,
  openQuestions: 10,
  itemChars: 280,
};

type Nlp = ReturnType<typeof winkNLP>;
let loaded: { nlp: Nlp; its: ItsHelpers } | undefined;

/** Loads the language model (about a second, once per process). */
export function loadLanguageModel(): { nlp: Nlp; its: ItsHelpers } {
  if (!loaded) {
    // Sentence boundaries and parts of speech are all this needs; the rest of the pipe is off.
    const nlp = winkNLP(model, ["sbd", "pos"]);
    loaded = { nlp, its: nlp.its };
  }
  return loaded;
}

/** Loads the model and runs it once, so that the first real transcript is not the slow one. */
export function warmUpSummariser(): void {
  summariseTranscript([
    {
      position: 0,
      speaker: "A",
      startMs: 0,
      endMs: 1000,
      text: "We decided to ship. I'll write it up by Friday. Who reviews it?",
    },
  ]);
}

interface Sentence {
  index: number;
  text: string;
  /** Normalised tokens, punctuation included ("i", "will", "send", "."). */
  normals: string[];
  /** Lemmas of the words that carry meaning (no stop words, no punctuation). */
  terms: string[];
  wordCount: number;
  segment: Segment;
}

function splitSentences(segments: Segment[]): Sentence[] {
  const { nlp, its } = loadLanguageModel();
  const sentences: Sentence[] = [];
  const ordered = [...segments].sort((a, b) => a.position - b.position);
  for (const segment of ordered) {
    if (!segment.text.trim()) continue;
    nlp
      .readDoc(segment.text)
      .sentences()
      .each((s: ItemSentence) => {
        const normals: string[] = [];
        const terms: string[] = [];
        let wordCount = 0;
        // wink-nlp's typings declare its.lemma with a signature out() does not accept.
        const lemma = its.lemma as unknown as ItsFunction<string>;
        s.tokens().each((t: ItemToken) => {
          const normal = t.out(its.normal);
          normals.push(normal);
          if (t.out(its.type) !== "word") return;
          wordCount += 1;
          if (!t.out(its.stopWordFlag) && normal.length > 1) terms.push(t.out(lemma));
        });
        const text = s.out().replace(/\s+/g, " ").trim();
        if (text)
          sentences.push({ index: sentences.length, text, normals, terms, wordCount, segment });
      });
  }
  return sentences;
}

// --- Phrases ----------------------------------------------------------------------------------

function hasPhrase(tokens: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

const hasAny = (tokens: string[], phrases: string[][]) => phrases.some((p) => hasPhrase(tokens, p));

const decisionPhrases = [
  ["we", "decided"],
  ["we", "have", "decided"],
  ["decided", "to"],
  ["decision", "is"],
  ["we", "agreed"],
  ["we", "are", "agreed"],
  ["agreed", "to"],
  ["agreed", "on"],
  ["it", "is", "agreed"],
  ["let", "us", "go", "with"],
  ["we", "will", "go", "with"],
  ["we", "are", "going", "with"],
  ["we", "are", "going", "to", "go", "with"],
  ["settled", "on"],
  ["we", "chose"],
  ["final", "answer"],
];

const commitmentPhrases = [
  ["i", "will"],
  ["i", "am", "going", "to"],
  ["we", "will"],
  ["we", "need", "to"],
  ["we", "have", "to"],
  ["we", "should"],
  ["i", "need", "to"],
  ["let", "us"],
  ["action", "item"],
  ["follow", "up"],
  ["to", "do"],
  ["todo"],
  ["can", "you"],
  ["could", "you"],
  ["you", "will"],
  ["please"],
];

// "I will say", "let us see": the words of a commitment, without one.
const notCommitments = [
  ["i", "will", "say"],
  ["i", "will", "admit"],
  ["i", "will", "be", "honest"],
  ["i", "will", "tell", "you"],
  ["let", "us", "see"],
  ["let", "us", "say"],
  ["let", "us", "think"],
  ["we", "will", "see"],
];

const openQuestionPhrases = [
  ["open", "question"],
  ["not", "sure"],
  ["unclear"],
  ["do", "not", "know", "yet"],
  ["to", "be", "decided"],
  ["tbd"],
  ["figure", "out"],
  ["still", "need", "to", "decide"],
  ["not", "decided"],
];

const weekdays = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
const months =
  "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const duePattern = new RegExp(
  `\\b((?:by|before|until|on|due|next)\\s+(?:(?:the\\s+)?end\\s+of\\s+(?:the\\s+)?(?:day|week|month|quarter|sprint)|(?:next\\s+)?(?:${weekdays})|tomorrow|tonight|next\\s+week|eod|eow|(?:${months})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?|the\\s+\\d{1,2}(?:st|nd|rd|th)))\\b`,
  "i",
);

/** "by Friday", "before the end of the week": when it is due, if the sentence says. */
export function findDue(text: string): string | null {
  const match = duePattern.exec(text);
  return match ? match[1]!.replace(/\s+/g, " ") : null;
}

function isQuestion(sentence: Sentence): boolean {
  return sentence.normals.at(-1) === "?";
}

function isDecision(sentence: Sentence): boolean {
  return hasAny(sentence.normals, decisionPhrases) && !hasPhrase(sentence.normals, ["not"]);
}

function isCommitment(sentence: Sentence): boolean {
  const tokens = sentence.normals;
  if (hasAny(tokens, notCommitments)) return false;
  if (hasAny(tokens, commitmentPhrases)) return true;
  return findDue(sentence.text) !== null && sentence.wordCount >= 4;
}

function isOpenQuestion(sentence: Sentence): boolean {
  if (hasAny(sentence.normals, openQuestionPhrases)) return true;
  // "Right?", "Okay?": a question needs a few words to be one worth keeping.
  return isQuestion(sentence) && sentence.wordCount >= 4;
}

/**
 * Who the action is for: a speaker named at its start ("Bob will…", "Ada, can you…",
 * "Action item for Ada"), else whoever said it; nobody in particular when it asks "you".
 */
function ownerOf(sentence: Sentence, speakers: Map<string, string>): string | null {
  const tokens = sentence.normals.filter((t) => t !== "," && t !== ":");
  const named = (token: string | undefined) => (token ? speakers.get(token) : undefined);
  const forIndex = tokens.findIndex((t, i) => t === "for" && tokens[i - 1] === "item");
  const owner = named(tokens[0]) ?? (forIndex >= 0 ? named(tokens[forIndex + 1]) : undefined);
  if (owner) return owner;
  if (hasAny(tokens, [["can", "you"], ["could", "you"], ["you", "will"], ["please"]])) return null;
  return sentence.segment.speaker;
}

// --- TextRank ----------------------------------------------------------------------------------

interface Ranking {
  scores: Float64Array;
  /** Whether a sentence shares a meaningful word with any other. */
  connected: Uint8Array;
  /** Cosine similarity of two sentences' TF-IDF vectors. */
  similarity(a: number, b: number): number;
}

/** Sentence scores by PageRank over the graph of TF-IDF cosine similarity. */
function textRank(sentences: Sentence[]): Ranking {
  const n = sentences.length;
  const scores = new Float64Array(n).fill(1 / Math.max(1, n));
  const connected = new Uint8Array(n);
  if (n < 2) return { scores, connected, similarity: () => 0 };

  // Term weights per sentence: tf * idf, normalised to unit length.
  const documentFrequency = new Map<string, number>();
  for (const s of sentences) {
    for (const term of new Set(s.terms)) {
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
  }
  const vectors = sentences.map((s) => {
    const counts = new Map<string, number>();
    for (const term of s.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    const weights = new Map<string, number>();
    let norm = 0;
    for (const [term, count] of counts) {
      const weight = count * Math.log(n / documentFrequency.get(term)!);
      if (weight > 0) {
        weights.set(term, weight);
        norm += weight * weight;
      }
    }
    norm = Math.sqrt(norm);
    for (const [term, weight] of weights) weights.set(term, weight / norm);
    return weights;
  });

  // Dot products through an inverted index: only sentences that share a term meet.
  const postings = new Map<string, Array<[number, number]>>();
  vectors.forEach((vector, i) => {
    for (const [term, weight] of vector) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push([i, weight]);
    }
  });
  const edges: Array<Array<[number, number]>> = Array.from({ length: n }, () => []);
  const outWeight = new Float64Array(n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const touched: number[] = [];
    for (const [term, weight] of vectors[i]!) {
      for (const [j, other] of postings.get(term)!) {
        if (j === i) continue;
        if (row[j] === 0) touched.push(j);
        row[j]! += weight * other;
      }
    }
    touched.sort((a, b) => a - b);
    if (touched.length > 0) connected[i] = 1;
    for (const j of touched) {
      edges[i]!.push([j, row[j]!]);
      outWeight[i]! += row[j]!;
      row[j] = 0;
    }
  }

  const damping = 0.85;
  let current = scores;
  for (let iteration = 0; iteration < 50; iteration++) {
    const next = new Float64Array(n).fill((1 - damping) / n);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      if (outWeight[i] === 0) {
        dangling += current[i]!;
        continue;
      }
      const share = (damping * current[i]!) / outWeight[i]!;
      for (const [j, weight] of edges[i]!) next[j]! += share * weight;
    }
    let delta = 0;
    for (let i = 0; i < n; i++) {
      next[i]! += (damping * dangling) / n;
      delta += Math.abs(next[i]! - current[i]!);
    }
    current = next;
    if (delta < 1e-9) break;
  }
  const similarity = (a: number, b: number) => {
    let dot = 0;
    for (const [term, weight] of vectors[a]!) dot += weight * (vectors[b]!.get(term) ?? 0);
    return dot;
  };
  return { scores: current, connected, similarity };
}

/** The best `limit` of `candidates` by score (ties: the earlier), then in transcript order. */
function pick(candidates: Sentence[], ranking: Ranking, limit: number) {
  const { scores } = ranking;
  const ranked = [...candidates].sort(
    (a, b) => scores[b.index]! - scores[a.index]! || a.index - b.index,
  );
  return ranked.slice(0, limit).sort((a, b) => a.index - b.index);
}

/**
 * The overview: the most central statements, each saying something the others chosen do not
 * (no near-repeats), and none that shares no word with the rest of the meeting (an aside).
 */
function pickOverview(candidates: Sentence[], ranking: Ranking, limit: number) {
  const { scores, connected, similarity } = ranking;
  const mean = candidates.reduce((sum, s) => sum + scores[s.index]!, 0) / candidates.length;
  const ranked = [...candidates].sort(
    (a, b) => scores[b.index]! - scores[a.index]! || a.index - b.index,
  );
  const chosen: Sentence[] = [];
  for (const sentence of ranked) {
    if (chosen.length >= limit) break;
    const central = connected[sentence.index] === 1 && scores[sentence.index]! >= mean;
    if (chosen.length > 0 && !central) break;
    if (chosen.some((other) => similarity(sentence.index, other.index) > 0.7)) continue;
    chosen.push(sentence);
  }
  return chosen.sort((a, b) => a.index - b.index);
}

function shorten(text: string, max = SUMMARY_LIMITS.itemChars): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function item(sentence: Sentence, speaker = sentence.segment.speaker): SummaryItem {
  return {
    text: shorten(sentence.text),
    speaker,
    atMs: sentence.segment.startMs,
    position: sentence.segment.position,
  };
}

/**
 * Overview, action items, decisions and open questions of a transcript. Deterministic: the
 * same segments always give the same sections.
 */
export function summariseTranscript(segments: Segment[]): SummarySections {
  const sentences = splitSentences(segments);
  const ranking = textRank(sentences);

  const speakers = new Map<string, string>();
  for (const segment of segments) {
    const first = segment.speaker?.trim().split(/\s+/)[0]?.toLowerCase();
    if (first && segment.speaker && !speakers.has(first)) speakers.set(first, segment.speaker);
  }

  const decisions: Sentence[] = [];
  const actions: Sentence[] = [];
  const questions: Sentence[] = [];
  for (const sentence of sentences) {
    if (isDecision(sentence)) decisions.push(sentence);
    else if (isCommitment(sentence)) actions.push(sentence);
    else if (isOpenQuestion(sentence)) questions.push(sentence);
  }
  const flagged = new Set([...decisions, ...actions, ...questions]);
  const overviewCandidates = sentences.filter(
    (s) => !flagged.has(s) && !isQuestion(s) && s.wordCount >= 6 && s.wordCount <= 60,
  );

  return {
    overview: pickOverview(
      overviewCandidates.length ? overviewCandidates : sentences.filter((s) => s.wordCount >= 3),
      ranking,
      SUMMARY_LIMITS.overview,
    ).map((s) => item(s)),
    actionItems: pick(actions, ranking, SUMMARY_LIMITS.actionItems).map((s) => ({
      ...item(s, ownerOf(s, speakers)),
      due: findDue(s.text),
    })),
    decisions: pick(decisions, ranking, SUMMARY_LIMITS.decisions).map((s) => item(s)),
    openQuestions: pick(questions, ranking, SUMMARY_LIMITS.openQuestions).map((s) => item(s)),
  };
}
