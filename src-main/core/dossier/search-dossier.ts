/**
 * A dossier's search: Backfile's query syntax (core/query.ts) answered from a lunr index built with Backfile's
 * tokens (core/tokenize.ts), so a dossier finds what Backfile finds over the same posts. It runs in the dossier's
 * page (bundled with the tokenizer, lunr passed in as the page's global) and in Node (tests).
 *
 * lunr finds the posts holding every token of a word (its CJK bigrams, its stem) in one field; Backfile matches a
 * word as a phrase (consecutive tokens, in one column), so a longer word's candidates are checked against the
 * post's text: a purely CJK word as a substring (bigrams at consecutive positions are exactly that), anything
 * else by tokenising the field and looking for the token run. A trailing one-character CJK run is a prefix, as
 * in Backfile (lunr's trailing wildcard).
 */
import type lunr from 'lunr';
import { MAX_PHRASE_TOKENS, normalizeName, parseQuery, type QueryTerm } from '../query';
import { phraseTokens, segments, tokenize } from '../tokenize';
import { DOSSIER_FIELDS, type DossierData, type DossierField } from './dossier-data';

/** The lunr namespace (the page's global `lunr`, or the module in Node): only Query's constants are read. */
export type LunrNamespace = Pick<typeof lunr, 'Query'>;

export interface DossierSearchResult {
  /** Document numbers (indexes into `docs`), best first; in the dossier's order for a query without words. */
  refs: number[];
  /** How the query was read when it could not be read as written (core/query.ts). */
  notices: string[];
}

type TextTerm = Extract<QueryTerm, { kind: 'text' }>;

/** Does the token run `want` (the last one a prefix when `prefix`) occur in `have` at consecutive positions? */
function hasRun(have: readonly string[], want: readonly string[], prefix: boolean): boolean {
  const last = want.length - 1;
  for (let i = 0; i + last < have.length; i++) {
    let ok = true;
    for (let j = 0; j <= last && ok; j++) {
      const token = have[i + j]!;
      ok = j === last && prefix ? token.startsWith(want[j]!) : token === want[j];
    }
    if (ok) return true;
  }
  return false;
}

/** Does the field's text hold the phrase as Backfile's index would match it? */
function fieldHolds(text: string, term: TextTerm, tokens: readonly string[], prefix: boolean): boolean {
  const segs = segments(term.text);
  // One CJK run (not a prefix, at least two characters): consecutive bigrams = the run as a substring.
  if (segs.length === 1 && segs[0]!.kind === 'cjk' && !prefix && tokens.length < MAX_PHRASE_TOKENS) return text.includes(segs[0]!.text);
  return hasRun(tokenize(text), tokens, prefix);
}

/** Where a document matched, weighed as Backfile's bm25 weighs its columns: title 10, meta 3, body 1 (once per token). */
const WEIGHTS: Record<DossierField, number> = { title: 10, meta: 3, body: 1 };

function fieldScore(metadata: Record<string, Record<string, unknown>>): number {
  let score = 0;
  for (const fields of Object.values(metadata)) for (const field of Object.keys(fields)) score += WEIGHTS[field as DossierField] ?? 0;
  return score;
}

export class DossierSearch {
  constructor(
    private readonly lunrNs: LunrNamespace,
    private readonly index: lunr.Index,
    private readonly data: DossierData,
  ) {}

  /** Documents matching one word or phrase, with lunr's score. */
  private matchText(term: TextTerm): Map<number, number> | null {
    let { tokens, prefix } = phraseTokens(term.text);
    if (tokens.length === 0) return null;
    if (tokens.length > MAX_PHRASE_TOKENS) {
      tokens = tokens.slice(0, MAX_PHRASE_TOKENS);
      prefix = false;
    }
    const fields: DossierField[] = term.titleOnly ? ['title'] : [...DOSSIER_FIELDS];
    const { Query } = this.lunrNs;
    // lunr requires each token in any of the fields; the phrase check below asks for one field holding them all.
    const hits = this.index.query((q) => {
      tokens.forEach((token, i) => {
        q.term(token, {
          fields,
          presence: Query.presence.REQUIRED,
          usePipeline: false,
          wildcard: prefix && i === tokens.length - 1 ? Query.wildcard.TRAILING : Query.wildcard.NONE,
        });
      });
    });
    const out = new Map<number, number>();
    for (const hit of hits) {
      const ref = Number(hit.ref);
      const text = this.data.texts[ref];
      if (tokens.length > 1 && (!text || !fields.some((f) => fieldHolds(text[f], term, tokens, prefix)))) continue;
      out.set(ref, fieldScore(hit.matchData.metadata as Record<string, Record<string, unknown>>));
    }
    return out;
  }

  search(query: string): DossierSearchResult {
    const ast = parseQuery(query);
    const docs = this.data.docs;
    let wanted: Map<number, number> | null = null;
    const excluded = new Set<number>();
    const keep = (ref: number, ok: boolean): void => {
      if (!ok) excluded.add(ref);
    };
    const bounds: { after: string | null; before: string | null } = { after: null, before: null };
    for (const clause of ast.clauses) {
      const first = clause.terms[0];
      if (!first) continue;
      if (first.kind === 'text') {
        const matches = clause.terms.filter((t): t is TextTerm => t.kind === 'text').map((t) => this.matchText(t)).filter((m) => m !== null);
        if (matches.length === 0) continue;
        const union = new Map<number, number>();
        for (const m of matches) for (const [ref, score] of m) union.set(ref, (union.get(ref) ?? 0) + score);
        if (clause.negated) {
          for (const ref of union.keys()) excluded.add(ref);
        } else if (wanted === null) wanted = union;
        else {
          const next = new Map<number, number>();
          for (const [ref, score] of union) {
            const had = wanted.get(ref);
            if (had !== undefined) next.set(ref, had + score);
          }
          wanted = next;
        }
      } else if (first.kind === 'tag' || first.kind === 'category') {
        const names = clause.terms.flatMap((t) => (t.kind === first.kind ? [normalizeName(t.value)] : [])).filter(Boolean);
        if (names.length === 0) continue;
        docs.forEach((doc, ref) => {
          const keys = first.kind === 'tag' ? doc.tagKeys : doc.categoryKeys;
          const has = names.some((n) => keys.includes(n));
          keep(ref, clause.negated ? !has : has);
        });
      } else if (first.kind === 'date') {
        const bound = clause.negated ? (first.bound === 'after' ? 'before' : 'after') : first.bound;
        if (bound === 'after') bounds.after = bounds.after === null || first.day > bounds.after ? first.day : bounds.after;
        else bounds.before = bounds.before === null || first.day < bounds.before ? first.day : bounds.before;
      }
    }
    const { after, before } = bounds;
    if (after !== null || before !== null) {
      docs.forEach((doc, ref) => {
        const day = doc.date?.slice(0, 10) ?? null;
        keep(ref, day !== null && (after === null || day >= after) && (before === null || day < before));
      });
    }
    const refs = wanted === null
      ? docs.map((_, ref) => ref).filter((ref) => !excluded.has(ref))
      : [...wanted].filter(([ref]) => !excluded.has(ref)).sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([ref]) => ref);
    return { refs, notices: ast.notices };
  }
}
