/**
 * The desktop's remembered team index per archive (archive/remembered-teams.ts): a real file in a temp folder. Never a
 * password (before the @ or as ?password=), readable by this user only, and a damaged file is nothing remembered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RememberedTeams, isRetryOf, requestUsesPassword } from '../../src-main/node/archive/remembered-teams';
import { tempDir } from '../helpers/temp';

describe('RememberedTeams', () => {
  it('keeps where, never the password; per archive root; forgets', async () => {
    const dir = tempDir('remembered-teams-');
    const file = path.join(dir, 'data', 'team-connections.json');
    const teams = new RememberedTeams(file);
    await teams.remember(path.join(dir, 'a'), { url: 'postgres://ann:s3cret@db:5432/news?sslmode=require&password=s3cret', schema: 'desk', password: true });
    await teams.remember(path.join(dir, 'b'), { url: 'postgres://bob@db/news', schema: 'backfile', password: false });
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('s3cret');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await teams.get(path.join(dir, 'a', '.'))).toEqual({ url: 'postgres://ann@db:5432/news?sslmode=require', schema: 'desk', password: true });
    await teams.forget(path.join(dir, 'a'));
    expect(await teams.get(path.join(dir, 'a'))).toBeNull();
    expect(await teams.get(path.join(dir, 'b'))).toMatchObject({ url: 'postgres://bob@db/news' });
    fs.writeFileSync(file, '{ not json');
    expect(await teams.get(path.join(dir, 'b'))).toBeNull();
  });

  it('a connection used a password when one was given apart or inside the URL; a Retry is the same URL and schema', () => {
    expect(requestUsesPassword({ url: 'postgres://ann@db/news', password: 'pw' })).toBe(true);
    expect(requestUsesPassword({ url: 'postgres://ann:pw@db/news' })).toBe(true);
    expect(requestUsesPassword({ url: 'postgres://ann@db/news?password=pw' })).toBe(true);
    expect(requestUsesPassword({ url: 'postgres://ann@db/news' })).toBe(false);
    const pending = { url: 'postgres://ann@db:5432/news', schema: 'backfile', state: 'failed' as const };
    expect(isRetryOf(pending, { url: 'postgres://ann:pw@db:5432/news' })).toBe(true);
    expect(isRetryOf(pending, { url: 'postgres://ann@db:5432/news', schema: 'desk' })).toBe(false);
  });
});
