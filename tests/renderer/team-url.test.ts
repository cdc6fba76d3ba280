/** The connect dialog's address checks and the header's short name of a team index (src-renderer/lib/team-url.ts). */
import { describe, expect, test } from 'vitest';
import { parseTeamUrl, splitLocation, teamInputProblem, teamLabel, teamLabelOf } from '../../src-renderer/lib/team-url';

describe('parseTeamUrl', () => {
  test('takes USER@HOST[:PORT]/DB under postgres:// or postgresql://, port 5432 by default', () => {
    expect(parseTeamUrl('postgres://ann@db.example:6543/news')).toEqual({ ok: true, address: { user: 'ann', host: 'db.example', port: 6543, database: 'news' } });
    expect(parseTeamUrl(' postgresql://ann@[::1]/news ')).toEqual({ ok: true, address: { user: 'ann', host: '[::1]', port: 5432, database: 'news' } });
    expect(parseTeamUrl('postgres://a%40b@127.0.0.1:80/my%20db')).toEqual({ ok: true, address: { user: 'a@b', host: '127.0.0.1', port: 80, database: 'my db' } });
  });

  test('names what is wrong', () => {
    const problem = (url: string) => {
      const parsed = parseTeamUrl(url);
      return parsed.ok ? null : parsed.problem;
    };
    expect(problem('')).toBe('url-empty');
    expect(problem('POSTGRES://ann@db/news')).toBe('url-scheme'); // the server takes the scheme in lower case only
    expect(problem('mysql://ann@db/news')).toBe('url-scheme');
    expect(problem('postgres://db/news')).toBe('url-user');
    expect(problem('postgres://ann@:5432/news')).toBe('url-host');
    expect(problem('postgres://ann@db:70000/news')).toBe('url-port');
    expect(problem('postgres://ann@db')).toBe('url-database');
    expect(problem('postgres://ann@db/news/more')).toBe('url-database');
    expect(problem('postgres://ann:secret@db/news')).toBe('url-password');
    expect(problem('postgres://ann@db news/x')).toBe('url-malformed');
  });

  test('the schema follows the service’s rule; empty means backfile', () => {
    expect(teamInputProblem('postgres://ann@db/news', '')).toBeNull();
    expect(teamInputProblem('postgres://ann@db/news', 'desk_2')).toBeNull();
    expect(teamInputProblem('postgres://ann@db/news', '2desk')).toBe('schema');
    expect(teamInputProblem('postgres://ann@db/news', 'Desk')).toBe('schema');
    expect(teamInputProblem('postgres://ann@db/news', 'a'.repeat(64))).toBe('schema');
  });
});

describe('the header’s name of a team index', () => {
  test('from its parts when the host gives them, else from its location; the schema only when not backfile', () => {
    expect(teamLabelOf({ location: 'x', team: { host: 'db.example', port: 5432, database: 'news', schema: 'backfile', user: 'ann' } })).toBe('db.example/news');
    expect(teamLabelOf({ location: 'x', team: { host: 'db.example', port: 5432, database: 'news', schema: 'desk', user: 'ann' } })).toBe('db.example/news · desk');
    expect(teamLabelOf({ location: 'postgres://ann@db.example:5432/news schema backfile' })).toBe('db.example/news');
    expect(teamLabel('postgres://ann@db.example:5432/news schema desk')).toBe('db.example/news · desk');
    expect(teamLabel('something else')).toBe('something else');
    expect(splitLocation('postgres://ann@db.example:5432/news schema desk')).toEqual({ url: 'postgres://ann@db.example:5432/news', schema: 'desk' });
    expect(splitLocation('/data/index.sqlite')).toBeNull();
  });
});
