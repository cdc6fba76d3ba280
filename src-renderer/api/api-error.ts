/**
 * The renderer's side of the contract's error vocabulary: every failed call rejects with an ApiCallError carrying
 * the ErrorCode the services chose, whichever way it travelled (HTTP envelope, Electron preload).
 */
import type { ErrorCode } from '../../src-main/shared/archive-api';

// A record, so that a code added to the contract without being added here does not compile.
const CODES: Record<ErrorCode, true> = {
  NOT_FOUND: true,
  INVALID_ARGUMENT: true,
  UNSAFE_PATH: true,
  NOT_OURS: true,
  NO_ARCHIVE: true,
  BUSY: true,
  READ_ONLY: true,
  INDEX_REBUILDING: true,
  TOO_LARGE: true,
  FORBIDDEN: true,
  STORE_UNAVAILABLE: true,
  INTERNAL: true,
};

export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && Object.hasOwn(CODES, value);

export class ApiCallError extends Error {
  override name = 'ApiCallError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** `[BUSY] an import is running`: how the preload writes a code into the message (contextBridge keeps only that). */
const CODE_PREFIX = /^(?:Error: )?\[([A-Z_]+)\] ([\s\S]*)$/;

/** Any rejection of a contract call as an ApiCallError; an error without a code is INTERNAL. */
export function toApiCallError(reason: unknown): ApiCallError {
  if (reason instanceof ApiCallError) return reason;
  const fields = (reason && typeof reason === 'object' ? reason : {}) as { code?: unknown; message?: unknown };
  const message = typeof fields.message === 'string' ? fields.message : String(reason);
  const prefixed = CODE_PREFIX.exec(message);
  if (prefixed && isErrorCode(prefixed[1])) return new ApiCallError(prefixed[1], prefixed[2] ?? '');
  if (isErrorCode(fields.code)) return new ApiCallError(fields.code, message);
  return new ApiCallError('INTERNAL', message);
}
