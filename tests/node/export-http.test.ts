/**
 * Browser mode's export: `exportToFile` over HTTP writes into the server's own folder and answers a one-time
 * download path; `GET /api/export/<id>` (token-guarded) sends the file as an attachment, once, then removes it.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import yauzl from 'yauzl';
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

/** Unpacks a zip into `out` with yauzl (which itself refuses absolute and `..` names); answers every entry's name. */
async function unzip(zip: Buffer, out: string): Promise<string[]> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const names: string[] = [];
  for await (const entry of file.eachEntry()) {
    names.push(entry.fileName);
    if (entry.fileName.endsWith('/')) continue;
    const target = path.join(out, ...entry.fileName.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await pipeline(await file.openReadStreamPromise(entry), fs.createWriteStream(target));
  }
  return names;
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
    const total = (await server.service.list({})).total;
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
    const known = (await server.service.list({ limit: 3 })).items.map((i) => i.path);
    const paths = [...known, ...Array.from({ length: 30_000 }, (_, i) => `_posts/gone/${String(i).padStart(40, '0')}.md`)];
    expect(JSON.stringify(paths).length).toBeGreaterThan(1024 * 1024);
    const { status, body } = await call([{ format: 'json', paths }]);
    expect(status).toBe(200);
    expect(body.result).toMatchObject({ count: 3, cancelled: false }); // posts that are not there are skipped
  });

  it('refuses a malformed request before writing anything', async () => {
    expect((await call([{ format: 'csv' }])).body.error?.code).toBe('INVALID_ARGUMENT');
    expect((await call([{ format: 'xlsx', query: {} }])).body.error?.code).toBe('INVALID_ARGUMENT');
  });

  it('delivers the dossier as one .zip, served once, that unpacks to the dossier under one relative folder', async () => {
    const total = (await server.service.list({})).total;
    const phases: string[] = [];
    const off = server.service.on('exportProgress', (p) => phases.push(p.phase));
    const { status, body } = await call([{ format: 'dossier', query: {}, lang: 'zh' }]);
    off();
    expect(status).toBe(200);
    const result = body.result!;
    expect(result).toMatchObject({ count: total, cancelled: false });
    expect(result.path).toMatch(/-dossier\.zip$/);
    // Packing is part of the export: its progress comes after the writing, and `done` only once the zip is ready.
    expect(phases.indexOf('packing')).toBeGreaterThan(phases.lastIndexOf('writing'));
    expect(phases.filter((p) => p === 'done')).toHaveLength(1);
    expect(phases.at(-1)).toBe('done');
    // Only the zip waits for its download (the unpacked folder is gone).
    const id = result.download!.split('/').pop()!;
    const slot = fs
      .readdirSync(os.tmpdir())
      .filter((name) => name.startsWith('backfile-exports-'))
      .map((name) => path.join(os.tmpdir(), name, id))
      .find((folder) => fs.existsSync(folder))!;
    expect(fs.readdirSync(slot)).toEqual([result.path]);

    const res = await request(server.port, result.download!, { headers: { Cookie: `backfile_token=${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(result.path)}`);
    expect(res.body.length).toBe(result.bytes);
    expect((await request(server.port, `${result.download!}?token=${token}`)).status).toBe(404);
    await vi.waitFor(() => expect(fs.existsSync(slot)).toBe(false));

    const out = tempDir('backfile-unzip-');
    const names = await unzip(res.body, out);
    const root = result.path.replace(/\.zip$/, '');
    for (const name of names) {
      expect(name.startsWith(`${root}/`), name).toBe(true);
      expect(path.posix.isAbsolute(name) || path.win32.isAbsolute(name) || /\\/.test(name), name).toBe(false);
      expect(name.split('/'), name).not.toContain('..');
    }
    const dossier = path.join(out, root);
    expect(fs.readFileSync(path.join(dossier, 'index.html'), 'utf8')).toContain('<html lang="zh');
    expect(fs.readdirSync(path.join(dossier, 'articles')).filter((f) => f.endsWith('.html'))).toHaveLength(total);
    expect(fs.readFileSync(path.join(dossier, 'dossier-data.js'), 'utf8')).toMatch(/^window\.BACKFILE_DOSSIER = \{"index":/);
    expect(fs.readFileSync(path.join(dossier, 'lunr.min.js'), 'utf8')).toContain('lunr');
    expect(fs.readdirSync(path.join(dossier, 'assets')).some((f) => f.endsWith('chart.png'))).toBe(true);
  });
});
