/** A written dossier's search, loaded in Node as its page loads it: dossier-data.js run with a `window`, lunr's index. */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import lunr from 'lunr';
import { lunrIndexJson, type DossierData, type DossierFile } from '../../src-main/core/dossier/dossier-data';
import { DossierSearch } from '../../src-main/core/dossier/search-dossier';
import type { DossierLang } from '../../src-main/core/dossier/dossier-pages';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { writeDossier } from '../../src-main/node/export/dossier/write-dossier';

export function loadDossier(dir: string): { data: DossierData; search: DossierSearch } {
  const window: { BACKFILE_DOSSIER?: DossierFile } = {};
  vm.runInNewContext(fs.readFileSync(path.join(dir, 'dossier-data.js'), 'utf8'), { window });
  const data = window.BACKFILE_DOSSIER!;
  return { data, search: new DossierSearch(lunr, lunr.Index.load(lunrIndexJson(data.index, data.docs.length)), data) };
}

/** The accessible names the issue asks of a dossier's index page, written out (not read from the page's strings). */
export const DOSSIER_NAMES = { en: { search: 'Search', results: 'Results' }, zh: { search: '搜索', results: '结果' } } as const;

/**
 * Indexes `root` (index file in `dir`) and writes a dossier of all its posts, newest first, to `dir/name`. The
 * service is pushed on `services` for the caller to close.
 */
export async function buildTestDossier(dir: string, services: ArchiveService[], root: string, lang: DossierLang, name: string): Promise<string> {
  const service = new ArchiveService();
  services.push(service);
  await service.open(root, { waitForIndex: true, indexFile: path.join(dir, `${name}.sqlite`) });
  const paths = (await service.list({ query: '', limit: 100_000, sort: 'date' })).items.map((h) => h.path);
  const out = path.join(dir, name);
  await writeDossier({
    paths, out, lang, query: '', madeAt: '2026-11-30', archiveName: path.basename(root), archiveRoot: root,
    source: { getArticle: (p) => service.getArticle(p), siteName: service.info().name },
  });
  return out;
}
