/**
 * The script of a dossier's index.html (bundled into `dossier.js` at export time, with the tokenizer and the query
 * parser): reads the globals that `lunr.min.js` and `dossier-data.js` set, answers the search box as the reader
 * types, and lists the results as links to the article pages. No network, no storage: the query lives in the
 * address's hash, so Back from an article shows the same results.
 */
import type lunr from 'lunr';
import { lunrIndexJson, type DossierFile } from './dossier-data';
import { DossierSearch } from './search-dossier';

declare global {
  interface Window {
    lunr?: typeof lunr;
    BACKFILE_DOSSIER?: DossierFile;
  }
}

/** Results listed at once; "Show more" adds as many again. */
const PAGE = 200;

function dateOnly(date: string | null): string {
  return date ? date.slice(0, 10) : '';
}

function start(): void {
  const ns = window.lunr;
  const data = window.BACKFILE_DOSSIER;
  const input = document.getElementById('q') as HTMLInputElement | null;
  const list = document.getElementById('results');
  const status = document.getElementById('status');
  if (!ns || !data || !input || !list || !status) return;
  const search = new DossierSearch(ns, ns.Index.load(lunrIndexJson(data.index, data.docs.length)), data);
  const one = status.dataset.one ?? '1 result';
  const many = status.dataset.many ?? '{n} results';

  const more = document.getElementById('more') as HTMLButtonElement | null;
  let shown: number[] = [];
  let rendered = 0;
  const item = (ref: number): HTMLLIElement => {
    const doc = data.docs[ref]!;
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = doc.href;
    a.textContent = doc.title;
    li.append(a);
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = [dateOnly(doc.date), doc.categories.join(' › ')].filter(Boolean).join(' · ');
    li.append(meta);
    if (doc.excerpt) {
      const p = document.createElement('p');
      p.textContent = doc.excerpt;
      li.append(p);
    }
    return li;
  };
  /** The next PAGE results appended: a long list is built as the reader asks for it, so typing stays quick. */
  const renderMore = (): void => {
    const next = shown.slice(rendered, rendered + PAGE);
    list.append(...next.map(item));
    rendered += next.length;
    if (more) more.hidden = rendered >= shown.length;
  };
  more?.addEventListener('click', renderMore);

  const show = (query: string): void => {
    const { refs, notices } = search.search(query);
    shown = refs;
    rendered = 0;
    list.replaceChildren();
    renderMore();
    const count = (refs.length === 1 ? one : many).replace('{n}', refs.length.toLocaleString());
    status.textContent = notices.length > 0 ? `${count} — ${notices.join(' ')}` : count;
  };

  const fromHash = (): string => {
    const m = /^#q=(.*)$/.exec(location.hash);
    try {
      return m ? decodeURIComponent(m[1]!) : '';
    } catch {
      return '';
    }
  };
  input.value = fromHash();
  show(input.value);
  // Disabled in the HTML until the index is loaded (a big dossier takes seconds): typing earlier would be lost.
  input.disabled = false;
  input.focus();
  input.addEventListener('input', () => {
    show(input.value);
    try {
      history.replaceState(null, '', input.value ? `#q=${encodeURIComponent(input.value)}` : location.pathname);
    } catch {
      // Some browsers refuse history changes on file:// pages; the results are shown all the same.
    }
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
