/**
 * Why the host refused a team index (issue 15), as one kind the connect dialog can say in the reader's language.
 * The contract's error is a code and Backfile's own English message, with no machine-readable reason: the reasons
 * are told apart by the code and, for STORE_UNAVAILABLE, by the stable phrases of the host's messages
 * (src-main/node/pg/pg-connection.ts unavailableReason, team-index.ts, team-archive-check.ts, pg-schema.ts,
 * pg-schema-check.ts). Those
 * phrases live in this one table (tests/renderer/team-refusal.test.ts holds one real message per row); a message
 * no row knows is 'unknown', shown as the host's text under "Details".
 */
import type { ErrorCode } from '../../src-main/shared/archive-api';

export type TeamRefusalKind =
  | 'unreachable'
  | 'no-host'
  | 'login'
  | 'no-database'
  | 'no-rights'
  | 'no-index'
  | 'other-archive'
  | 'newer'
  | 'older'
  | 'not-ours'
  | 'read-only'
  | 'invalid'
  | 'unknown'
  | 'failed';

export interface TeamRefusal {
  kind: TeamRefusalKind;
  /** PostgreSQL's (or the network's) own words quoted in the host's message, when it quotes them. */
  serverText: string | null;
  /** Facts the host's message names (language-neutral: paths, numbers, SQL), by name. */
  facts: Record<string, string>;
}

interface Row {
  kind: TeamRefusalKind;
  /** Matched against the host's message; the group `server` is PostgreSQL's text, other named groups are facts. */
  pattern: RegExp;
}

/** STORE_UNAVAILABLE's kinds, first match wins (the more particular phrases first). */
const STORE_UNAVAILABLE_ROWS: readonly Row[] = [
  { kind: 'other-archive', pattern: /this team index is of another archive \((?:indexed from (?<root>.*?); )?(?<missing>\d+) of (?<sampled>\d+) sampled posts, e\.g\. (?<example>.*?), are not in / },
  { kind: 'newer', pattern: /was made by a newer Backfile \((?<version>[^)]*)\)/ },
  { kind: 'older', pattern: /needs a rebuild \((?<change>[^)]*)\) by its owner (?<owner>[^\s:]+)/ },
  { kind: 'no-index', pattern: /holds no Backfile index in schema / },
  { kind: 'no-rights', pattern: /may not read schema \S+ \((?<server>.*?)\)\. A reader needs: (?<grants>.*)$/ },
  { kind: 'login', pattern: /the login as .+? failed \((?<server>.*)\)\.?$/ },
  { kind: 'no-database', pattern: /the database does not exist \((?<server>.*)\)\.?$/ },
  { kind: 'no-host', pattern: /cannot be used: no such host/ },
  { kind: 'unreachable', pattern: /cannot be used: the server refused the connection/ },
  { kind: 'unreachable', pattern: /cannot be used: the server does not answer/ },
  { kind: 'unreachable', pattern: /cannot be used: the connection was cut/ },
  { kind: 'unreachable', pattern: /cannot be used: the server is shutting down or starting \((?<server>.*)\)\.?$/ },
  { kind: 'unreachable', pattern: /cannot be used: the connection failed \((?<server>.*)\)\.?$/ },
  { kind: 'unreachable', pattern: /did not answer within / },
];

const BY_CODE: Partial<Record<ErrorCode, TeamRefusalKind>> = {
  READ_ONLY: 'read-only',
  INVALID_ARGUMENT: 'invalid',
  NOT_OURS: 'not-ours',
};

export function teamRefusal(code: ErrorCode, message: string): TeamRefusal {
  if (code === 'STORE_UNAVAILABLE') {
    for (const row of STORE_UNAVAILABLE_ROWS) {
      const match = row.pattern.exec(message);
      if (!match) continue;
      const { server, ...facts } = Object.fromEntries(Object.entries(match.groups ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
      return { kind: row.kind, serverText: server ?? null, facts };
    }
    return { kind: 'unknown', serverText: null, facts: {} };
  }
  return { kind: BY_CODE[code] ?? 'failed', serverText: null, facts: {} };
}
