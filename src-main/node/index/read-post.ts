/**
 * Reading one post for the index, in bounded memory and without ever throwing: whatever goes wrong with one
 * file (unreadable, a parser or tokenizer bug, a hostile shape) becomes a problem reported for that file, and
 * the rest of the archive is indexed as usual.
 *
 * A huge body is not rendered whole: Markdown's token tree and the sanitiser's copies cost a few hundred bytes
 * of heap per byte of dense Markdown (an 8 MiB post took 1.4 GB and 8 s), so a body longer than RENDER_PIECE
 * is rendered a piece at a time, cut at line ends, and only until MAX_INDEXED_CHARS of text are indexed.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { decodeText } from '../../core/decode';
import { parseFrontMatter } from '../../core/front-matter';
import { parsePost } from '../../core/parse-post';
import { renderText } from '../../core/render';
import type { ParsedPost, Problem } from '../../core/types';
import { describeError } from '../fs-safety';
import type { ScannedFile } from './scan';
import { notIndexed, postFtsText, type FtsText } from './write';

/** Posts over this size are not read whole (a 2 GB "post" must not take the app's memory). */
export const MAX_POST_BYTES = 8 * 1024 * 1024;
/**
 * Text of one post the index keeps (UTF-16 code units): searchable and used for snippets. A 1.5 MB one-line
 * Chinese post (half a million characters) fits whole; the rest of a larger one is left out, with a warning.
 */
export const MAX_INDEXED_CHARS = 1024 * 1024;
/** Body characters rendered at once at most (a body up to this long is rendered whole, as for the reader). */
export const RENDER_PIECE = 64 * 1024;

export type ReadOutcome =
  /** `fts`: the post's tokens for the index, made where it was parsed (a parse thread spares the writer). */
  | { kind: 'post'; post: ParsedPost; size: number; mtimeMs: number; hash: string; fts: FtsText }
  | { kind: 'failure'; path: string; size: number; mtimeMs: number; hash: string | null; problems: Problem[] }
  | { kind: 'gone'; path: string };

/**
 * How a batch is parsed for its store. `packText: false`: the post's text is not deflated for the SQLite store's
 * post_text (the PostgreSQL writer stores it as text; deflating was ~8 % of its build's Node CPU).
 */
export interface ParseOptions { packText?: boolean }

/**
 * Reads and parses one file for the index, synchronously: for indexing and parse threads only, never for the
 * thread that serves the window. The post keeps only what the index stores (no HTML: see ParsePostOptions.textOnly).
 */
export const readAndParseOneSync = (file: ScannedFile): ReadOutcome => readAndParseOneSyncWith(file, {});

