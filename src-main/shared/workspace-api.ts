/**
 * The research workspace's part of the contract (issue 13): stars, labels, notes, highlights and saved searches,
 * kept in a SQLite file of their own beside the index, never in the archive. `ArchiveApi` extends this interface,
 * so every adapter (IPC, preload, HTTP, CLI, renderer bridge, fake) carries these methods like the others.
 */
import type { ListQuery, PostDate } from './archive-api';

/** A passage of an article the reader highlighted, anchored like the W3C Web Annotation `TextQuoteSelector`. */
export interface Highlight {
  id: string;
  /** The highlighted text, exactly. */
  exact: string;
  /** Up to 32 characters before it and after it, to tell one occurrence of `exact` from another. */
  prefix: string;
  suffix: string;
  comment: string | null;
  createdAt: string;
}

export interface HighlightInput {
  exact: string;
  prefix?: string;
  suffix?: string;
  comment?: string | null;
}

/** A post's marks. A post with none has `starred: false`, no labels, `note: ''` and no highlights. */
export interface PostMarks {
  path: string;
  starred: boolean;
  /** Label names, in alphabetical order. */
  labels: string[];
  /** Markdown, as written (rendering sanitises it). */
  note: string;
  highlights: Highlight[];
}

/** A marked post as `listMarks` shows it: `missing` when its file is gone (it keeps the title and date it had). */
export interface MarkedPost extends PostMarks {
  title: string;
  date: PostDate;
  /** The content hash the marks are attached to (the index's SHA-1 of the file's bytes). */
  hash: string | null;
  missing: boolean;
}

export interface Label {
  name: string;
  /** `#rrggbb`. */
  color: string;
  /** Marked posts carrying it (missing ones included). */
  count: number;
  /** Team workspace only, set (true) when the label is shared with every role (setLabelShared); absent otherwise. */
  shared?: boolean;
  /** Team workspace only: the role that shared this label (another's: it may be used, not changed). */
  owner?: string;
  /**
   * Team workspace only, on one's own label: the posts (each once, by path) other roles labelled with it that are not
   * in `count` (absent when none, or when the team database cannot count them). Deleting or merging the label takes
   * it from them too: the delete confirmation says `count + labelledByOthers` posts.
   */
  labelledByOthers?: number;
}

/** The part of a ListQuery a saved search keeps (paging is the list's business). */
export type SavedQuery = Omit<ListQuery, 'offset' | 'limit'>;

export interface SavedSearch {
  name: string;
  query: SavedQuery;
  /** When the reader last opened it (`markSavedSearchOpened`); null: never. */
  lastOpenedAt: string | null;
  /** Posts it finds now. */
  total: number;
  /** Posts it finds now that it did not find when last opened (all of them when never opened). */
  new: number;
}

/** The JSON file `exportWorkspace` writes and `importWorkspace` reads. */
export interface WorkspaceExport {
  format: 'backfile-workspace';
  version: 1;
  labels: { name: string; color: string }[];
  marks: {
    path: string;
    hash: string | null;
    title: string;
    date: PostDate;
    starred: boolean;
    labels: string[];
    note: string;
    highlights: Omit<Highlight, 'id'>[];
  }[];
  saved: { name: string; query: SavedQuery; lastOpenedAt: string | null; seen: string[] }[];
}

export interface WorkspaceConflict {
  kind: 'label' | 'note' | 'saved';
  /** The label's or saved search's name, or the post's path. */
  name: string;
  message: string;
}

export interface WorkspaceImportReport {
  /** Imported marks merged into a post this workspace knows (by content, else by path). */
  merged: number;
  /** Imported marks for posts this archive does not hold (kept as missing; they attach when the content appears). */
  missing: number;
  labels: number;
  saved: number;
  /** What was kept as it was here because the import said otherwise. */
  conflicts: WorkspaceConflict[];
}

