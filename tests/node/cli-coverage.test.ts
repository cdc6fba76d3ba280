import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../helpers/cli';
import { sharedCorpus, tempDir } from '../helpers/temp';

/** `timeline` and `batch` (issue 14): their exact output shapes, over the shared corpus. */
const finews = path.join(sharedCorpus, 'finews-sample');

describe.skipIf(!fs.existsSync(finews))('CLI timeline and batch on finews-sample', () => {
  const dir = tempDir('backfile-cli-coverage-');
  const index = ['--index', path.join(dir, 'index.sqlite')];

  it('timeline --json: total, undated, by, buckets of period and count', () => {
    const all = runCliJson<unknown>(['timeline', finews, '', '--by', 'year', ...index]);
    const search = runCliJson<{ total: number }>(['search', finews, '', '--limit', '1', ...index]);
    expect(all).toEqual({ total: search.total, undated: 1, by: 'year', buckets: [{ period: '2021', count: 5 }, { period: '2022', count: 1 }] });
    const weeks = runCliJson<{ by: string; buckets: { period: string; count: number }[] }>(['timeline', finews, '', '--by', 'week', ...index]);
    expect(weeks.buckets[0]).toEqual({ period: '2021-W48', count: 1 });
    expect(weeks.buckets.every((b) => Object.keys(b).join() === 'period,count' && /^\d{4}-W\d{2}$/.test(b.period))).toBe(true);
    expect(runCliJson<{ by: string }>(['timeline', finews, '', ...index]).by).toBe('week');
    const text = runCli(['timeline', finews, '', '--by', 'month', ...index]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('2021-12');
    const bad = runCli(['timeline', finews, '', '--by', 'hour', ...index]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--by is day, week, month, year');
  });

  it('batch --json and --csv: one row per line of the file, totals as single searches', () => {
    const terms = path.join(dir, 'terms.txt');
    fs.writeFileSync(terms, '\uFEFF"钢材价格"\r\n\r\n-股票 市场\nzzqx没有\n');
    const json = runCliJson<{ terms: { term: string; total: number; first: string | null; last: string | null }[] }>(['batch', finews, '--terms', terms, ...index]);
    expect(json.terms.map((t) => t.term)).toEqual(['"钢材价格"', '-股票 市场', 'zzqx没有']);
    for (const row of json.terms) {
      expect(Object.keys(row)).toEqual(['term', 'total', 'first', 'last']);
      const single = runCli(['search', finews, '--limit', '1', '--json', ...index, '--', row.term]);
      expect((JSON.parse(single.stdout) as { total: number }).total, row.term).toBe(row.total);
    }
    expect(json.terms[2]).toEqual({ term: 'zzqx没有', total: 0, first: null, last: null });
    const csv = runCli(['batch', finews, '--terms', terms, '--csv', ...index]);
    expect(csv.status).toBe(0);
    const lines = csv.stdout.split('\r\n');
    expect(lines[0]).toBe('\uFEFFterm,total,first,last');
    expect(lines[1]).toBe(`"""钢材价格""",${json.terms[0]!.total},${json.terms[0]!.first ?? ''},${json.terms[0]!.last ?? ''}`);
    expect(lines[2]).toBe(`'-股票 市场,${json.terms[1]!.total},${json.terms[1]!.first ?? ''},${json.terms[1]!.last ?? ''}`);
    expect(lines[3]).toBe('zzqx没有,0,,');
    expect(lines[4]).toBe('');
    expect(runCli(['batch', finews, ...index]).stderr).toContain('missing --terms FILE');
  });
});
