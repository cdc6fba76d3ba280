import { describe, expect, test } from 'vitest';
import { ERROR_CODES } from '../../src-main/shared/archive-api';
import { ApiCallError } from '../../src-renderer/api/api-error';
import { MESSAGES } from '../../src-renderer/i18n';
import { errorMessage } from '../../src-renderer/lib/error-message';

describe('errorMessage', () => {
  test('says a contract error in the reader language, with the server message as the detail', () => {
    const notFound = new ApiCallError('NOT_FOUND', 'no such file in the archive: _posts/x.md');
    expect(errorMessage(notFound, MESSAGES.en)).toBe('Not found (no such file in the archive: _posts/x.md)');
    expect(errorMessage(notFound, MESSAGES.zh)).toBe('找不到（no such file in the archive: _posts/x.md）');
    const busy = new ApiCallError('BUSY', 'an import is already running; wait for it or cancel it');
    expect(errorMessage(busy, MESSAGES.zh)).toBe('已有导入正在进行；请等待它完成或取消它');
  });

  test('every code of the contract has words in both languages', () => {
    for (const code of ERROR_CODES) {
      expect(MESSAGES.en.errorCodes[code], code).toBeTruthy();
      expect(MESSAGES.zh.errorCodes[code], code).toBeTruthy();
      expect(MESSAGES.zh.errorCodes[code], code).not.toBe(MESSAGES.en.errorCodes[code]);
    }
  });

  test('an error without a code keeps its own message', () => {
    expect(errorMessage(new Error('boom'), MESSAGES.zh)).toBe('boom');
    expect(errorMessage('plain', MESSAGES.en)).toBe('plain');
  });
});
