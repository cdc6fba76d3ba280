/**
 * One post file → everything Backfile knows about it. Never throws: whatever goes wrong becomes a problem on the
 * post, and the post is still listed (title from its file name, body as readable as it gets).
 */
import { dateMonth, dateYear, normalizeDate } from './dates';
import { decodeText } from './decode';
import { parseFrontMatter } from './front-matter';
import { renderBody, renderText } from './render';
import type { DecodedText, ParsedPost, PostDate, PostLocation, Problem, RenderedBody, RenderOptions } from './types';

export interface ParsePostOptions {
  renderOptions?: Partial<RenderOptions>;
  /** Bodies larger than this (UTF-8 bytes) are cut here. Default 4 MiB. */
  maxBodyBytes?: number;
  /**
   * For the index: everything but the HTML (`html` is '' and `hasRemoteContent` false; `text`, `excerpt`,
   * `source` and the title are the same). Faster: see renderText.
   */
  textOnly?: boolean;
}

const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** One line of a title: 60 columns, 30 CJK characters. */
const TITLE_WIDTH = 60;
const EXCERPT_CHARS = 160;

export function parsePost(
  relPath: string,
  bytes: Uint8Array,
  location: PostLocation,
  options: ParsePostOptions = {},
): ParsedPost {
  const problems: Problem[] = [];
  const report = (message: string, severity: Problem['severity']) => problems.push({ path: relPath, message, severity });
  try {
    return readPost(relPath, bytes, location, options, report, problems);
  } catch (error) {
    report(`could not be read: ${error instanceof Error ? error.message : String(error)}`, 'error');
    return emptyPost(relPath, location, problems);
  }
}

type Report = (message: string, severity: Problem['severity']) => void;

function readPost(
  relPath: string,
  bytes: Uint8Array,
  location: PostLocation,
  options: ParsePostOptions,
  report: Report,
  problems: Problem[],
): ParsedPost {
  // An empty file is kept as an (empty) post: it is in the archive, and a person may want to know it is empty.
  if (bytes.length === 0) report('empty file', 'warning');
  const decoded = decodeText(bytes);
  if (decoded.problem) report(decoded.problem, decoded.uncertain ? 'error' : 'warning');
  // A doubtful GB18030 guess may be mojibake: show it, but keep its words out of titles, trees and the index.
  const garbled = isGarbled(decoded);

  const fm = parseFrontMatter(decoded.text);
  if (fm.problem) report(fm.problem, fm.problemSeverity ?? 'error');
  // `_config.yml` defaults lie under the post's own front matter (as in Jekyll).
  const data = location.defaults ? { ...location.defaults, ...fm.data } : fm.data;
  const body = limitBody(fm.body, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, report);

  const date = chooseDate(data, location, report);
  const rendered = render(body, location, relPath, options);
  const text = garbled ? '' : rendered.text;
  const brokenHeader = (fm.problemSeverity === 'error' && fm.problem !== undefined) || decoded.uncertain;

  return {
    path: relPath,
    title: chooseTitle(garbled ? undefined : data.title, brokenHeader, text, location.slug),
    date,
    year: dateYear(date),
    month: dateMonth(date),
    categories: unique([
      ...location.folderCategories,
      ...(garbled ? [] : [...fieldList(data.categories, true), ...fieldList(data.category, false)]),
    ]),
    tags: garbled ? [] : unique([...fieldList(data.tags, true), ...fieldList(data.tag, false)]),
    published: !isFalse(data.published) && !(location.hideAfter && date !== null && date.slice(0, 19) > location.hideAfter),
    draft: location.kind === 'draft',
    format: location.format,
    meta: data,
    body,
    // Shown even when the encoding is doubtful: the reader sees the error beside it.
    html: rendered.html,
    text,
    hasRemoteContent: rendered.hasRemoteContent,
    excerpt: excerptOf(text),
    source: garbled ? null : rendered.source,
    encoding: decoded.encoding,
    problems,
  };
}

function isGarbled(decoded: DecodedText): boolean {
  return decoded.uncertain && decoded.encoding === 'gb18030';
}

/** Front matter `date` wins over the file name (as in Jekyll); a bad one is reported, never guessed at. */
function chooseDate(data: Record<string, unknown>, location: PostLocation, report: Report): PostDate {
  const written = normalizeDate(data.date);
  if (written.date) {
    if (location.fileDateInvalid) {
      report(`file name date ${location.fileDateInvalid} does not exist; using the front matter date`, 'warning');
    }
    return written.date;
  }
  const fallback = location.fileDate;
  if (written.problem) {
    const instead = fallback ? `using the date in the file name (${fallback})` : 'shown as undated';
    report(`${written.problem}; ${instead}`, 'warning');
  }
  if (!fallback && location.fileDateInvalid) {
    report(`file name date ${location.fileDateInvalid} does not exist; shown as undated`, 'warning');
  }
  return fallback;
}

