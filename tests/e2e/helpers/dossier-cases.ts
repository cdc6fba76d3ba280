/**
 * What both file:// dossier tests (Chromium, dossier-file.test.ts; Firefox, dossier-firefox.test.ts) open and how
 * they judge its requests, written once so the two browsers are held to the same dossiers and the same rule.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll } from 'vitest';
import type { DossierLang } from '../../../src-main/core/dossier/dossier-pages';
import type { ArchiveService } from '../../../src-main/node/archive/archive-service';
import { buildTestDossier } from '../../helpers/dossier';
import { edgeArchive, sharedCorpus, tempDir } from '../../helpers/temp';

/** A Chinese dossier from the real corpus and an English one from the edge fixtures (each where present), with a query that finds some of their posts. */
export const DOSSIER_CASES = [
  { lang: 'zh' as const, root: path.join(sharedCorpus, 'finews-sample'), query: '中国', name: 'finews-zh' },
  { lang: 'en' as const, root: edgeArchive, query: 'chart', name: 'edge-en' },
].filter((c) => fs.existsSync(c.root));

/** The requests that did not load a file inside the dossier's folder. */
export function requestsOutside(folder: string, requests: string[]): string[] {
  const prefix = pathToFileURL(folder).href + '/';
  return requests.filter((url) => !url.startsWith(prefix));
}

/**
 * For the calling `describe`: a temp folder (`dir`, removed after the file's tests) and `build`, which indexes an
 * archive and writes its dossier to `dir/name`; the archives' services are closed after the describe's tests, after
 * the hooks it registers later (its browser's).
 */
export function dossierBuilder(prefix: string): { dir: string; build(root: string, lang: DossierLang, name: string): Promise<string> } {
  const dir = tempDir(prefix);
  const services: ArchiveService[] = [];
  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
  });
  return { dir, build: (root, lang, name) => buildTestDossier(dir, services, root, lang, name) };
}
