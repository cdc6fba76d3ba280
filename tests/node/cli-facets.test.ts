import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Facets, ListResult } from '../../src-main/shared/archive-api';
import { runCli, runCliJson } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

let archive: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  const tmp = tempDir('backfile-cli-facets-');
  archive = path.join(tmp, 'archive');
  fs.mkdirSync(path.join(archive, '_posts'), { recursive: true });
  const post = (name: string, tags: string[], category: string) =>
    fs.writeFileSync(path.join(archive, '_posts', name), `---\ntitle: ${name}\ncategories: [${category}]\ntags: ${JSON.stringify(tags)}\n---\n市场\n`);
  post('2020-01-01-a.md', ['钢铁', '煤炭'], '经济');
  post('2020-02-01-b.md', ['钢铁'], '经济');
  post('2021-01-01-c.md', ['煤炭'], '政治');
  post('2021-02-01-d.md', [], '政治');
  env = { BACKFILE_DATA_DIR: path.join(tmp, 'data') };
});

describe('CLI: facets and --tag', () => {
  it('facets counts what the query and the tags find; search takes the same --tag and --any-tag', () => {
    const wide = runCliJson<Facets>(['facets', archive, ''], env);
    expect(wide.dates.map((d) => [d.year, d.count])).toEqual([[2021, 2], [2020, 2]]);
    const steel = runCliJson<Facets>(['facets', archive, '', '--tag', '钢铁'], env);
    expect(steel.dates.map((d) => [d.year, d.count])).toEqual([[2020, 2]]);
    expect(steel.tags).toEqual([{ name: '钢铁', count: 2 }, { name: '煤炭', count: 1 }]);
    const all = runCliJson<ListResult>(['search', archive, '市场', '--tag', '钢铁', '--tag', '煤炭'], env);
    expect(all.total).toBe(1);
    const any = runCliJson<ListResult>(['search', archive, '市场', '--tag', '钢铁', '--tag', '煤炭', '--any-tag'], env);
    expect(any.total).toBe(3);
    const text = runCli(['facets', archive, '', '--tag', '煤炭'], env);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Years:\n  2021  1\n  2020  1');
    expect(runCli(['search', archive, 'x', '--any-tag'], env).status).toBe(2);
  });
});
