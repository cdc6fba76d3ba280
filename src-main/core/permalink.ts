/**
 * A post's URL as Jekyll builds it (Jekyll 4's URL and UrlDrop): a style (`date`, `pretty`, `ordinal`,
 * `weekdate`, `none`) or a pattern of `:placeholders`, each value percent-escaped, then `//` squeezed. Front
 * matter `permalink` replaces the pattern (placeholders still apply, style names do not); front matter `slug`
 * replaces the file name's slug in `:title` and `:slug`.
 */
import { dateInstant } from './dates';
import type { PostDate } from './types';

export const PERMALINK_STYLES: Record<string, string> = {
  date: '/:categories/:year/:month/:day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  weekdate: '/:categories/:year/W:week/:short_day/:title:output_ext',
  none: '/:categories/:title:output_ext',
};

export interface PermalinkInput {
  /** The slug of the file name (`slap-chop` of `2009-04-29-slap-chop.md`). */
  fileSlug: string;
  /** All the post's categories in order (folders above `_posts`, then front matter). */
  categories: string[];
  date: PostDate;
  /** Front matter (with `_config.yml` defaults merged under it): `permalink` and `slug` are read. */
  meta?: Record<string, unknown>;
}

export interface PermalinkSite {
  /** `permalink` of `_config.yml` (style name or pattern); default `date`. */
  permalink?: string;
  /** IANA zone: a date written with an offset is shown in this zone, as Jekyll does; null keeps the written clock. */
  timezone?: string | null;
}

const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The URL path of a post (`/2009/04/29/slap-chop.html`), without the site's `url` and `baseurl`. */
export function buildPermalink(post: PermalinkInput, site: PermalinkSite = {}): string {
  const own = post.meta?.permalink;
  const template = typeof own === 'string' && own.trim() !== ''
    ? own.trim()
    : PERMALINK_STYLES[site.permalink ?? 'date'] ?? (site.permalink as string);
  const placeholders = placeholdersOf(post, site.timezone ?? null);
  const generated = template.replace(/:([a-z_]+)/g, (match, name: string) => {
    // Jekyll tries the longest name first, then without a trailing `_` (`:title_` is `:title` then `_`).
    for (let end = name.length; end > 0; end--) {
      const key = name.slice(0, end);
      if (Object.hasOwn(placeholders, key)) return escapePath(placeholders[key]!) + name.slice(end);
    }
    return match;
  });
  return sanitizeUrl(generated);
}

/** `https://example.com` + `/blog` + the permalink; null when the site has no `url`. */
export function canonicalUrl(url: string | null, baseurl: string, permalink: string): string | null {
  return url ? `${url}${baseurl}${permalink}` : null;
}

function placeholdersOf(post: PermalinkInput, timezone: string | null): Record<string, string> {
  const slugField = post.meta?.slug;
  const slugSource = typeof slugField === 'string' && slugField.trim() !== '' ? slugField : typeof slugField === 'number' ? String(slugField) : post.fileSlug;
  const categories = [...new Set(post.categories.map((c) => c.toLowerCase()))].join('/');
  const values: Record<string, string> = {
    title: slugify(slugSource, 'pretty', true),
    slug: slugify(slugSource, 'default', false),
    name: slugify(slugSource, 'default', false),
    categories,
    output_ext: '.html',
    collection: 'posts',
  };
  const parts = dateParts(post.date, timezone);
  if (parts) {
    const { year, month, day, hour, minute, second } = parts;
    const utcDay = utcDate(year, month, day);
    const dow = utcDay.getUTCDay();
    const yDay = Math.round((utcDay.getTime() - utcDate(year, 1, 1).getTime()) / 86_400_000) + 1;
    const iso = isoWeek(utcDay);
    Object.assign(values, {
      year: String(year).padStart(4, '0'),
      month: pad(month),
      i_month: String(month),
      day: pad(day),
      i_day: String(day),
      short_year: pad(year % 100),
      hour: pad(hour),
      minute: pad(minute),
      second: pad(second),
      y_day: String(yDay).padStart(3, '0'),
      long_month: LONG_MONTHS[month - 1]!,
      short_month: LONG_MONTHS[month - 1]!.slice(0, 3),
      long_day: LONG_DAYS[dow]!,
      short_day: LONG_DAYS[dow]!.slice(0, 3),
      week: pad(iso.week),
      w_year: String(iso.year),
      w_day: String(dow === 0 ? 7 : dow),
    });
  } else {
    for (const key of ['year', 'month', 'i_month', 'day', 'i_day', 'short_year', 'hour', 'minute', 'second', 'y_day', 'long_month', 'short_month', 'long_day', 'short_day', 'week', 'w_year', 'w_day']) values[key] = '';
  }
  return values;
}

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock of a post's date: as written, or, for a date written with an offset, in the site's zone. */
export function dateParts(date: PostDate, timezone: string | null): DateParts | null {
  if (!date) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?/.exec(date);
  if (!m) return null;
  const written: DateParts = {
    year: Number(m[1]), month: Number(m[2]), day: Number(m[3]),
    hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0),
  };
  const instant = timezone ? dateInstant(date) : null;
  if (!instant || !timezone) return written;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const get = (parts: Intl.DateTimeFormatPart[], type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const parts = format.formatToParts(new Date(instant));
  return { year: get(parts, 'year'), month: get(parts, 'month'), day: get(parts, 'day'), hour: get(parts, 'hour'), minute: get(parts, 'minute'), second: get(parts, 'second') };
}

function utcDate(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d;
}

function isoWeek(day: Date): { year: number; week: number } {
  const d = new Date(day.getTime());
  const dow = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dow);
  const yearStart = utcDate(d.getUTCFullYear(), 1, 1);
  return { year: d.getUTCFullYear(), week: Math.ceil(((d.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7) };
}

/** Jekyll's Utils.slugify: `default` keeps letters, marks and digits; `pretty` also `._~!$&'()+,;=@`. */
export function slugify(text: string, mode: 'default' | 'pretty', cased: boolean): string {
  const re = mode === 'pretty' ? /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu : /[^\p{M}\p{L}\p{Nd}]+/gu;
  const slug = text.replace(re, '-').replace(/^-|-$/g, '');
  return cased ? slug : slug.toLowerCase();
}

/** Addressable's normalize_component with Jekyll's safe set: everything else percent-encoded as UTF-8. */
export function escapePath(value: string): string {
  // encodeURIComponent keeps A-Z a-z 0-9 - _ . ! ~ * ' ( ); Jekyll also keeps $ & + , ; = : @ /.
  // A lone surrogate (never in real text) would make encodeURIComponent throw: U+FFFD instead.
  return encodeURIComponent(value.replace(/[\ud800-\udfff]/gu, '\ufffd')).replace(
    /%(24|26|2B|2C|3B|3D|3A|40|2F)/g,
    (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
  );
}

/** Jekyll's URL#sanitize_url: a leading `/`, no `..`, no `./`, no doubled `/`. */
function sanitizeUrl(url: string): string {
  return `/${url}`.replace(/\.\./g, '/').replace(/\.\//g, '').replace(/\/{2,}/g, '/');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
