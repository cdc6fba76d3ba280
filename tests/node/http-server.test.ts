import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveArchive } from '../../src-main/server/serve';
import { copyArchive, edgeArchive, tempDir } from '../helpers/temp';

/** Raw HTTP so the test controls every header (fetch would set Host and Origin itself). */
function request(port: number, pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathname, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser-mode server', () => {
  let server: Awaited<ReturnType<typeof serveArchive>>;
  let token: string;
  const staticDir = tempDir('backfile-web-');

  beforeAll(async () => {
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Backfile</title>');
    server = await serveArchive({ archive: copyArchive(edgeArchive), indexFile: path.join(tempDir(), 'index.sqlite'), staticDir, announce: false, watch: false });
    token = new URL(server.url).searchParams.get('token') ?? '';
    await server.service.reindex();
  });
  afterAll(() => server?.close());

  const call = (method: string, args: unknown[], headers: Record<string, string> = {}) =>
    request(server.port, `/api/call/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Backfile-Token': token, ...headers },
      body: JSON.stringify({ args }),
    });

  it('binds to 127.0.0.1 only and prints a tokenised URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('serves the page with the token and sets an HttpOnly cookie, with a strict CSP', async () => {
    const res = await request(server.port, `/?token=${token}`);
    expect(res.status).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses requests without the token or with a wrong one', async () => {
    expect((await request(server.port, '/')).status).toBe(403);
    expect((await request(server.port, '/?token=wrong')).status).toBe(403);
    expect((await call('getArchiveInfo', [], { 'X-Backfile-Token': 'x'.repeat(token.length) })).status).toBe(403);
    expect((await request(server.port, '/api/events')).status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding) and foreign origins', async () => {
    expect((await request(server.port, `/?token=${token}`, { headers: { Host: `evil.example:${server.port}` } })).status).toBe(421);
    expect((await call('getArchiveInfo', [], { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await call('getArchiveInfo', [], { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
  });

  it('answers contract calls and validates their arguments', async () => {
    const info = await call('getArchiveInfo', []);
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body).result.posts).toBeGreaterThan(0);
    const bad = await call('listArticles', [{ limit: 'lots' }]);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatch(/limit/);
    const unknown = await call('deleteEverything', []);
    expect(unknown.status).toBe(404);
    const huge = await call('listArticles', [{ query: 'x'.repeat(20_000) }]);
    expect(huge.status).toBe(400);
  });

  it('imports dropped files by content, and refuses paths that try to leave the drop', async () => {
    const data = Buffer.from('---\ntitle: Dropped in the browser\ndate: 2024-02-02\n---\nUploaded body.\n').toString('base64');
    const escape = await call('importFiles', [[{ path: '../../outside.md', data }]]);
    expect(escape.status).toBe(500);
    expect(JSON.parse(escape.body).error).toMatch(/unsafe path/);
    const notBase64 = await call('importFiles', [[{ path: 'x.md', data: '<script>' }]]);
    expect(notBase64.status).toBe(400);
    const byPath = await call('importPaths', [['/etc']]);
    expect(byPath.status).toBe(500);
    const ok = await call('importFiles', [[{ path: '2024-02-02-dropped.md', data }]]);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).result.added).toBe(1);
    const found = await call('listArticles', [{ query: '"Dropped in the browser"' }]);
    expect(JSON.parse(found.body).result.total).toBe(1);
  });

  it('opens no archive but the one it serves', async () => {
    const res = await call('openArchive', ['/etc']);
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body).error).toMatch(/one archive/);
  });

  it('serves archive images but refuses traversal, encoded traversal, NUL bytes, absolute paths and non-images', async () => {
    const cookie = { Cookie: `backfile_token=${token}` };
    const ok = await request(server.port, '/asset/assets/images/chart.png', { headers: cookie });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('image/png');
    for (const bad of [
      '/asset/../../../../etc/passwd',
      '/asset/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd.png',
      '/asset/..%5c..%5cwindows%5cwin.ini.png',
      '/asset/assets/images/chart.png%00.png',
      '/asset/%2Fetc%2Fhosts.png',
      '/asset/_posts/2019-03-01-list-categories.md',
    ]) {
      const res = await request(server.port, bad, { headers: cookie });
      expect(res.status, bad).toBeGreaterThanOrEqual(400);
    }
  });
});
