import { workspaceSchemas } from './workspace/validate-workspace-args';
import {
  ArchiveError, CITATION_STYLES, EXPORT_FORMATS, MAX_BATCH_TERMS, TIMELINE_UNITS, type ArchiveMethod, type ExportRequest, type ListQuery, type TeamIndexRequest,
} from '../shared/archive-api';

/**
 * Checks the arguments of a contract call at the process boundary (IPC from a renderer, HTTP from a page).
 * Anything that is not exactly the expected shape is refused with a message; nothing is coerced silently.
 */
export class InvalidArgumentsError extends ArchiveError {
  override name = 'InvalidArgumentsError';
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

const MAX_STRING = 4096;
const MAX_QUERY = 10_000;

type Check = (value: unknown, name: string) => void;

const fail = (name: string, what: string): never => {
  throw new InvalidArgumentsError(`${name} must be ${what}`);
};
const string = (max = MAX_STRING): Check => (v, name) => {
  if (typeof v !== 'string') fail(name, 'a string');
  if ((v as string).length > max) fail(name, `at most ${max} characters`);
  if ((v as string).includes('\0')) fail(name, 'free of NUL characters');
};
const optional = (check: Check): Check => (v, name) => {
  if (v !== undefined && v !== null) check(v, name);
};
const boolean: Check = (v, name) => {
  if (typeof v !== 'boolean') fail(name, 'true or false');
};
const int = (min: number, max: number): Check => (v, name) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(name, `a whole number from ${min} to ${max}`);
};
const stringArray = (maxItems: number): Check => (v, name) => {
  if (!Array.isArray(v) || v.length > maxItems) fail(name, `a list of at most ${maxItems} strings`);
  (v as unknown[]).forEach((item, i) => string()(item, `${name}[${i}]`));
};

export const MAX_UPLOAD_FILES = 20_000;
export const MAX_UPLOAD_BASE64 = Math.ceil((64 * 1024 * 1024 * 4) / 3);
export const MAX_UPLOAD_PATH = 1024;
export const UPLOADS_TOO_LARGE = 'at most 64 MiB in all (import bigger folders with the desktop app or the CLI)';

/** A dropped file's path inside the drop (the HTTP adapter checks it the same way while the upload streams in). */
export const checkUploadPath: Check = (v, name) => string(MAX_UPLOAD_PATH)(v, name);

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

const uploads: Check = (v, name) => {
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_UPLOAD_FILES) fail(name, `a list of 1 to ${MAX_UPLOAD_FILES} files`);
  let total = 0;
  (v as unknown[]).forEach((item, i) => {
    if (!isPlainObject(item)) fail(`${name}[${i}]`, 'an object with path and data');
    const file = item as Record<string, unknown>;
    // Own properties only: `constructor`, `toString` and `__proto__` are keys like any other, never prototype lookups.
    if (!Object.hasOwn(file, 'path') || !Object.hasOwn(file, 'data') || Reflect.ownKeys(file).length !== 2) fail(`${name}[${i}]`, 'an object with only path and data');
    checkUploadPath(file.path, `${name}[${i}].path`);
    const data = file.data;
    if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) fail(`${name}[${i}].data`, 'base64 text');
    total += (data as string).length;
  });
  if (total > MAX_UPLOAD_BASE64) fail(name, UPLOADS_TOO_LARGE);
};

const listQuery: Check = (v, name) => {
  if (!isPlainObject(v)) fail(name, 'an object');
  const q = v as Record<string, unknown>;
  const allowed: Record<keyof ListQuery, Check> = {
    query: optional(string(MAX_QUERY)),
    category: (c, n) => {
      if (c !== null) optional(stringArray(64))(c, n);
    },
    year: (y, n) => {
      if (y !== undefined && y !== null) int(0, 9999)(y, n);
    },
    month: optional(int(1, 12)),
    tag: (t, n) => {
      if (t !== null) optional(string(512))(t, n);
    },
    tags: optional(stringArray(64)),
    tagMode: (m, n) => {
      if (m !== undefined && m !== 'all' && m !== 'any') fail(n, '"all" or "any"');
    },
    sort: (s, n) => {
      if (s !== undefined && s !== 'relevance' && s !== 'date' && s !== 'oldest') fail(n, '"relevance", "date" or "oldest"');
    },
    offset: optional(int(0, 10_000_000)),
    limit: optional(int(1, 500)),
    includeHidden: optional(boolean),
    collapse: optional(boolean),
  };
  for (const key of Reflect.ownKeys(q)) {
    // Own properties of the schema only: `constructor` or `__proto__` must not find Object.prototype's.
    if (typeof key !== 'string' || !Object.hasOwn(allowed, key)) fail(`${name}.${String(key).slice(0, 100)}`, 'a known field');
    (allowed as Record<string, Check>)[key as string]!(q[key as string], `${name}.${key as string}`);
  }
};

const citationStyle: Check = (v, name) => {
  if (!(CITATION_STYLES as readonly unknown[]).includes(v)) fail(name, CITATION_STYLES.map((s) => `"${s}"`).join(', '));
};

/** The most posts an export may name one by one (a whole result goes as its query, any size). */
export const MAX_EXPORT_PATHS = 100_000;

