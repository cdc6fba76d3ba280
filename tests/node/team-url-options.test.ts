/**
 * Options after `?` in a team-index address (`?sslmode=require`): kept where the index is shown and refilled, one
 * key for a remembered password whether it comes from the typed address or from IndexInfo.location; only a password
 * there is cut out (and the dialog refuses one, as in the user part).
 */
import { describe, expect, test } from 'vitest';
import { redactUrl } from '../../src-main/node/pg/pg-connection';
import { connectionKey } from '../../src-main/electron/team-credentials';
import { sameTeamUrl, splitLocation, teamInputProblem } from '../../src-renderer/lib/team-url';

const typed = 'postgres://ann@db.example:5432/news?sslmode=require';

describe('team-index address options', () => {
  test('the location keeps non-secret options; the dialog is refilled with them', () => {
    const location = `${redactUrl(typed)} schema backfile`;
    expect(location).toBe('postgres://ann@db.example:5432/news?sslmode=require schema backfile');
    expect(splitLocation(location)?.url).toBe(typed);
  });

  test('one key: the typed address and the location it gives name the same remembered password', () => {
    const location = redactUrl(typed);
    expect(connectionKey(location, 'backfile')).toBe(connectionKey(typed, 'backfile'));
    expect(connectionKey('postgres://ann:pw@db.example:5432/news?sslmode=require')).toBe(connectionKey(typed));
    expect(connectionKey(typed)).not.toBe(connectionKey('postgres://ann@db.example:5432/news'));
    expect(sameTeamUrl(location, typed)).toBe(true);
  });

  test('only a password is cut out of the options; the dialog refuses one there', () => {
    const shown = redactUrl('postgres://ann@db.example/news?sslmode=require&password=s3cret&application_name=x');
    expect(shown).not.toMatch(/s3cret|password/);
    expect(shown).toMatch(/sslmode=require/);
    expect(shown).toMatch(/application_name=x/);
    expect(connectionKey('postgres://ann@db.example/news?password=s3cret')).not.toMatch(/s3cret/);
    expect(teamInputProblem('postgres://ann@db.example/news?password=s3cret', 'backfile')).toBe('url-password');
    expect(teamInputProblem(typed, 'backfile')).toBeNull();
  });
});
