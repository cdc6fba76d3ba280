/**
 * Front matter, read the way Jekyll reads it, without gray-matter's dangerous defaults:
 * gray-matter `eval`s `---js` blocks and caches results per input string when called without options.
 * Here every call passes fresh options, every engine is ours, and only YAML (safe, YAML 1.2 core schema) and
 * JSON are ever parsed; any other language is reported and never run.
 */
import matter from 'gray-matter';
import type { FrontMatterResult } from './types';
import { Lexer, Parser, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { simpleYaml } from './simple-yaml';

/** A front-matter result that also says how serious its problem is. */
export interface FrontMatterParse extends FrontMatterResult {
  /** `error`: the front matter could not be used; `warning`: it was read, but something was guessed. */
  problemSeverity?: 'error' | 'warning';
}

interface Split {
  /** Blank lines before the opening `---`: block line n is file line n + lineOffset. */
  lineOffset: number;
  /** What follows the opening `---`, as written (`js` in `---js`). */
  language: string;
  /** The text gray-matter sees: the opening `---` at offset 0, up to the closing `---`. */
  source: string;
  /** What the engine parses: from the end of the opening `---`/language to the closing line. */
  block: string;
  body: string;
}

/** Limits that keep a hostile file from stalling or crashing the indexer. */
const MAX_FRONT_MATTER_CHARS = 64 * 1024;
const MAX_DEPTH = 50;
const MAX_ALIAS_COUNT = 20;

class FrontMatterRejected extends Error {}

const SUPPORTED = new Set(['', 'yaml', 'yml', 'json']);

/**
 * `fast: false` always takes the full YAML parser (tests compare both paths); by default the simple
 * `key: value` front matter of real archives is read by simpleYaml, which gives the same result in a
 * fraction of the time and hands anything less simple to the full parser.
 */
export function parseFrontMatter(text: string, options: { fast?: boolean } = {}): FrontMatterParse {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const split = splitFrontMatter(withoutBom);
  if (split === null) return { data: {}, body: withoutBom, hasFrontMatter: false };
  if (split === 'unclosed') {
    return {
      data: {},
      body: withoutBom,
      hasFrontMatter: false,
      problem: "front matter starts with '---' but is never closed; the whole file is read as the body",
      problemSeverity: 'warning',
    };
  }
  const { body } = split;
  const language = split.language.trim().toLowerCase();
  if (!SUPPORTED.has(language)) {
    return reject(body, `unsupported front matter language '${split.language.trim()}' (not executed)`);
  }
  if (language !== 'json' && options.fast !== false) {
    const simple = simpleYaml(split.block, MAX_FRONT_MATTER_CHARS);
    if (simple !== null) return { data: simple, body, hasFrontMatter: true };
  }
  let data: unknown;
  try {
    // Fresh options object on every call: gray-matter caches (and returns stale results) only without options.
    data = matter(split.source, { language: 'yaml', excerpt: false, engines: safeEngines() }).data;
  } catch (error) {
    return reject(body, describeError(error, language, split));
  }
  if (data === null || data === undefined) return { data: {}, body, hasFrontMatter: true };
  if (typeof data !== 'object' || Array.isArray(data) || data instanceof String) {
    const found = Array.isArray(data) ? 'a list' : `a single value (${JSON.stringify(String(data)).slice(0, 40)})`;
    return reject(body, `front matter is ${found}, not a set of fields; ignored`);
  }
  return { data: data as Record<string, unknown>, body, hasFrontMatter: true };
}

function reject(body: string, problem: string): FrontMatterParse {
  return { data: {}, body, hasFrontMatter: true, problem, problemSeverity: 'error' };
}

/**
 * Every engine gray-matter could pick is replaced, including its built-in `javascript` (which calls `eval`).
 * Unknown names never reach gray-matter: `parseFrontMatter` checks the language first.
 */
function safeEngines(): Record<string, { parse: (input: string) => object }> {
  const refuse = (name: string) => ({
    parse: (): object => {
      throw new FrontMatterRejected(`unsupported front matter language '${name}' (not executed)`);
    },
  });
  const yaml = { parse: (input: string) => parseYaml(input) as object };
  return {
    yaml,
    yml: yaml,
    json: { parse: (input: string) => JSON.parse(checkLimits(input)) as object },
    javascript: refuse('javascript'),
    js: refuse('js'),
    coffee: refuse('coffee'),
    coffeescript: refuse('coffeescript'),
    cson: refuse('cson'),
    toml: refuse('toml'),
  };
}

function describeError(error: unknown, language: string, split: Split): string {
  if (error instanceof FrontMatterRejected) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').trim();
  if (language === 'json') return `invalid JSON front matter: ${firstLine}`;
  if (/excessive alias count/i.test(firstLine)) {
    return `YAML front matter rejected: too many aliases (${firstLine})`;
  }
  const blockLine = yamlErrorLine(error, split.block);
  return blockLine === null
    ? `invalid YAML front matter: ${firstLine}`
    : `invalid YAML front matter at line ${blockLine + split.lineOffset}: ${firstLine}`;
}

/**
 * Finds the front matter the way gray-matter does (so both agree on where the body starts): an opening `---`
 * line, optionally naming a language, closed by the next line that starts with `---`. Blank lines before the
 * opening `---` are skipped (real archives have them). `----` is a Markdown rule, not front matter.
 */
function splitFrontMatter(text: string): Split | 'unclosed' | null {
  const leading = text.slice(0, blankLinesEnd(text));
  const source = text.slice(leading.length);
  if (!source.startsWith('---') || source[3] === '-') return null;
  const lineEnd = source.search(/\r?\n/);
  if (lineEnd === -1) return 'unclosed';
  const language = source.slice(3, lineEnd);
  const rest = source.slice(language.trim() ? lineEnd : 3);
  const close = rest.indexOf('\n---');
  if (close === -1) return 'unclosed';
  let body = rest.slice(close + 4);
  if (body.startsWith('\r')) body = body.slice(1);
  if (body.startsWith('\n')) body = body.slice(1);
  let lineOffset = 0;
  for (let i = leading.indexOf('\n'); i !== -1; i = leading.indexOf('\n', i + 1)) lineOffset++;
  // gray-matter copies its whole input into a Buffer: hand it only the front matter and the closing `---`.
  const end = source.length - rest.length + close + 4;
  return { lineOffset, language, source: source.slice(0, end), block: rest.slice(0, close), body };
}

/**
 * Where the blank lines at the start of `text` end. Read by hand: a regex such as `^(?:[ \t]*\r?\n)*` keeps a
 * backtracking entry per line on the stack, and a post of eight million empty lines overflowed it.
 */
function blankLinesEnd(text: string): number {
  let end = 0;
  for (let i = 0; ; ) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else if (text[i] === '\n') i++;
    else return end;
    end = i;
  }
}

