/** A written dossier's search, loaded in Node as its page loads it: dossier-data.js run with a `window`, lunr's index. */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import lunr from 'lunr';
import { lunrIndexJson, type DossierData, type DossierFile } from '../../src-main/core/dossier/dossier-data';
import { DossierSearch } from '../../src-main/core/dossier/search-dossier';

export function loadDossier(dir: string): { data: DossierData; search: DossierSearch } {
  const window: { BACKFILE_DOSSIER?: DossierFile } = {};
  vm.runInNewContext(fs.readFileSync(path.join(dir, 'dossier-data.js'), 'utf8'), { window });
  const data = window.BACKFILE_DOSSIER!;
  return { data, search: new DossierSearch(lunr, lunr.Index.load(lunrIndexJson(data.index, data.docs.length)), data) };
}
