/**
 * The site's `_config.yml`, read as Jekyll reads the parts a reader needs: the site's name, its canonical URL
 * (`url`, `baseurl`, `permalink`), `timezone`, front-matter `defaults`, `exclude`/`include` and
 * `show_drafts`/`future`. Parsed by the front matter's safe YAML (same size, depth and alias limits); a broken
 * file is a problem to report, never a reason not to open the archive (the defaults below are used).
 */
import { parseFrontMatter } from './front-matter';
import type { PostLocation } from './types';
import { locatePost, type ArchiveLayout } from './post-path';

export interface FrontMatterDefault {
  /** Archive-relative path prefix the values apply to ('' for everything). */
  path: string;
  /** `posts`, `drafts`, `pages`… or null for every type. */
  type: string | null;
  values: Record<string, unknown>;
}

export interface SiteConfig {
  /** `title` (or `name`), or null when the config names none. */
  title: string | null;
  /** `url` without a trailing `/` (`https://example.com`), or null. */
  url: string | null;
  /** `baseurl`: '' or `/blog` (leading `/`, no trailing one). */
  baseurl: string;
  /** `permalink`: a style name (`date`, `pretty`, `ordinal`, `weekdate`, `none`) or a pattern. */
  permalink: string;
  /** IANA zone (`Asia/Shanghai`) of dates written without an offset, or null (as written). */
  timezone: string | null;
  defaults: FrontMatterDefault[];
  exclude: string[];
  include: string[];
  /** `show_drafts: true`: drafts are not hidden. */
  showDrafts: boolean;
  /** `future: false` written: posts dated after now are hidden, as Jekyll does; null when not written. */
  future: boolean | null;
}

export const DEFAULT_SITE_CONFIG: SiteConfig = {
  title: null,
  url: null,
  baseurl: '',
  permalink: 'date',
  timezone: null,
  defaults: [],
  exclude: [],
  include: [],
  showDrafts: false,
  future: null,
};

export interface SiteConfigParse {
  config: SiteConfig;
  /** Why (part of) the file was not used, for a person. */
  problems: string[];
}

export const SITE_CONFIG_FILE = '_config.yml';

