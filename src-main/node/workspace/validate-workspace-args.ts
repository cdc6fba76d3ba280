/**
 * The workspace methods' argument checks at the process boundary (validate-args.ts merges them into its table).
 * Shapes only; the store checks meaning (a label's name, a colour, a note's size).
 */
import { ArchiveError } from '../../shared/archive-api';
import type { WorkspaceMethod } from '../../shared/workspace-api';
import { MAX_LABEL, MAX_NOTE } from './workspace-store';

type Check = (value: unknown, name: string) => void;

const fail = (name: string, what: string): never => {
  throw new ArchiveError('INVALID_ARGUMENT', `${name} must be ${what}`);
};
const string = (max: number): Check => (v, name) => {
  if (typeof v !== 'string') fail(name, 'a string');
  if ((v as string).length > max) fail(name, `at most ${max} characters`);
  if ((v as string).includes('\0')) fail(name, 'free of NUL characters');
};
const optionalString = (max: number): Check => (v, name) => {
  if (v !== undefined && v !== null) string(max)(v, name);
};
const boolean: Check = (v, name) => {
  if (typeof v !== 'boolean') fail(name, 'true or false');
};
const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};
const labels: Check = (v, name) => {
  if (!Array.isArray(v) || v.length > 500) fail(name, 'a list of at most 500 label names');
  (v as unknown[]).forEach((item, i) => string(MAX_LABEL)(item, `${name}[${i}]`));
};
const highlight: Check = (v, name) => {
  if (!isPlainObject(v)) fail(name, 'an object with exact, prefix, suffix and comment');
  const h = v as Record<string, unknown>;
  const fields: Record<string, Check> = { exact: string(64 * 1024), prefix: optionalString(1024), suffix: optionalString(1024), comment: optionalString(MAX_NOTE) };
  for (const key of Reflect.ownKeys(h)) {
    if (typeof key !== 'string' || !Object.hasOwn(fields, key)) fail(`${name}.${String(key).slice(0, 100)}`, 'a known field');
    fields[key as string]!(h[key as string], `${name}.${key as string}`);
  }
  if (!Object.hasOwn(h, 'exact')) fail(`${name}.exact`, 'given');
};
const PATH = string(4096);
const NAME = string(MAX_LABEL);
/** An export's shape is checked field by field by exchange.ts checkExport; here only its size and kind. */
const exported: Check = (v, name) => {
  if (!isPlainObject(v)) fail(name, 'a workspace export (an object)');
};

/** `listQuery`: validate-args.ts' own check of a ListQuery, used for a saved search's query. */
export function workspaceSchemas(listQuery: Check): Record<WorkspaceMethod, Check[]> {
  return {
    getMarks: [PATH],
    setStar: [PATH, boolean],
    setLabels: [PATH, labels],
    addLabel: [PATH, NAME, optionalString(7)],
    removeLabel: [PATH, NAME],
    setNote: [PATH, string(MAX_NOTE)],
    addHighlight: [PATH, highlight],
    removeHighlight: [PATH, string(100)],
    listMarks: [],
    countMarks: [listQuery],
    listLabels: [],
    setLabelColor: [NAME, string(7)],
    renameLabel: [NAME, NAME],
    mergeLabels: [NAME, NAME],
    deleteLabel: [NAME],
    setLabelShared: [NAME, boolean],
    listSavedSearches: [],
    addSavedSearch: [NAME, listQuery],
    removeSavedSearch: [NAME],
    markSavedSearchOpened: [NAME],
    forgetMarks: [PATH],
    exportWorkspace: [],
    importWorkspace: [exported],
  };
}
