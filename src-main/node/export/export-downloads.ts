/**
 * Browser mode's exports: the server cannot show a save dialog on the reader's machine, so it writes each export
 * into its own temporary folder and the page downloads it once from `GET /api/export/<id>` (token-guarded like every
 * route; the id is random). A download is removed once sent, and every one when the server closes.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface ExportDownload {
  /** The file on this machine. */
  file: string;
  /** The name the browser saves it under. */
  name: string;
  mediaType: string;
}

export class ExportDownloads {
  private readonly ready = new Map<string, ExportDownload>();

  private constructor(readonly folder: string) {}

  static async create(): Promise<ExportDownloads> {
    return new ExportDownloads(await fs.mkdtemp(path.join(os.tmpdir(), 'backfile-exports-')));
  }

  /** A fresh place for one export's file (its own folder, so the name can be the one the reader sees). */
  async reserve(name: string): Promise<{ id: string; file: string }> {
    const id = randomUUID();
    await fs.mkdir(path.join(this.folder, id));
    return { id, file: path.join(this.folder, id, name) };
  }

  /** The export is written: the page may fetch it (`/api/export/<id>`). */
  publish(id: string, download: ExportDownload): string {
    this.ready.set(id, download);
    return `/api/export/${id}`;
  }

  /** The download, handed out once; the caller streams it, then calls `remove`. */
  take(id: string): ExportDownload | undefined {
    const download = this.ready.get(id);
    this.ready.delete(id);
    return download;
  }

  async remove(id: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return;
    await fs.rm(path.join(this.folder, id), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    this.ready.clear();
    await fs.rm(this.folder, { recursive: true, force: true });
  }
}