/** readAndParseOneSync, parsing as `options` say. */
export function readAndParseOneSyncWith(file: ScannedFile, options: ParseOptions): ReadOutcome {
  let bytes: Uint8Array;
  let size = file.size;
  let mtimeMs = file.mtimeMs;
  try {
    const fd = fs.openSync(file.absPath, 'r');
    try {
      const stat = fs.fstatSync(fd);
      size = stat.size;
      mtimeMs = Math.trunc(stat.mtimeMs);
      if (!stat.isFile()) return { kind: 'gone', path: file.relPath };
      const length = Math.min(stat.size, MAX_POST_BYTES);
      const buffer = Buffer.allocUnsafe(length);
      let offset = 0;
      while (offset < length) {
        const bytesRead = fs.readSync(fd, buffer, offset, length - offset, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      bytes = buffer.subarray(0, offset);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if (error && typeof error === 'object' && 'code' in error && error.code === 'ENOENT') return { kind: 'gone', path: file.relPath };
    const problems = [{ path: file.relPath, message: `could not be read: ${describeError(error)}`, severity: 'error' as const }];
    return { kind: 'failure', path: file.relPath, size, mtimeMs, hash: null, problems };
  }
  const hash = createHash('sha1').update(bytes).digest('hex');
  try {
    const post = parseForIndex(file, bytes);
    if (size > MAX_POST_BYTES) {
      post.problems.push({
        path: file.relPath,
        message: `file is ${(size / 1024 / 1024).toFixed(0)} MB; only the first ${MAX_POST_BYTES / 1024 / 1024} MB were read`,
        severity: 'warning',
      });
    }
    return { kind: 'post', post, size, mtimeMs, hash, fts: postFtsText(post, options) };
  } catch (error) {
    return { kind: 'failure', path: file.relPath, size, mtimeMs, hash, problems: [notIndexed(file.relPath, error)] };
  }
}

/** parsePost for the index: a long body rendered piece by piece, its text cut at MAX_INDEXED_CHARS. */
function parseForIndex(file: ScannedFile, bytes: Uint8Array): ParsedPost {
  // Fewer characters than RENDER_PIECE whatever the encoding (UTF-8 and GB18030: one byte at least per character).
  if (bytes.length <= RENDER_PIECE) return parsePost(file.relPath, bytes, file.location, { maxBodyBytes: MAX_POST_BYTES, textOnly: true });
  const decoded = decodeText(bytes);
  const body = parseFrontMatter(decoded.text).body;
  const firstEnd = pieceEnd(body, 0);
  // parsePost renders the first piece: cut its body exactly there (the UTF-8 length of the piece).
  const post = parsePost(file.relPath, bytes, file.location, { maxBodyBytes: Buffer.byteLength(body.slice(0, firstEnd)), textOnly: true });
  if (firstEnd >= body.length) return post;
  // The cut is ours, not a limit of the reader's: parsePost's warning about it would be wrong.
  post.problems = post.problems.filter((p) => !p.message.startsWith('body is larger than'));
  // A doubtful GB18030 guess keeps its words out of the index (parse-post.ts isGarbled): nothing more to read.
  const garbled = decoded.uncertain && decoded.encoding === 'gb18030';
  if (garbled) return post;
  const texts = [post.text];
  let chars = post.text.length;
  let start = firstEnd;
  while (start < body.length && chars < MAX_INDEXED_CHARS) {
    const end = pieceEnd(body, start);
    const rendered = renderText(body.slice(start, end), file.location.format);
    // Pieces cut at a line end are separate lines; one cut inside a long line (a one-line post) continues it.
    const joint = body[start - 1] === '\n' ? '\n' : /\s/.test(body[start - 1]!) ? ' ' : '';
    texts.push(joint, rendered.text);
    chars += joint.length + rendered.text.length;
    if (rendered.source !== null) post.source = rendered.source;
    start = end;
  }
  let text = texts.join('');
  if (start < body.length || text.length > MAX_INDEXED_CHARS) {
    text = text.slice(0, isLowSurrogate(text.charCodeAt(MAX_INDEXED_CHARS)) ? MAX_INDEXED_CHARS - 1 : MAX_INDEXED_CHARS);
    post.problems.push({
      path: file.relPath,
      message: `its text is longer than ${MAX_INDEXED_CHARS / 1024 / 1024} Mi characters; only the first ${MAX_INDEXED_CHARS / 1024 / 1024} Mi are searchable`,
      severity: 'warning',
    });
  }
  post.text = text;
  return post;
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * Where the piece of `body` from `start` ends: after the last blank line in its second half, else after its last
 * line end there, else after its last whitespace there, else at RENDER_PIECE characters (never inside a
 * surrogate pair). Paragraphs then render as they would whole; only a construct that spans a cut (a long table,
 * a code block with blank lines) reads differently, and the index of so long a post can bear that.
 */
export function pieceEnd(body: string, start: number): number {
  const limit = start + RENDER_PIECE;
  if (limit >= body.length) return body.length;
  const half = start + RENDER_PIECE / 2;
  const blank = body.lastIndexOf('\n\n', limit - 2);
  if (blank >= half) return blank + 2;
  const line = body.lastIndexOf('\n', limit - 1);
  if (line >= half) return line + 1;
  for (let i = limit - 1; i >= half; i--) if (/\s/.test(body[i]!)) return i + 1;
  return isLowSurrogate(body.charCodeAt(limit)) ? limit - 1 : limit;
}

/**
 * An outcome as a parse thread sends it: without the body and the front matter fields, which the index never
 * stores (each would otherwise be copied across threads for nothing).
 */
export function forTransfer(outcome: ReadOutcome): ReadOutcome {
  if (outcome.kind !== 'post') return outcome;
  return { ...outcome, post: { ...outcome.post, body: '', html: '', meta: {} } };
}
