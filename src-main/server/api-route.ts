/**
 * `POST /api/call/<method>`: the contract over HTTP. Answers `{"ok": true, "result": …}` or
 * `{"ok": false, "error": {"code", "message"}}` with HTTP_STATUS[code]. Uploads (`importFiles`) are refused
 * before their body is read while another import runs, and otherwise streamed to disk as they arrive.
 */
import type http from 'node:http';
import { ArchiveError, HTTP_STATUS, toApiError, type ApiError, type ArchiveApi } from '../shared/archive-api';
import type { ArchiveService } from '../node/archive/archive-service';
import { checkCanImport, importStagedUploads } from '../node/archive/create-archive-api';
import { UploadStaging } from '../node/import/stage-uploads';
import { argsFromBody, isArchiveMethod, validateArgs } from '../node/validate-args';
import { stageUploadBody } from './upload-body';

const MAX_BODY = 1024 * 1024;
/** An export may name up to 100,000 checked posts by path (a whole result goes as its query). */
export const MAX_EXPORT_BODY = 16 * 1024 * 1024;
/** Dropped files travel base64-encoded in one call (64 MiB of files at most, checked again while reading). */
export const MAX_UPLOAD_BODY = 96 * 1024 * 1024;

type Send = (res: http.ServerResponse, status: number, body: string, type: string, extra?: Record<string, string>) => void;

export function sendApiError(send: Send, res: http.ServerResponse, error: ApiError, extra: Record<string, string> = {}): void {
  send(res, HTTP_STATUS[error.code], JSON.stringify({ ok: false, error }), 'application/json; charset=utf-8', extra);
}

async function readBody(req: http.IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new ArchiveError('TOO_LARGE', 'request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw || '{}') as unknown;
  } catch {
    throw new ArchiveError('INVALID_ARGUMENT', 'the request body is not valid JSON');
  }
}

export function createApiRoute(api: ArchiveApi, service: ArchiveService, send: Send) {
  /** An upload is being read and staged: the service does not know yet, so the route keeps its own note. */
  let uploading = false;

  const importUpload = async (req: http.IncomingMessage): Promise<unknown> => {
    checkCanImport(service); // BUSY or NO_ARCHIVE before a byte of the body is read
    if (uploading) throw new ArchiveError('BUSY', 'an import is already running; wait for it or cancel it');
    uploading = true;
    try {
      const staged = await stageUploadBody(req, await UploadStaging.create(), MAX_UPLOAD_BODY);
      return await importStagedUploads(service, staged);
    } finally {
      uploading = false;
    }
  };

  const call = async (req: http.IncomingMessage, method: string): Promise<unknown> => {
    if (!isArchiveMethod(method)) throw new ArchiveError('NOT_FOUND', `unknown method ${method.slice(0, 100)}`);
    if (method === 'importFiles') return importUpload(req);
    const args = validateArgs(method, argsFromBody(parseJson(await readBody(req, method === 'exportToFile' ? MAX_EXPORT_BODY : MAX_BODY))));
    const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
    return fn(...args);
  };

  /** The request has passed the transport checks (token, origin, POST, JSON). */
  return async (req: http.IncomingMessage, res: http.ServerResponse, method: string): Promise<void> => {
    try {
      const result = await call(req, method);
      send(res, 200, JSON.stringify({ ok: true, result: result ?? null }), 'application/json; charset=utf-8');
    } catch (error) {
      // A refusal before the body was read: close the connection afterwards rather than keep it for the rest.
      sendApiError(send, res, toApiError(error), req.readableEnded ? {} : { Connection: 'close' });
    }
  };
}
