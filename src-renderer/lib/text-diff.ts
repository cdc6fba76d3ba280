/**
 * The diff of two versions of a story, at the granularity Chinese text needs: sentences first (split at 。！？；…,
 * their half-width forms and line breaks), then characters inside a pair of changed sentences, so a reworded
 * phrase shows inline. Never whitespace-separated words: Chinese has none. The diffs are jsdiff's (`diff`).
 */
import { diffArrays, diffChars, type ChangeObject } from 'diff';

/** A piece of one side of a changed sentence: common to both, or only on this side. */
export interface DiffSegment {
  text: string;
  change: 'same' | 'removed' | 'added';
}

/**
 * One row of the side-by-side view. `left` is the open post, `right` the other version: `removed` is a sentence
 * the other version dropped, `added` one it added, `changed` a pair of similar sentences with their characters
 * marked.
 */
export type DiffRow =
  | { kind: 'same'; text: string }
  | { kind: 'removed'; text: string }
  | { kind: 'added'; text: string }
  | { kind: 'changed'; left: DiffSegment[]; right: DiffSegment[] };

export interface StoryDiff {
  rows: DiffRow[];
  added: number;
  removed: number;
  changed: number;
  same: number;
  /** More sentences differ than MAX_SENTENCE_EDITS: no rows (the texts are not versions of one story). */
  tooDifferent: boolean;
}

/** jsdiff gives up past this many sentence edits, so a huge unlike pair never freezes the window. */
export const MAX_SENTENCE_EDITS = 2000;
/** Character edits inside one pair of sentences past which they are shown as one dropped and one added. */
const MAX_CHAR_EDITS = 500;

const BLOCKS = 'p, div, li, h1, h2, h3, h4, h5, h6, blockquote, pre, tr, figcaption, dt, dd, section, article, table, ul, ol';

/**
 * The plain text of sanitised article HTML, one line per block. Parsed with DOMParser into an inert document
 * (nothing is run or fetched) and read as text, so no HTML reaches the diff view.
 */
export function htmlToText(html: string): string {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  for (const el of doc.body.querySelectorAll('script, style, template')) el.remove();
  for (const br of doc.body.querySelectorAll('br')) br.replaceWith('\n');
  for (const el of doc.body.querySelectorAll(BLOCKS)) {
    el.before('\n');
    el.after('\n');
  }
  return (doc.body.textContent ?? '')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

// A sentence runs to its end mark (with closing quotes and brackets after it) or to a line break.
const SENTENCE = /[^\n。！？；!?;…]*(?:(?:[。！？；!?;]+|…+)[”’」』）)\]"']*|\n|$)/g;

/** Sentences of plain text, trimmed, in order; a line without an end mark is one sentence. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(SENTENCE)) {
    const sentence = match[0].trim();
    if (sentence) out.push(sentence);
  }
  return out;
}

/** Characters the two sentences share, as a share of their lengths (0 to 1). */
function likeness(parts: ChangeObject<string>[], a: string, b: string): number {
  const common = parts.filter((p) => !p.added && !p.removed).reduce((n, p) => n + p.value.length, 0);
  return a.length + b.length === 0 ? 1 : (2 * common) / (a.length + b.length);
}

/** Sentences this alike or more are shown as one changed pair; below it, as one dropped and one added. */
export const PAIR_LIKENESS = 0.4;

function pairRows(removed: string[], added: string[]): DiffRow[] {
  const rows: DiffRow[] = [];
  let i = 0;
  let j = 0;
  while (i < removed.length && j < added.length) {
    const a = removed[i] ?? '';
    const b = added[j] ?? '';
    const parts = diffChars(a, b, { maxEditLength: MAX_CHAR_EDITS });
    if (parts && likeness(parts, a, b) >= PAIR_LIKENESS) {
      rows.push({
        kind: 'changed',
        left: parts.filter((p) => !p.added).map((p) => ({ text: p.value, change: p.removed ? 'removed' : 'same' })),
        right: parts.filter((p) => !p.removed).map((p) => ({ text: p.value, change: p.added ? 'added' : 'same' })),
      });
      i++;
      j++;
    } else if (removed.length - i >= added.length - j) {
      rows.push({ kind: 'removed', text: a });
      i++;
    } else {
      rows.push({ kind: 'added', text: b });
      j++;
    }
  }
  for (; i < removed.length; i++) rows.push({ kind: 'removed', text: removed[i] ?? '' });
  for (; j < added.length; j++) rows.push({ kind: 'added', text: added[j] ?? '' });
  return rows;
}

/** The sentence rows of two plain texts, `left` the open post and `right` the other version. */
export function diffStory(left: string, right: string): StoryDiff {
  const rows: DiffRow[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = (): void => {
    rows.push(...pairRows(removed, added));
    removed = [];
    added = [];
  };
  const parts = diffArrays(splitSentences(left), splitSentences(right), { maxEditLength: MAX_SENTENCE_EDITS });
  if (!parts) return { rows: [], added: 0, removed: 0, changed: 0, same: 0, tooDifferent: true };
  for (const part of parts) {
    if (part.removed) removed.push(...part.value);
    else if (part.added) added.push(...part.value);
    else {
      flush();
      for (const text of part.value) rows.push({ kind: 'same', text });
    }
  }
  flush();
  const count = (kind: DiffRow['kind']): number => rows.filter((r) => r.kind === kind).length;
  return { rows, added: count('added'), removed: count('removed'), changed: count('changed'), same: count('same'), tooDifferent: false };
}
