import fs from 'node:fs/promises';
import path from 'node:path';
import type { RecentArchive } from '../shared/archive-api';

const MAX_RECENT = 10;

/** The archives a reader opened lately, newest first, kept in a small JSON file in the data folder. */
export class RecentArchives {
  constructor(private readonly file: string) {}

  async list(): Promise<RecentArchive[]> {
    try {
      const parsed: unknown = JSON.parse(await fs.readFile(this.file, 'utf8'));
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(
        (r): r is RecentArchive => typeof r?.root === 'string' && typeof r?.name === 'string' && typeof r?.openedAt === 'string',
      );
    } catch {
      return []; // missing or damaged: start afresh, it is only a convenience
    }
  }

  async add(root: string): Promise<void> {
    const rest = (await this.list()).filter((r) => r.root !== root);
    const next = [{ root, name: path.basename(root), openedAt: new Date().toISOString() }, ...rest].slice(0, MAX_RECENT);
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(temp, JSON.stringify(next, null, 2));
    await fs.rename(temp, this.file);
  }
}
