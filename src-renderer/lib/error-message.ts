import type { ErrorCode } from '../../src-main/shared/archive-api';
import { isErrorCode } from '../api/api-error';
import type { Messages } from '../i18n';

/** Codes whose meaning says it all: the server's own (English) wording is not repeated after it. */
const SELF_EXPLAINING = new Set<ErrorCode>(['BUSY', 'INDEX_REBUILDING', 'TOO_LARGE', 'FORBIDDEN']);

/**
 * A person-readable message from whatever a promise rejected with. A contract error (it carries a code) is said
 * in the reader's language, with the server's message as the detail (which post, which path); anything else
 * shows its own message.
 */
export function errorMessage(error: unknown, t?: Pick<Messages, 'errorCodes' | 'errorDetail'>): string {
  const code = error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message || error.name : typeof error === 'string' ? error : String(error);
  if (!t || !isErrorCode(code)) return message;
  const summary = t.errorCodes[code];
  return SELF_EXPLAINING.has(code) || !message ? summary : t.errorDetail(summary, message);
}
