import { describe, expect, it } from 'vitest';
import { ARCHIVE_METHODS } from '../../src-main/shared/archive-api';
import { InvalidArgumentsError, isArchiveMethod, validateArgs } from '../../src-main/node/validate-args';

describe('validateArgs (the IPC and HTTP boundary)', () => {
  it('knows every contract method and nothing else', () => {
    for (const method of ARCHIVE_METHODS) expect(isArchiveMethod(method)).toBe(true);
    for (const name of ['constructor', '__proto__', 'toString', 'eval', 'deleteEverything']) expect(isArchiveMethod(name)).toBe(false);
  });

  it('accepts well-formed calls', () => {
    expect(validateArgs('listArticles', [{ query: '市场', category: ['经济'], year: null, sort: 'date', limit: 100, offset: 0 }])).toHaveLength(1);
    expect(validateArgs('listArticles', [{ sort: 'oldest' }])).toHaveLength(1);
    expect(validateArgs('getArticle', ['_posts/x.md'])).toEqual(['_posts/x.md']);
    expect(validateArgs('getCategories', [])).toEqual([]);
    expect(validateArgs('setRemoteContentAllowed', ['_posts/x.md', true])).toHaveLength(2);
  });

  it.each([
    ['getArticle', [42]],
    ['getArticle', ['a'.repeat(5000)]],
    ['getArticle', ['a\0b']],
    ['getArticle', ['x', 'y', 'z']],
    ['listArticles', [null]],
    ['listArticles', [[]]],
    ['listArticles', [{ limit: 10_000 }]],
    ['listArticles', [{ limit: 1.5 }]],
    ['listArticles', [{ sort: 'random' }]],
    ['listArticles', [{ query: 'x'.repeat(10_001) }]],
    ['listArticles', [{ category: 'not a list' }]],
    ['listArticles', [{ evil: true }]],
    ['listArticles', [{ __proto__: { polluted: true }, year: 'x' }]],
    ['openArchive', [{ path: '/' }]],
    ['importPaths', ['not a list']],
    ['importPaths', [Array.from({ length: 1001 }, () => '/tmp')]],
    ['importFiles', [[{ path: 'a.md', data: 'not base64!' }]]],
    ['importFiles', [[{ path: 'a.md', data: '', extra: 1 }]]],
    ['importFiles', [[]]],
    ['setRemoteContentAllowed', ['x', 'yes']],
  ] as const)('refuses %s %j', (method, args) => {
    expect(() => validateArgs(method, args as unknown as unknown[])).toThrow(InvalidArgumentsError);
  });

  it('refuses arguments that are not a list', () => {
    expect(() => validateArgs('getArticle', 'x' as unknown)).toThrow(InvalidArgumentsError);
  });
});
