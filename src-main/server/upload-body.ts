/**
 * Reads the body of an `importFiles` call, `{"args":[[{"path":"…","data":"<base64>"},…]]}`, as it arrives and
 * writes each file's bytes straight into an UploadStaging folder. Memory stays at about one network chunk
 * however large the drop; the whole body is never held as a string. The checks are validateArgs' own
 * (file count, path, base64, 64 MiB in all); anything that is not exactly this shape is INVALID_ARGUMENT.
 */
import { StringDecoder } from 'node:string_decoder';
import { ArchiveError } from '../shared/archive-api';
import type { StagedUploads, UploadStaging } from '../node/import/stage-uploads';
import { checkUploadPath, MAX_UPLOAD_BASE64, MAX_UPLOAD_FILES, MAX_UPLOAD_PATH, UPLOADS_TOO_LARGE } from '../node/validate-args';

const invalid = (message: string) => new ArchiveError('INVALID_ARGUMENT', message);
const NAME = 'importFiles argument 1';
const BASE64 = /^[A-Za-z0-9+/]*$/;
/** A run of string characters up to a quote or backslash (sticky, so it matches from `lastIndex`). */
const DATA_RUN = /[^"\\]*/y;
const SIMPLE_ESCAPES: Record<string, string> = { '\\"': '"', '\\\\': '\\', '\\/': '/', '\\b': '\b', '\\f': '\f', '\\n': '\n', '\\r': '\r', '\\t': '\t' };

type Token = '{' | '}' | '[' | ']' | ':' | ',';
/** Where the reader is in the expected shape. */
type Place =
  | 'body' // expecting `{`
  | 'bodyKey' // expecting `"args"` or `}`
  | 'bodyColon'
  | 'args' // expecting `[`
  | 'files' // expecting `[` or `]` (no arguments)
  | 'file' // expecting `{` or `]`
  | 'fileKey'
  | 'fileColon'
  | 'fileValue'
  | 'afterMember' // `,` or `}`
  | 'afterFile' // `,` or `]`
  | 'afterFiles' // `]`
  | 'afterArgs' // `}`
  | 'end';

interface Incoming {
  write(bytes: Uint8Array): Promise<void>;
  finish(dropPath: string): Promise<void>;
  abandon(): Promise<void>;
}

/** The file object being read: its staged file once begun, and which members were seen. */
interface Pending {
  incoming: Incoming | null;
  path: string | null;
  sawPath: boolean;
  sawData: boolean;
}

/** Streams `body` into `staging`; resolves with the staged files once the whole body was read and checked. */
export async function stageUploadBody(body: AsyncIterable<Buffer>, staging: UploadStaging, maxBytes: number): Promise<StagedUploads> {
  const decoder = new StringDecoder('utf8');
  let place: Place = 'body';
  let files = 0;
  let base64Total = 0;
  let bytes = 0;
  // The string being read: a key or a path (kept, short) or a file's data (streamed to disk).
  let inString: 'key' | 'path' | 'data' | null = null;
  let text = '';
  let escape = '';
  let key = '';
  let current: Pending | null = null;
  let carry = ''; // base64 characters not yet a multiple of four
  let padding = 0; // `=` seen at the end of the data so far
  // Work found while scanning one chunk, done (in order, awaited) before the next chunk is read.
  const work: (() => Promise<void>)[] = [];
  // Every file begun so far (finished or not), so that an error closes and removes them all.
  const opened: Incoming[] = [];

  const startFile = () => {
    if (++files > MAX_UPLOAD_FILES) throw invalid(`${NAME} must be a list of 1 to ${MAX_UPLOAD_FILES} files`);
    const file: Pending = { incoming: null, path: null, sawPath: false, sawData: false };
    work.push(async () => {
      file.incoming = await staging.begin();
      opened.push(file.incoming);
    });
    current = file;
  };
  const notBase64 = () => invalid(`${NAME}[${files - 1}].data must be base64 text`);
  // Base64 as validateArgs accepts it: letters, digits, `+`, `/`, then at most two `=`.
  const dataChars = (chars: string) => {
    const eq = chars.indexOf('=');
    const digits = eq === -1 ? chars : chars.slice(0, eq);
    const pad = eq === -1 ? '' : chars.slice(eq);
    if ((padding > 0 && digits.length > 0) || !BASE64.test(digits) || !/^=*$/.test(pad)) throw notBase64();
    padding += pad.length;
    if (padding > 2) throw notBase64();
    base64Total += chars.length;
    if (base64Total > MAX_UPLOAD_BASE64) throw new ArchiveError('TOO_LARGE', `${NAME} must be ${UPLOADS_TOO_LARGE}`);
    const all = carry + chars;
    const whole = all.length - (all.length % 4);
    carry = all.slice(whole);
    if (whole > 0) {
      writeData(Buffer.from(all.slice(0, whole), 'base64'));
    }
  };
  const writeData = (decoded: Buffer) => {
    const file = current!;
    work.push(() => file.incoming!.write(decoded));
  };
  const endString = () => {
    const kind = inString;
    inString = null;
    if (kind === 'key') {
      key = text;
      place = place === 'bodyKey' ? 'bodyColon' : 'fileColon';
    } else if (kind === 'path') {
      checkUploadPath(text, `${NAME}[${files - 1}].path`);
      current!.path = text;
      place = 'afterMember';
    } else {
      if (carry.length > 0) writeData(Buffer.from(carry, 'base64')); // unpadded base64, as Buffer reads it
      carry = '';
      place = 'afterMember';
    }
    text = '';
  };
  const startString = () => {
    if (place === 'bodyKey' || place === 'fileKey') {
      inString = 'key';
    } else if (place === 'fileValue' && key === 'path') {
      inString = 'path';
    } else if (place === 'fileValue' && key === 'data') {
      inString = 'data';
      carry = '';
      padding = 0;
    } else {
      throw invalid(`the request body must be {"args": [[{"path": …, "data": …}, …]]}`);
    }
    text = '';
  };
  const token = (t: Token) => {
    const shape = () => invalid(`the request body must be {"args": [[{"path": …, "data": …}, …]]}`);
    switch (place) {
      case 'body':
        if (t !== '{') throw shape();
        place = 'bodyKey';
        return;
      case 'bodyKey':
        if (t !== '}') throw shape();
        place = 'end'; // `{}`: no arguments, which validateArgs refuses below
        return;
      case 'bodyColon':
        if (t !== ':' || key !== 'args') throw invalid('the request body may hold only "args"');
        place = 'args';
        return;
      case 'args':
        if (t !== '[') throw invalid('arguments must be a list');
        place = 'files';
        return;
      case 'files':
        if (t === '[') place = 'file';
        else throw invalid(`${NAME} must be a list of 1 to ${MAX_UPLOAD_FILES} files`);
        return;
      case 'file':
        if (t === '{') {
          startFile();
          place = 'fileKey';
        } else if (t === ']' && files > 0) place = 'afterFiles';
        else throw invalid(`${NAME} must be a list of 1 to ${MAX_UPLOAD_FILES} files`);
        return;
      case 'fileColon':
        if (t !== ':') throw shape();
        if ((key !== 'path' && key !== 'data') || (key === 'path' ? current!.sawPath : current!.sawData)) {
          throw invalid(`${NAME}[${files - 1}] must be an object with only path and data`);
        }
        if (key === 'path') current!.sawPath = true;
        else current!.sawData = true;
        place = 'fileValue';
        return;
      case 'afterMember':
        if (t === ',') place = 'fileKey';
        else if (t === '}') {
          const file = current!;
          if (!file.sawPath || !file.sawData) throw invalid(`${NAME}[${files - 1}] must be an object with only path and data`);
          work.push(() => file.incoming!.finish(file.path!));
          current = null;
          place = 'afterFile';
        } else throw shape();
        return;
      case 'afterFile':
        if (t === ',') place = 'file';
        else if (t === ']') place = 'afterFiles';
        else throw shape();
        return;
      case 'afterFiles':
        if (t === ']') place = 'afterArgs';
        else throw invalid('importFiles takes at most 1 argument');
        return;
      case 'afterArgs':
        if (t !== '}') throw invalid('the request body may hold only "args"');
        place = 'end';
        return;
      default:
        throw shape();
    }
  };

  const scan = (chunk: string) => {
    let i = 0;
    while (i < chunk.length) {
      if (inString) {
        if (inString === 'data' && !escape) {
          // The fast path: a run of base64 up to the closing quote or a JSON escape (`\/` is JSON for `/`).
          DATA_RUN.lastIndex = i;
          DATA_RUN.test(chunk);
          const end = DATA_RUN.lastIndex;
          dataChars(chunk.slice(i, end));
          i = end;
          if (i < chunk.length) {
            if (chunk[i] === '"') endString();
            else escape = '\\';
            i++;
          }
          continue;
        }
        const c = chunk[i++]!;
        if (escape) {
          escape += c;
          let decoded: string | null = null;
          if (escape.length === 2 && escape !== '\\u') {
            if (!Object.hasOwn(SIMPLE_ESCAPES, escape)) throw invalid('the request body is not valid JSON');
            decoded = SIMPLE_ESCAPES[escape]!;
          } else if (escape.length === 6) {
            if (!/^\\u[0-9a-fA-F]{4}$/.test(escape)) throw invalid('the request body is not valid JSON');
            decoded = String.fromCharCode(parseInt(escape.slice(2), 16));
          }
          if (decoded !== null) {
            escape = '';
            // In data the decoded character is checked as base64 like any other.
            if (inString === 'data') dataChars(decoded);
            else text += decoded;
          }
        } else if (c === '\\') escape = c;
        else if (c === '"') endString();
        else if (c < ' ') throw invalid('the request body is not valid JSON');
        else text += c;
        if (text.length > MAX_UPLOAD_PATH + 1) throw invalid(`${NAME}[${Math.max(0, files - 1)}].path must be at most ${MAX_UPLOAD_PATH} characters`);
        continue;
      }
      const c = chunk[i++]!;
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
      if (place === 'end') throw invalid('the request body is not valid JSON');
      if (c === '"') startString();
      else if (c === '{' || c === '}' || c === '[' || c === ']' || c === ':' || c === ',') token(c);
      else throw place === 'body' ? invalid('the request body must be a JSON object {"args": [...]}') : invalid(`the request body must be {"args": [[{"path": …, "data": …}, …]]}`);
    }
  };

  try {
    for await (const chunk of body) {
      bytes += chunk.length;
      if (bytes > maxBytes) throw new ArchiveError('TOO_LARGE', 'request too large');
      scan(decoder.write(chunk));
      for (const job of work.splice(0)) await job();
    }
    scan(decoder.end());
    for (const job of work.splice(0)) await job();
    // (The casts undo TypeScript's narrowing: the closures above change both.)
    if ((place as Place) !== 'end' || (inString as string | null) !== null) throw invalid('the request body is not valid JSON');
    if (files === 0) throw invalid(`${NAME} must be a list of 1 to ${MAX_UPLOAD_FILES} files`);
    return staging.staged;
  } catch (error) {
    // Queued work is dropped (a begun file's `finish` among it), so every file begun is closed here; cleanup
    // errors are swallowed so the caller sees the error that stopped the read.
    work.length = 0;
    for (const incoming of opened) await incoming.abandon().catch(() => undefined);
    await staging.remove().catch(() => undefined);
    throw error;
  }
}