function chooseTitle(value: unknown, brokenHeader: boolean, text: string, slug: string): string {
  const written = typeof value === 'string' ? collapse(value) : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
  if (written) return written;
  const fromName = slug.replace(/[-_\s]+/g, ' ').trim() || slug;
  if (brokenHeader) return fromName;
  const firstLine = firstNonEmptyLine(text);
  return firstLine ? titleFromBody(firstLine) : fromName;
}

/**
 * An untitled post's title from its first line of text: the line itself when it is short and one sentence (a
 * heading, as scraped posts often start with); otherwise its first sentence, cut to one line, and always ending in
 * "…", which marks it as taken from the body, never a paragraph. Width counts a CJK character as two.
 */
export function titleFromBody(line: string): string {
  const sentenceEnd = SENTENCE_END.exec(line);
  const oneSentence = sentenceEnd === null || sentenceEnd.index + sentenceEnd[0].length >= line.length;
  if (oneSentence && displayWidth(line) <= TITLE_WIDTH) return line;
  const sentence = sentenceEnd === null ? line : line.slice(0, sentenceEnd.index);
  let width = 0;
  let cut = '';
  for (const char of sentence) {
    width += displayWidth(char);
    if (width > TITLE_WIDTH - 1) break;
    cut += char;
  }
  return `${cut.replace(/[\s,，、;；:：。.!?！？]+$/u, '')}…`;
}

/** Where a sentence ends: CJK full stops anywhere, Latin ones before a space. */
const SENTENCE_END = /[。！？]|[.!?](?=\s)/u;
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}

function firstNonEmptyLine(text: string): string {
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start);
    const line = collapse(text.slice(start, end === -1 ? text.length : end));
    if (line) return line;
    start = end === -1 ? text.length : end + 1;
  }
  return '';
}

/**
 * `categories`/`tags`: a YAML list or a space-separated string. The singular `category`/`tag` is one name even
 * with spaces (Jekyll splits only the plural). Numbers and booleans become strings; nested lists are flattened.
 */
function fieldList(value: unknown, splitString: boolean): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flat(2).flatMap((item) => fieldList(item, false));
  if (typeof value === 'string') return splitString ? value.split(/\s+/) : [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  return [];
}

function unique(names: string[]): string[] {
  return [...new Set(names.map((name) => collapse(name)).filter((name) => name !== ''))];
}

/** `published: false` hides a post; so do the YAML 1.1 spellings Jekyll's parser reads as false. */
function isFalse(value: unknown): boolean {
  return value === false || (typeof value === 'string' && /^(false|no|off)$/i.test(value.trim()));
}

function render(body: string, location: PostLocation, relPath: string, options: ParsePostOptions): RenderedBody {
  try {
    if (options.textOnly === true) return renderText(body, location.format);
    return renderBody(body, location.format, { ...options.renderOptions, postPath: relPath });
  } catch {
    return { html: '', text: '', source: null, hasRemoteContent: false };
  }
}

/** Cuts a huge body at `maxBytes` of UTF-8 (never inside a character) and says so. */
function limitBody(body: string, maxBytes: number, report: Report): string {
  if (body.length * 3 <= maxBytes) return body;
  const { read } = new TextEncoder().encodeInto(body, new Uint8Array(maxBytes));
  if (read >= body.length) return body;
  report(`body is larger than ${formatBytes(maxBytes)}; only the first ${formatBytes(maxBytes)} is shown and searchable`, 'warning');
  return body.slice(0, read);
}

/** The list's excerpt of a post's plain text; the index derives it from the stored text instead of keeping a copy. */
export function excerptOf(text: string): string {
  // Only the start matters; a 4 MiB body need not be collapsed whole.
  return truncate(collapse(text.slice(0, EXCERPT_CHARS * 8)), EXCERPT_CHARS);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * `text` when its first max * 2 + 2 UTF-16 units hold at most `max` characters (code points, as Array.from counts
 * them: a lone surrogate is one), else its first max - 1 characters and "…". Counted in place: the index makes
 * every result row's excerpt from its text at read time, and an array of characters cost 5 µs of a row's 6.5.
 */
function truncate(text: string, max: number): string {
  const limit = Math.min(text.length, max * 2 + 2);
  let i = 0;
  let count = 0;
  let cut = 0;
  while (i < limit && count <= max) {
    const unit = text.charCodeAt(i);
    const next = i + 1 < limit ? text.charCodeAt(i + 1) : 0;
    i += unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    count++;
    if (count === max - 1) cut = i;
  }
  return count <= max ? text : `${text.slice(0, cut).trimEnd()}…`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

function emptyPost(relPath: string, location: PostLocation, problems: Problem[]): ParsedPost {
  return {
    path: relPath,
    title: location.slug.replace(/[-_\s]+/g, ' ').trim() || location.slug,
    date: location.fileDate,
    year: dateYear(location.fileDate),
    month: dateMonth(location.fileDate),
    categories: [...location.folderCategories],
    tags: [],
    published: true,
    draft: location.kind === 'draft',
    format: location.format,
    meta: {},
    body: '',
    html: '',
    text: '',
    hasRemoteContent: false,
    excerpt: '',
    source: null,
    encoding: 'utf-8',
    problems,
  };
}
