import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveApi } from '../../src-main/shared/archive-api';
import { startBrowserServer } from '../../src-main/server/http-server';
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

/** The error envelope of a refused call. */
const errorOf = (res: { body: string }) => (JSON.parse(res.body) as { ok: false; error: { code: string; message: string } }).error;

interface StreamedReply {
  status: number;
  body: string;
}

/**
 * POSTs a body produced chunk by chunk (never held whole by the test). `next` is asked for each chunk and may
 * wait; `reply` settles when the server answers, even while the body is still being sent.
 */
function streamRequest(port: number, pathname: string, headers: Record<string, string>, next: () => Promise<Buffer | null>) {
  let written = 0;
  const reply = new Promise<StreamedReply>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method: 'POST', headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    let answered = false;
    req.on('response', () => (answered = true));
    // Once answered, the rest of a refused body may meet a closed connection: that is the point.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    void (async () => {
      for (let chunk = await next(); chunk && !answered && !req.destroyed; chunk = await next()) {
        written += chunk.length;
        if (!req.write(chunk)) await new Promise((resolve) => req.once('drain', resolve));
      }
      if (!answered) req.end();
    })().catch(reject);
  });
  return { reply, written: () => written };
}

/** An importFiles body: `{"args":[[{"path":…,"data":"<base64>"}]]}` with `chunks` × 64 KiB of base64, sent lazily. */
function uploadBody(filePath: string, chunks: number, beforeChunk: (index: number) => Promise<void> = async () => undefined) {
  const base64 = Buffer.alloc(64 * 1024, 'QUJD'); // "ABC" over and over; 64 KiB is a multiple of 4
  let index = -1;
  return async (): Promise<Buffer | null> => {
    index++;
    if (index === 0) return Buffer.from(`{"args":[[{"path":${JSON.stringify(filePath)},"data":"`);
    if (index <= chunks) {
      await beforeChunk(index);
      return base64;
    }
    if (index === chunks + 1) return Buffer.from('"}]]}');
    return null;
  };
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
    expect(JSON.parse(bad.body)).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/limit/) } });
    const unknown = await call('deleteEverything', []);
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe('NOT_FOUND');
    const huge = await call('listArticles', [{ query: 'x'.repeat(20_000) }]);
    expect(huge.status).toBe(400);
    expect(errorOf(huge).code).toBe('INVALID_ARGUMENT');
  });

  it('answers every refusal as {ok:false, error:{code, message}} with the status of its code', async () => {
    const wrongToken = await call('getArchiveInfo', [], { 'X-Backfile-Token': 'x'.repeat(token.length) });
    expect([wrongToken.status, errorOf(wrongToken).code]).toEqual([403, 'FORBIDDEN']);
    const tooLarge = await request(server.port, '/api/call/listArticles', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Backfile-Token': token },
      body: JSON.stringify({ args: [{ query: 'x'.repeat(2 * 1024 * 1024) }] }),
    });
    expect([tooLarge.status, errorOf(tooLarge).code]).toEqual([413, 'TOO_LARGE']);
    const notJson = await request(server.port, '/api/call/getArchiveInfo', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Backfile-Token': token },
      body: '{"args": [',
    });
    expect([notJson.status, errorOf(notJson).code]).toEqual([400, 'INVALID_ARGUMENT']);
  });

  it('refuses bodies and queries that are not the contract shape with a clean INVALID_ARGUMENT, never internal text', async () => {
    const post = (body: string) =>
      request(server.port, '/api/call/getArchiveInfo', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Backfile-Token': token }, body });
    for (const body of ['null', '[]', '{"args":null}', '{"__proto__":{"args":[]}}', '{"__proto__":[]}', '{"args":[],"constructor":1}', '"args"', '7']) {
      const res = await post(body);
      expect(res.status, body).toBe(400);
      const error = errorOf(res);
      expect(error.code, body).toBe('INVALID_ARGUMENT');
      expect(error.message, body).not.toMatch(/Cannot read|is not a function|undefined|null|TypeError/);
    }
    for (const query of ['{"constructor":1}', '{"toString":"x"}', '{"__proto__":{}}', '{"hasOwnProperty":null}', '{"valueOf":1}']) {
      const res = await request(server.port, '/api/call/listArticles', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Backfile-Token': token },
        body: `{"args":[${query}]}`,
      });
      expect(res.status, query).toBe(400);
      expect(errorOf(res).code, query).toBe('INVALID_ARGUMENT');
      expect(errorOf(res).message, query).toMatch(/a known field/);
    }
  });

  it('answers malformed percent-encoding anywhere in the path with 400, not 500', async () => {
    const cookie = { Cookie: `backfile_token=${token}` };
    for (const bad of ['/%ff', '/assets/%E0%A4%A', '/asset/%ff.png', '/%']) {
      expect((await request(server.port, bad, { headers: cookie })).status, bad).toBe(400);
    }
    const api = await request(server.port, '/api/call/%ff', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Backfile-Token': token }, body: '{}' });
    expect([api.status, errorOf(api).code]).toEqual([400, 'INVALID_ARGUMENT']);
  });

  it('imports dropped files by content, and refuses paths that try to leave the drop', async () => {
    const data = Buffer.from('---\ntitle: Dropped in the browser\ndate: 2024-02-02\n---\nUploaded body.\n').toString('base64');
    const escape = await call('importFiles', [[{ path: '../../outside.md', data }]]);
    expect(escape.status).toBe(403);
    expect(errorOf(escape)).toEqual({ code: 'UNSAFE_PATH', message: expect.stringMatching(/unsafe path/) });
    const notBase64 = await call('importFiles', [[{ path: 'x.md', data: '<script>' }]]);
    expect([notBase64.status, errorOf(notBase64).code]).toEqual([400, 'INVALID_ARGUMENT']);
    const byPath = await call('importPaths', [['/etc']]);
    expect([byPath.status, errorOf(byPath).code]).toEqual([400, 'INVALID_ARGUMENT']);
    const ok = await call('importFiles', [[{ path: '2024-02-02-dropped.md', data }]]);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).result.added).toBe(1);
    const found = await call('listArticles', [{ query: '"Dropped in the browser"' }]);
    expect(JSON.parse(found.body).result.total).toBe(1);
  });

  it('opens no archive but the one it serves', async () => {
    const res = await call('openArchive', ['/etc']);
    expect(res.status).toBe(409);
    expect(errorOf(res)).toEqual({ code: 'NO_ARCHIVE', message: expect.stringMatching(/one archive/) });
  });

  const uploadHeaders = () => ({ 'Content-Type': 'application/json', 'X-Backfile-Token': token });

  it('streams an upload to disk: memory grows by a small part of its size, not by the upload', async () => {
    const chunks = 960; // 60 MiB of base64 (45 MiB of file)
    // What the process holds, not the garbage it has yet to collect: collect first (the server runs in this process).
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const sizeOf = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const before = sizeOf();
    let peak = before;
    const upload = streamRequest(server.port, '/api/call/importFiles', uploadHeaders(), uploadBody('big/large-upload.bin', chunks, async (i) => {
      if (i % 32 === 0) peak = Math.max(peak, sizeOf());
    }));
    const res = await upload.reply;
    expect(res.status, res.body).toBe(200);
    const growth = peak - before;
    const uploadBytes = chunks * 64 * 1024;
    // Reading the body whole first held it as a string (60 MiB) and then parsed it again; streamed, the server
    // holds about one network chunk at a time, and what grows is the garbage the collector has not taken yet.
    expect(growth, `held ${(growth / 1024 / 1024).toFixed(1)} MiB while uploading ${uploadBytes / 1024 / 1024} MiB`).toBeLessThan(uploadBytes / 5);
  });

  it('refuses a second import while one is uploading, before reading its body (BUSY, 409)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const uploading = new Promise<void>((resolve) => (started = resolve));
    // The first upload sends part of its body, then waits with the rest.
    const first = streamRequest(server.port, '/api/call/importFiles', uploadHeaders(), uploadBody('first/held.bin', 64, async (i) => {
      if (i === 32) {
        started();
        await gate;
      }
    }));
    await uploading;
    // Three more, each sending one chunk and then waiting for the answer: a server that read the body first
    // would never answer them.
    const others = [0, 1, 2].map((n) => {
      let onAnswer!: () => void;
      const answered = new Promise<void>((resolve) => (onAnswer = resolve));
      const parts = uploadBody(`other${n}/refused.bin`, 64);
      let asked = 0;
      const upload = streamRequest(server.port, '/api/call/importFiles', uploadHeaders(), async () => {
        if (asked++ === 0) return parts();
        await answered;
        return null;
      });
      void upload.reply.then(onAnswer, onAnswer);
      return upload;
    });
    for (const other of others) {
      const res = await other.reply;
      expect(res.status).toBe(409);
      expect(errorOf(res).code).toBe('BUSY');
      expect(other.written()).toBeLessThan(1024); // only the opening of its body was ever sent
    }
    release();
    const done = await first.reply;
    expect(done.status, done.body).toBe(200);
    // Free again afterwards.
    const data = Buffer.from('---\ntitle: After the busy one\ndate: 2024-03-03\n---\nBody.\n').toString('base64');
    const again = await call('importFiles', [[{ path: '2024-03-03-after-busy.md', data }]]);
    expect(again.status, again.body).toBe(200);
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

describe('browser-mode server errors', () => {
  it('answers an unexpected failure as INTERNAL with its first line, never a stack', async () => {
    const archive = await serveArchive({ archive: copyArchive(edgeArchive), indexFile: path.join(tempDir(), 'index.sqlite'), staticDir: edgeArchive, announce: false, watch: false }).catch(() => null);
    const staticDir = tempDir('backfile-web-');
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
    const failing = new Error('disk on fire\n    at secret (/home/someone/backfile/src.ts:1:1)');
    const api = { getArchiveInfo: async () => Promise.reject(failing) } as unknown as ArchiveApi;
    const fakeService = { on: () => () => undefined } as unknown as Parameters<typeof startBrowserServer>[0]['service'];
    const server = await startBrowserServer({ api, service: archive?.service ?? fakeService, staticDir, token: 't'.repeat(32) });
    try {
      const res = await request(server.port, '/api/call/getArchiveInfo', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Backfile-Token': 't'.repeat(32) }, body: '{"args":[]}' });
      expect(res.status).toBe(500);
      expect(JSON.parse(res.body)).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'disk on fire' } });
    } finally {
      await server.close();
      await archive?.close();
    }
  });
});