const exportRequest: Check = (v, name) => {
  if (!isPlainObject(v)) fail(name, 'an object');
  const r = v as Record<string, unknown>;
  const allowed: Record<keyof ExportRequest, Check> = {
    format: (f, n) => {
      if (!(EXPORT_FORMATS as readonly unknown[]).includes(f)) fail(n, EXPORT_FORMATS.map((s) => `"${s}"`).join(', '));
    },
    query: optional(listQuery),
    paths: optional(stringArray(MAX_EXPORT_PATHS)),
    lang: (l, n) => {
      if (l !== undefined && l !== 'en' && l !== 'zh') fail(n, '"en" or "zh"');
    },
  };
  for (const key of Reflect.ownKeys(r)) {
    if (typeof key !== 'string' || !Object.hasOwn(allowed, key)) fail(`${name}.${String(key).slice(0, 100)}`, 'a known field');
    (allowed as Record<string, Check>)[key as string]!(r[key as string], `${name}.${key as string}`);
  }
  if (!Object.hasOwn(r, 'format')) fail(`${name}.format`, 'given');
  const hasQuery = r.query !== undefined && r.query !== null;
  const hasPaths = r.paths !== undefined && r.paths !== null;
  if (hasQuery === hasPaths) fail(name, 'given exactly one of query and paths');
};

/** A PostgreSQL schema name as the team index accepts it (an identifier it double-quotes). */
export const PG_SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const teamIndexRequest: Check = (v, name) => {
  if (!isPlainObject(v)) fail(name, 'an object');
  const r = v as Record<string, unknown>;
  const allowed: Record<keyof TeamIndexRequest, Check> = {
    url: (u, n) => {
      string()(u, n);
      if (!/^postgres(ql)?:\/\/[^\s]+$/.test(u as string)) fail(n, 'a postgres://USER@HOST:PORT/DB address');
    },
    schema: optional((s, n) => {
      string(63)(s, n);
      if (!PG_SCHEMA_NAME.test(s as string)) fail(n, 'a schema name of lower-case letters, digits and _');
    }),
    password: optional(string(1024)),
    remember: optional(boolean),
    forgetPassword: optional(boolean),
    teamWorkspace: optional(boolean),
  };
  for (const key of Reflect.ownKeys(r)) {
    if (typeof key !== 'string' || !Object.hasOwn(allowed, key)) fail(`${name}.${String(key).slice(0, 100)}`, 'a known field');
    (allowed as Record<string, Check>)[key as string]!(r[key as string], `${name}.${key as string}`);
  }
  if (!Object.hasOwn(r, 'url')) fail(`${name}.url`, 'given');
};

const schemas: Record<ArchiveMethod, Check[]> = {
  openArchive: [string()],
  getArchiveInfo: [],
  getRecentArchives: [],
  getCategories: [optional(boolean)],
  getDates: [optional(boolean)],
  getTags: [optional(boolean)],
  getFacets: [listQuery],
  getTimeline: [listQuery, optional((v, name) => {
    if (!(TIMELINE_UNITS as readonly unknown[]).includes(v)) fail(name, TIMELINE_UNITS.map((u) => `"${u}"`).join(', '));
  })],
  batchSearch: [(v, name) => {
    if (!Array.isArray(v) || v.length > MAX_BATCH_TERMS) fail(name, `a list of at most ${MAX_BATCH_TERMS} queries`);
    (v as unknown[]).forEach((term, i) => string(MAX_QUERY)(term, `${name}[${i}]`));
  }],
  getProblems: [],
  listArticles: [listQuery],
  getArticle: [string(), optional(string(MAX_QUERY))],
  getSimilar: [string(), optional(boolean)],
  getVersionText: [string()],
  chooseAndOpenArchive: [],
  showInFolder: [string()],
  resolveLink: [string(), string(8192)],
  citeArticle: [string(), citationStyle],
  openExternal: [string(8192)],
  setRemoteContentAllowed: [string(), boolean],
  importPaths: [stringArray(1000)],
  importFiles: [uploads],
  cancelImport: [],
  exportToFile: [exportRequest],
  cancelExport: [],
  getIndexInfo: [],
  connectTeamIndex: [teamIndexRequest],
  disconnectTeamIndex: [],
  ...workspaceSchemas(listQuery),
};

/**
 * The arguments of an HTTP call from its parsed JSON body: `{"args": [...]}`, or `{}` for none. Any other shape
 * (`null`, a list, `{"args": null}`, other keys such as `__proto__`) is refused.
 */
export function argsFromBody(body: unknown): unknown[] {
  if (!isPlainObject(body)) throw new InvalidArgumentsError('the request body must be a JSON object {"args": [...]}');
  const keys = Reflect.ownKeys(body);
  if (keys.some((key) => key !== 'args')) throw new InvalidArgumentsError('the request body may hold only "args"');
  if (!Object.hasOwn(body, 'args')) return [];
  if (!Array.isArray(body.args)) throw new InvalidArgumentsError('arguments must be a list');
  return body.args;
}

export function validateArgs(method: ArchiveMethod, args: unknown): unknown[] {
  const checks = schemas[method];
  if (!Array.isArray(args)) throw new InvalidArgumentsError('arguments must be a list');
  if (args.length > checks.length) throw new InvalidArgumentsError(`${method} takes at most ${checks.length} arguments`);
  checks.forEach((check, i) => check(args[i], `${method} argument ${i + 1}`));
  return args;
}

export function isArchiveMethod(name: string): name is ArchiveMethod {
  return Object.hasOwn(schemas, name);
}