/** Safe YAML: size and depth checked before parsing, aliases capped, no custom tags, dates stay strings. */
function parseYaml(input: string): unknown {
  // CRLF files leave a lone `\r` before the closing `---`, which yaml refuses; line numbers are unchanged.
  const source = checkLimits(input).replace(/\r\n/g, '\n').replace(/\r$/, '');
  // Duplicate keys: last wins, as in Jekyll (Psych). Merge keys (`<<`) as in Psych; aliases stay capped.
  const doc = parseDocument(source, { version: '1.2', schema: 'core', uniqueKeys: false, merge: true });
  const error = doc.errors[0];
  if (error) throw error;
  keepWrittenNumbers(doc);
  return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
}

/** Fields read as text keep numbers as written: `date: +0800` stays '+0800' (not 800), `tags: [1.10]` stays '1.10'. */
const TEXT_FIELDS = ['title', 'date', 'categories', 'category', 'tags', 'tag'];

function keepWrittenNumbers(doc: Document): void {
  if (!isMap(doc.contents)) return;
  for (const field of TEXT_FIELDS) {
    const node = doc.get(field, true);
    for (const item of isSeq(node) ? node.items : [node]) {
      if (isScalar(item) && typeof item.value === 'number' && typeof item.source === 'string') item.value = item.source;
    }
  }
}

function checkLimits(input: string): string {
  if (input.length > MAX_FRONT_MATTER_CHARS) throw new FrontMatterRejected('front matter is larger than 64 KiB; not read');
  if (nestingDepth(input) > MAX_DEPTH) {
    throw new FrontMatterRejected(`front matter is nested more than ${MAX_DEPTH} levels deep; not read`);
  }
  return input;
}

/**
 * An upper bound on nesting, from the token stream (the lexer is a flat state machine, so a 5,000-deep input
 * cannot overflow it, and we stop as soon as the limit is passed): open flow brackets plus block indentation
 * levels plus compact `- - -` entries. yaml's composer is recursive, so deep input must never reach it.
 */
function nestingDepth(input: string): number {
  const indents: number[] = [];
  let flow = 0;
  let atLineStart = true;
  let lineIndent = 0;
  let compact = 0;
  let max = 0;
  for (const token of new Lexer().lex(input)) {
    if (token === '\n' || token === '\r\n') {
      atLineStart = true;
      lineIndent = 0;
      compact = 0;
      continue;
    }
    if (atLineStart && flow === 0 && /^ +$/.test(token)) {
      lineIndent = token.length;
      continue;
    }
    if (token.length === 1 && token < ' ') continue; // lexer markers (document start, scalar)
    if (atLineStart && flow === 0 && !token.startsWith('#')) {
      atLineStart = false;
      while ((indents[indents.length - 1] ?? -1) >= lineIndent) indents.pop();
      indents.push(lineIndent);
    }
    if (token === '[' || token === '{') flow++;
    else if ((token === ']' || token === '}') && flow > 0) flow--;
    else if ((token === '-' || token === '?') && flow === 0) compact++;
    max = Math.max(max, indents.length + Math.max(0, compact - 1) + flow);
    if (max > MAX_DEPTH) return max;
  }
  return max;
}

/** The file-relative line of a YAML error; an unclosed quote is reported where it opens, not at the end. */
function yamlErrorLine(error: unknown, block: string): number | null {
  const linePos = (error as { linePos?: { line: number }[] }).linePos;
  const reported = linePos?.[0]?.line ?? null;
  if (!(error instanceof Error) || !/^Missing closing .?quote/.test(error.message)) return reported;
  const offset = unclosedQuoteOffset(block);
  return offset === null ? reported : (block.slice(0, offset).match(/\n/g) ?? []).length + 1;
}

function unclosedQuoteOffset(block: string): number | null {
  const stack: unknown[] = [...new Parser().parse(block)];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    const token = node as { type?: string; source?: unknown; offset?: number };
    if (token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') {
      const src = typeof token.source === 'string' ? token.source : '';
      const quote = src[0] ?? '';
      const closed = src.length > 1 && src.endsWith(quote) && !(quote === '"' && /(^|[^\\])(\\\\)*\\"$/.test(src));
      if (!closed) return token.offset ?? null;
    }
    stack.push(...Object.values(node));
  }
  return null;
}