/** Reads the text of `_config.yml`. Never throws. */
export function parseSiteConfig(text: string): SiteConfigParse {
  const problems: string[] = [];
  // A leading `---` document marker is allowed in YAML files; the front-matter reader adds its own (and stops
  // at the next `---`, where a second YAML document would start: only the first is read, as Jekyll does).
  const body = text.replace(/^\uFEFF/, '').replace(/^---[ \t]*\r?\n/, '');
  const parsed = parseFrontMatter(`---\n${body}\n---\n`);
  if (parsed.problem) {
    return { config: { ...DEFAULT_SITE_CONFIG }, problems: [parsed.problem.replace(/front matter/g, '_config.yml')] };
  }
  const data = parsed.data;
  const config: SiteConfig = { ...DEFAULT_SITE_CONFIG };
  const text_ = (key: string): string | null => {
    const value = data[key];
    if (value === undefined || value === null) return null;
    if (typeof value === 'string') return value.trim();
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    problems.push(`${key} is not text; ignored`);
    return null;
  };
  config.title = text_('title') || text_('name') || null;
  const url = text_('url');
  if (url) {
    if (/^https?:\/\/[^/\s]+/i.test(url)) config.url = url.replace(/\/+$/, '');
    else problems.push(`url '${url.slice(0, 80)}' is not an http(s) address; ignored`);
  }
  const baseurl = text_('baseurl');
  if (baseurl) config.baseurl = `/${baseurl.replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
  const permalink = text_('permalink');
  if (permalink) config.permalink = permalink;
  const timezone = text_('timezone');
  if (timezone) {
    if (isTimeZone(timezone)) config.timezone = timezone;
    else problems.push(`timezone '${timezone.slice(0, 80)}' is not a known time zone; dates without an offset are read as written`);
  }
  config.exclude = stringList(data.exclude, 'exclude', problems);
  config.include = stringList(data.include, 'include', problems);
  config.showDrafts = data.show_drafts === true;
  if (data.future === true || data.future === false) config.future = data.future;
  config.defaults = readDefaults(data.defaults, problems);
  return { config, problems };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function stringList(value: unknown, key: string, problems: string[]): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item === 'string' && item.trim() !== '') out.push(item.trim());
    else if (typeof item === 'number') out.push(String(item));
    else {
      problems.push(`${key} holds something that is not a name; ignored`);
    }
  }
  return out;
}

function readDefaults(value: unknown, problems: string[]): FrontMatterDefault[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push('defaults is not a list; ignored');
    return [];
  }
  const out: FrontMatterDefault[] = [];
  for (const entry of value) {
    const e = entry as { scope?: unknown; values?: unknown } | null;
    if (!e || typeof e !== 'object' || !e.values || typeof e.values !== 'object' || Array.isArray(e.values)) {
      problems.push('a defaults entry has no values; ignored');
      continue;
    }
    const scope = (e.scope && typeof e.scope === 'object' ? e.scope : {}) as { path?: unknown; type?: unknown };
    out.push({
      path: typeof scope.path === 'string' ? scope.path.replace(/^\/+|\/+$/g, '') : '',
      type: typeof scope.type === 'string' ? scope.type : null,
      values: e.values as Record<string, unknown>,
    });
  }
  return out;
}

/**
 * The front-matter defaults that apply to one file, merged as Jekyll merges them: a longer (more specific) scope
 * path wins over a shorter one, a scope with a type over one without; later entries win ties. The post's own
 * front matter wins over all of them (the caller spreads it last).
 */
export function defaultsFor(config: SiteConfig, relPath: string, kind: 'post' | 'draft'): Record<string, unknown> {
  const type = kind === 'post' ? 'posts' : 'drafts';
  const matching = config.defaults
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => (d.type === null || d.type === type) && scopeMatches(d.path, relPath))
    .sort((a, b) => a.d.path.length - b.d.path.length || Number(a.d.type !== null) - Number(b.d.type !== null) || a.i - b.i);
  const merged: Record<string, unknown> = {};
  for (const { d } of matching) Object.assign(merged, d.values);
  return merged;
}

function scopeMatches(scopePath: string, relPath: string): boolean {
  if (scopePath === '') return true;
  if (scopePath.includes('*')) return globMatches(scopePath, relPath) || globMatches(`${scopePath}/**`, relPath);
  return relPath === scopePath || relPath.startsWith(`${scopePath}/`);
}

/** `*` within one segment, `**` across segments, `?` one character (File.fnmatch with FNM_PATHNAME). */
export function globMatches(pattern: string, relPath: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(relPath);
}

/**
 * A post's location as `_config.yml` changes it: front-matter `defaults` for its path, `show_drafts` (a draft is
 * read as a post), `future: false` (posts dated after `now`, in the site's zone, are unpublished).
 */
export function locateWithSite(config: SiteConfig, relPath: string, location: PostLocation, now: Date): PostLocation {
  if (location.kind === 'other') return location;
  const kind = location.kind === 'draft' && config.showDrafts ? 'post' : location.kind;
  const defaults = defaultsFor(config, relPath, location.kind);
  const out: PostLocation = { ...location, kind };
  if (Object.keys(defaults).length > 0) out.defaults = defaults;
  if (config.future === false) out.hideAfter = wallClock(now, config.timezone);
  return out;
}

/** `YYYY-MM-DDTHH:MM:SS` of an instant in a zone (UTC without one). */
export function wallClock(instant: Date, timezone: string | null): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone ?? 'UTC', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year').padStart(4, '0')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
}

/**
 * Is this archive-relative path excluded from reading by `exclude` (and not brought back by `include`)? An
 * entry names a file or folder relative to the root (`vendor`, `drafts/old`) or is a glob (`*.bak.md`).
 */
export function isExcluded(config: SiteConfig, relPath: string): boolean {
  const hit = (list: string[]) =>
    list.some((entry) => {
      const e = entry.replace(/^\/+|\/+$/g, '');
      if (e === '') return false;
      if (e.includes('*') || e.includes('?')) return globMatches(e, relPath) || globMatches(e, relPath.split('/').pop() ?? '');
      return relPath === e || relPath.startsWith(`${e}/`);
    });
  return hit(config.exclude) && !hit(config.include);
}

/**
 * Is this entry (a folder or file, archive-relative), whose name Jekyll would skip (`_notes`, `.well-known`,
 * `_2020-01-01-x.md`), brought back by `include`? As Jekyll's EntryFilter: an entry names the path or the
 * entry's own name, or is a glob over either.
 */
export function isBroughtBack(config: SiteConfig, entryPath: string): boolean {
  const name = entryPath.split('/').pop() ?? '';
  return config.include.some((entry) => {
    const e = entry.replace(/^\/+|\/+$/g, '');
    return e !== '' && (entryPath === e || name === e || globMatches(e, entryPath) || globMatches(e, name));
  });
}

/** Where a post of this site sits (locatePost, with `include` bringing back `_`/`.` names) and what the site adds. */
export function locateInSite(config: SiteConfig, relPath: string, layout: ArchiveLayout, now: Date): PostLocation {
  return locateWithSite(config, relPath, locatePost(relPath, layout, (entryPath) => isBroughtBack(config, entryPath)), now);
}

/** Is a hidden (`.name`) entry brought back into the scan by `include`? */
export function isIncluded(config: SiteConfig, relPath: string): boolean {
  return config.include.some((entry) => {
    const e = entry.replace(/^\/+|\/+$/g, '');
    return e !== '' && (relPath === e || relPath.startsWith(`${e}/`) || e.startsWith(`${relPath}/`) || globMatches(e, relPath));
  });
}