/** How many of a result's posts are starred, have a note, carry each label (every label named, 0 included). */
export interface MarkCounts {
  starred: number;
  notes: number;
  labels: Record<string, number>;
}

export interface WorkspaceApi {
  /** The marks of one post of the open archive (NOT_FOUND for a path the index does not know). */
  getMarks(path: string): Promise<PostMarks>;
  setStar(path: string, starred: boolean): Promise<PostMarks>;
  /** Replaces the post's labels; unknown names become new labels. */
  setLabels(path: string, labels: string[]): Promise<PostMarks>;
  /** Adds one label (made, with `color` or a default colour, if new). */
  addLabel(path: string, name: string, color?: string): Promise<PostMarks>;
  removeLabel(path: string, name: string): Promise<PostMarks>;
  /** The post's Markdown note; `''` removes it. */
  setNote(path: string, note: string): Promise<PostMarks>;
  addHighlight(path: string, highlight: HighlightInput): Promise<PostMarks>;
  removeHighlight(path: string, id: string): Promise<PostMarks>;
  /** Every marked post, present and missing. */
  listMarks(): Promise<MarkedPost[]>;
  /** Starred, Notes and each label counted within what `query` finds: one read of the result for them all. */
  countMarks(query: ListQuery): Promise<MarkCounts>;
  listLabels(): Promise<Label[]>;
  setLabelColor(name: string, color: string): Promise<Label[]>;
  /** Renames a label (into an existing name: merges into it). */
  renameLabel(from: string, to: string): Promise<Label[]>;
  /** Every post labelled `from` gets `into` instead; `from` is deleted. */
  mergeLabels(from: string, into: string): Promise<Label[]>;
  deleteLabel(name: string): Promise<Label[]>;
  /**
   * Team workspace: shares one's own label with every role (they list it, filter by it and label with it) or takes it
   * back; another role's label is READ_ONLY, a local workspace INVALID_ARGUMENT ("sharing needs the team workspace").
   */
  setLabelShared(name: string, shared: boolean): Promise<Label[]>;
  listSavedSearches(): Promise<SavedSearch[]>;
  /** Saves (or replaces) a search under `name`. */
  addSavedSearch(name: string, query: SavedQuery): Promise<SavedSearch>;
  removeSavedSearch(name: string): Promise<boolean>;
  /** The reader opened it: what it finds now stops being new. */
  markSavedSearchOpened(name: string): Promise<SavedSearch>;
  /**
   * Drops the marks of missing posts last seen at `path` (a present post's are kept), in one transaction; returns how
   * many marked posts were forgotten (0: none was missing there). Labels stay.
   */
  forgetMarks(path: string): Promise<number>;
  exportWorkspace(): Promise<WorkspaceExport>;
  /** Merges an export into this workspace: stars and labels add up; a different note or saved query is a conflict. */
  importWorkspace(data: WorkspaceExport): Promise<WorkspaceImportReport>;
}

export type WorkspaceMethod = keyof WorkspaceApi;

export const WORKSPACE_METHODS = [
  'getMarks',
  'setStar',
  'setLabels',
  'addLabel',
  'removeLabel',
  'setNote',
  'addHighlight',
  'removeHighlight',
  'listMarks',
  'countMarks',
  'listLabels',
  'setLabelColor',
  'renameLabel',
  'mergeLabels',
  'deleteLabel',
  'setLabelShared',
  'listSavedSearches',
  'addSavedSearch',
  'removeSavedSearch',
  'markSavedSearchOpened',
  'forgetMarks',
  'exportWorkspace',
  'importWorkspace',
] as const satisfies readonly WorkspaceMethod[];

type MissingWorkspace = Exclude<WorkspaceMethod, (typeof WORKSPACE_METHODS)[number]>;
const _allWorkspaceMethodsListed: MissingWorkspace extends never ? true : MissingWorkspace = true;
void _allWorkspaceMethodsListed;
