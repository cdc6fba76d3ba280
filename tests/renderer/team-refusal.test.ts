/**
 * lib/team-refusal.ts tells the host's refusals of a team index apart. The messages here are made by the host's own
 * code (pgError, otherArchiveReason, newerIndexReason), so a reworded host message fails this test instead of
 * silently falling back to "unknown" in the connect dialog; the two that are built inline in the host are quoted.
 */
import { describe, expect, test } from 'vitest';
import { ArchiveError, type ErrorCode } from '../../src-main/shared/archive-api';
import { otherArchiveReason } from '../../src-main/node/archive/team-archive-check';
import { pgError, type PgTarget } from '../../src-main/node/pg/pg-connection';
import { newerIndexReason } from '../../src-main/node/pg/pg-schema';
import { teamRefusal, type TeamRefusal } from '../../src-renderer/lib/team-refusal';

const target: PgTarget = { shown: 'postgres://ann@db.example:5432/news', role: 'ann', schema: 'backfile', secrets: [] };
const fromPg = (code: string, message: string, access: 'read' | 'write' = 'read'): { code: ErrorCode; message: string } => {
  const error = pgError(Object.assign(new Error(message), { code }), target, access);
  if (!(error instanceof ArchiveError)) throw new Error(`not an ArchiveError: ${String(error)}`);
  return { code: error.code, message: error.message };
};
const unavailable = (message: string) => ({ code: 'STORE_UNAVAILABLE' as const, message });

const cases: [string, { code: ErrorCode; message: string }, TeamRefusal][] = [
  ['refused', fromPg('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:5432'), { kind: 'unreachable', serverText: null, facts: {} }],
  ['timed out', fromPg('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.5:5432'), { kind: 'unreachable', serverText: null, facts: {} }],
  ['cut', fromPg('ECONNRESET', 'read ECONNRESET'), { kind: 'unreachable', serverText: null, facts: {} }],
  ['starting', fromPg('57P03', 'the database system is starting up'), { kind: 'unreachable', serverText: 'the database system is starting up', facts: {} }],
  ['driver timeout', fromPg('', 'Connection terminated due to connection timeout'), { kind: 'unreachable', serverText: 'Connection terminated due to connection timeout', facts: {} }],
  ['no host', fromPg('ENOTFOUND', 'getaddrinfo ENOTFOUND db.example'), { kind: 'no-host', serverText: null, facts: {} }],
  ['login', fromPg('28P01', 'password authentication failed for user "ann"'), { kind: 'login', serverText: 'password authentication failed for user "ann"', facts: {} }],
  ['database', fromPg('3D000', 'database "nws" does not exist'), { kind: 'no-database', serverText: 'database "nws" does not exist', facts: {} }],
  [
    'no rights',
    fromPg('42501', 'permission denied for schema backfile'),
    {
      kind: 'no-rights',
      serverText: 'permission denied for schema backfile',
      facts: { grants: 'GRANT USAGE ON SCHEMA backfile TO ann; GRANT SELECT ON ALL TABLES IN SCHEMA backfile TO ann;' },
    },
  ],
  ['read-only', fromPg('42501', 'permission denied for table posts', 'write'), { kind: 'read-only', serverText: null, facts: {} }],
  // team-index.ts teamError (a schema without Backfile's tables).
  [
    'no index',
    unavailable('The team index at postgres://ann@db.example:5432/news holds no Backfile index in schema nothere (index it first: cli index ARCHIVE --store URL).'),
    { kind: 'no-index', serverText: null, facts: {} },
  ],
  [
    'other archive',
    unavailable(
      `The team index at postgres://ann@db.example:5432/news schema backfile cannot be used: ${otherArchiveReason(
        { indexedRoot: '/srv/news', sampled: ['a/1.md', 'a/2.md', 'a/3.md'], missing: ['a/1.md', 'a/2.md'] },
        '/home/me/other',
      )}.`,
    ),
    { kind: 'other-archive', serverText: null, facts: { root: '/srv/news', missing: '2', sampled: '3', example: 'a/1.md' } },
  ],
  [
    'other archive, root not recorded',
    unavailable(`The team index at postgres://x@h/db schema b cannot be used: ${otherArchiveReason({ indexedRoot: null, sampled: ['p.md'], missing: ['p.md'] }, '/a')}.`),
    { kind: 'other-archive', serverText: null, facts: { missing: '1', sampled: '1', example: 'p.md' } },
  ],
  ['newer', unavailable(newerIndexReason('backfile', new Map([['schema_version', '999']]))!), { kind: 'newer', serverText: null, facts: { version: 'schema 999' } }],
  // pg-schema-check.ts checkSchemaReadable (an index of an older version; it needs a server to be made).
  [
    'older',
    unavailable('The team index in schema backfile needs a rebuild (v7 → v8) by its owner old_owner (cli index ARCHIVE --store URL, as that role): this Backfile cannot read it until then, and nothing was changed.'),
    { kind: 'older', serverText: null, facts: { change: 'v7 → v8', owner: 'old_owner' } },
  ],
  // archive-service.ts: a reconnect that never gets an answer.
  ['deadline', unavailable('The team index at postgres://ann@db.example:5432/news did not answer within 15 s.'), { kind: 'unreachable', serverText: null, facts: {} }],
  ['not ours', { code: 'NOT_OURS', message: 'The schema public holds tables Backfile did not make (posts): choose another schema for the team index.' }, { kind: 'not-ours', serverText: null, facts: {} }],
  ['invalid', { code: 'INVALID_ARGUMENT', message: 'schema: not a valid name' }, { kind: 'invalid', serverText: null, facts: {} }],
  ['unknown', unavailable('The team index in schema backfile has no team workspace tables yet.'), { kind: 'unknown', serverText: null, facts: {} }],
  ['internal', { code: 'INTERNAL', message: 'boom' }, { kind: 'failed', serverText: null, facts: {} }],
];

describe('the kind of a team index refusal', () => {
  test.each(cases)('%s', (_name, error, want) => {
    expect(teamRefusal(error.code, error.message)).toEqual(want);
  });
});
