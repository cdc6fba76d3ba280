/**
 * Browser mode's export: `exportToFile` over HTTP writes into the server's own folder and answers a one-time
 * download path; `GET /api/export/<id>` (token-guarded) sends the file as an attachment, once, then removes it.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveArchive } from '../../src-main/server/serve';
import type { ExportResult } from '../../src-main/shared/archive-api';
import { copyArchive, edgeArchive, tempDir } from '../helpers/temp';

function request(port: number, pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathname, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser mode export download', () => {
  let server: Awaited<ReturnType<typeof serveArchive>>;
  let token: string;
  beforeAll(async () => {
    const staticDir = tempDir('backfile-web-');
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
    server = await serveArchive({ archive: copyArchive(edgeArchive), indexFile: path.join(tempDir(), 'index.sqlite'), staticDir, announce: false, watch: false });
    token = new URL(server.url).searchParams.get('token') ?? '';
    await server.service.reindex();
  });
  afterAll(() => server?.close());

  const call = async (args: unknown[]) => {
    const res = await request(server.port, '/api/call/exportToFile', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Backfile-Token': token },
      body: JSON.stringify({ args }),
    });
    return { status: res.status, body: JSON.parse(res.body.toString('utf8')) as { ok: boolean; result?: ExportResult; error?: { code: string } } };
  };

  it('writes the whole result and serves it once as a UTF-8 attachment, with the token only', async () => {
    const total = server.service.list({}).total;
    const { status, body } = await call([{ format: 'csv', query: {} }]);
    expect(status).toBe(200);
    const result = body.result!;
    expect(result).toMatchObject({ count: total, cancelled: false });
    expect(result.path).toMatch(/-export\.csv$/);
    expect(result.download).toMatch(/^\/api\/export\/[0-9a-f-]{36}$/);

    expect((await request(server.port, result.download!)).status).toBe(403); // no token, no file
    const res = await request(server.port, result.download!, { headers: { Cookie: `backfile_token=${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${result.path}"; filename*=UTF-8''${encodeURIComponent(result.path)}`);
    expect(res.body.length).toBe(result.bytes);
    expect(parseCsv(res.body.toString('utf8'), { bom: true, columns: true })).toHaveLength(total);

    const again = await request(server.port, `${result.download!}?token=${token}`);
    expect(again.status).toBe(404);
  });

  it('takes a selection of tens of thousands of paths (more than the 1 MiB other calls may send)', async () => {
    const known = server.service.list({ limit: 3 }).items.map((i) => i.path);
    const paths = [...known, ...Array.from({ length: 30_000 }, (_, i) => `_posts/gone/${String(i).padStart(40, '0')}.md`)];
    expect(JSON.stringify(paths).length).toBeGreaterThan(1024 * 1024);
    const { status, body } = await call([{ format: 'json', paths }]);
    expect(status).toBe(200);
    expect(body.result).toMatchObject({ count: 3, cancelled: false }); // posts that are not there are skipped
  });

  it('refuses a malformed request and the dossier (a folder: no download) before writing anything', async () => {
    expect((await call([{ format: 'csv' }])).body.error?.code).toBe('INVALID_ARGUMENT');
    expect((await call([{ format: 'xlsx', query: {} }])).body.error?.code).toBe('INVALID_ARGUMENT');
    expect((await call([{ format: 'dossier', query: {} }])).body.error?.code).toBe('INVALID_ARGUMENT');
  });
});
