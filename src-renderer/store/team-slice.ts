/**
 * The team index (issue 15): the connect dialog's state and the calls behind it. Which index answers is not kept
 * here but read from `info.index` (ArchiveInfo), which every open, change and connect brings up to date; so the
 * header's badge and the import switch follow the host, whoever changed it.
 */
import type { ArchiveApi, ErrorCode, IndexInfo, TeamIndexRequest } from '../../src-main/shared/archive-api';
import { isErrorCode } from '../api/api-error';
import { DEFAULT_SCHEMA, teamInputProblem, type TeamInputProblem } from '../lib/team-url';
import type { AppState, SliceCreator } from './app-state';

/** What went wrong, for the dialog to say in the reader's language (never a stack). */
export type TeamError = { kind: 'input'; problem: TeamInputProblem } | { kind: 'call'; code: ErrorCode; detail: string };

/** How the host keeps a password: the desktop's keychain, nowhere (no keychain), or the server's memory (browser mode). */
export type PasswordStorage = 'keychain' | 'unavailable' | 'memory';

export interface TeamForm {
  url: string;
  schema: string;
  password: string;
  remember: boolean;
  /** The reader changed the "Remember" box (unticking it with the password empty forgets the remembered one). */
  rememberTouched?: boolean;
  /** "Keep my stars, labels and notes in the team database" (TeamIndexRequest.teamWorkspace). */
  teamWorkspace?: boolean;
}

export interface TeamSlice {
  teamOpen: boolean;
  teamStatus: 'idle' | 'connecting' | 'disconnecting';
  teamError: TeamError | null;
  /** Asked when the dialog opens; `memory` until the host says otherwise. */
  teamPasswordStorage: PasswordStorage;
  /** The desktop remembers a password for the connection last made. */
  teamPasswordRemembered: boolean;
  /** The desktop's remembered passwords (address as in IndexInfo.location, schema): the dialog ticks "Remember" for these. */
  teamPasswordsRememberedFor: Array<{ url: string; schema: string }>;
  /** Said in the dialog after a connect that worked but whose password could not be kept (keychain refused). */
  teamNotice: string | null;
  /** The remembered team index whose dialog opened by itself (archive, address, schema): once each time it is asked. */
  teamReconnectOffered: string | null;
  openTeamDialog(): void;
  /**
   * The open archive's remembered team index needs a password (IndexInfo.reconnect `password`): opens the dialog,
   * filled in, once for it (once more after it was tried again, when the archive is opened anew).
   */
  offerTeamReconnect(): void;
  /** Connects again to the remembered team index that could not be reached (the host fills a remembered password in). */
  retryTeamReconnect(): Promise<void>;
  closeTeamDialog(): void;
  /** Checks the form, then connects; `true` once connected (the dialog closes). */
  connectTeam(form: TeamForm): Promise<boolean>;
  disconnectTeam(): Promise<void>;
}

/** The index the open archive is read from (`null`: no archive, or a host that does not say). */
export const indexOf = (s: Pick<AppState, 'info'>): IndexInfo | null => s.info?.index ?? null;
export const isTeamIndex = (s: Pick<AppState, 'info'>): boolean => indexOf(s)?.kind === 'postgres';
export const isReadOnlyTeam = (s: Pick<AppState, 'info'>): boolean => indexOf(s)?.kind === 'postgres' && indexOf(s)?.readOnly === true;
/** The remembered team index is being connected again: the host refuses imports meanwhile (BUSY). */
export const isReconnecting = (s: Pick<AppState, 'info'>): boolean => indexOf(s)?.reconnect?.state === 'connecting';

/** The first line of a server message, without anything that looks like a stack frame, at most 300 characters. */
export function plainDetail(message: string): string {
  const line = message.split(/\r?\n/).find((l) => l.trim() && !/^\s*at\s/.test(l)) ?? '';
  const text = line.replace(/^(?:Error: )?\[[A-Z_]+\]\s*/, '').trim();
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

function callError(error: unknown): TeamError {
  const fields = (error && typeof error === 'object' ? error : {}) as { code?: unknown; message?: unknown };
  const code = isErrorCode(fields.code) ? fields.code : 'INTERNAL';
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  return { kind: 'call', code, detail: plainDetail(message) };
}

export const createTeamSlice =
  (api: Pick<ArchiveApi, 'getIndexInfo' | 'connectTeamIndex' | 'disconnectTeamIndex' | 'getArchiveInfo'>): SliceCreator<TeamSlice> =>
  (set, get) => {
    /** The new index into `info` at once (the host's archiveChanged follows), then everything shown read again. */
    async function show(index: IndexInfo): Promise<void> {
      const info = get().info;
      if (info) set({ info: { ...info, index } });
      // This app does not index a team index: a local run's progress shown before no longer applies.
      if (index.kind === 'postgres') set({ indexProgress: null });
      const fresh = await api.getArchiveInfo().catch(() => null);
      if (fresh) set({ info: { ...fresh, index: fresh.index ?? index }, ...(index.kind === 'postgres' ? { indexProgress: null } : {}) });
      void get().reloadArchive();
    }

    return {
      teamOpen: false,
      teamStatus: 'idle',
      teamError: null,
      teamPasswordStorage: 'memory',
      teamPasswordRemembered: false,
      teamPasswordsRememberedFor: [],
      teamNotice: null,
      teamReconnectOffered: null,

      offerTeamReconnect() {
        const root = get().info?.root;
        const pending = indexOf(get())?.reconnect;
        if (!root || pending?.state !== 'password') {
          // Tried again (the archive opened anew): a new ask, which may open the dialog again.
          if (get().teamReconnectOffered !== null) set({ teamReconnectOffered: null });
          return;
        }
        const key = `${root}\n${pending.url}\n${pending.schema}`;
        if (get().teamReconnectOffered === key || get().teamOpen) return;
        set({ teamReconnectOffered: key });
        get().openTeamDialog();
      },

      async retryTeamReconnect() {
        const pending = indexOf(get())?.reconnect;
        if (!pending || get().teamStatus !== 'idle') return;
        set({ teamStatus: 'connecting', teamError: null });
        try {
          const index = await api.connectTeamIndex({ url: pending.url, schema: pending.schema, ...(pending.teamWorkspace ? { teamWorkspace: true } : {}) });
          set({ teamStatus: 'idle', teamPasswordRemembered: index.passwordRemembered === true });
          await show(index);
        } catch (error) {
          // Still on the local index: the message says the newest reason (as the host now does too).
          const failure = callError(error);
          const code = failure.kind === 'call' ? failure.code : 'INTERNAL';
          const message = failure.kind === 'call' ? failure.detail : '';
          const info = get().info;
          const index = indexOf(get());
          if (info && index?.reconnect) set({ info: { ...info, index: { ...index, reconnect: { ...index.reconnect, state: 'failed', error: { code, message } } } } });
          set({ teamStatus: 'idle' });
        }
      },

      openTeamDialog() {
        set({ teamOpen: true, teamError: null, teamNotice: null });
        api.getIndexInfo().then(
          (index) => {
            set({
              teamPasswordStorage: index.passwordStorage ?? 'memory',
              teamPasswordRemembered: index.passwordRemembered === true,
              teamPasswordsRememberedFor: index.passwordsRememberedFor ?? [],
            });
            const info = get().info;
            if (info) set({ info: { ...info, index } });
          },
          () => undefined,
        );
      },

      closeTeamDialog: () => set({ teamOpen: false, teamError: null, teamNotice: null }),

      async connectTeam(form) {
        if (get().teamStatus !== 'idle') return false;
        const schema = form.schema.trim() || DEFAULT_SCHEMA;
        const problem = teamInputProblem(form.url, schema);
        if (problem) {
          set({ teamError: { kind: 'input', problem } });
          return false;
        }
        const request: TeamIndexRequest = { url: form.url.trim(), schema };
        if (form.password) request.password = form.password;
        if (form.teamWorkspace) request.teamWorkspace = true;
        if (get().teamPasswordStorage === 'keychain') {
          // A typed password: keep it or not, as the box says. The field left empty: the remembered one is used and
          // kept; it is forgotten only when the reader unticked the box.
          if (form.password) request.remember = form.remember;
          else if (form.rememberTouched && !form.remember) request.forgetPassword = true;
        }
        set({ teamStatus: 'connecting', teamError: null, teamNotice: null });
        try {
          const index = await api.connectTeamIndex(request);
          const notice = index.passwordNote ?? null;
          // Connected; a note about the password keeps the dialog open to say it.
          set({
            teamStatus: 'idle',
            teamOpen: notice !== null,
            teamNotice: notice,
            teamPasswordRemembered: index.passwordRemembered === true,
            ...(index.passwordsRememberedFor ? { teamPasswordsRememberedFor: index.passwordsRememberedFor } : {}),
          });
          await show(index);
          return true;
        } catch (error) {
          set({ teamStatus: 'idle', teamError: callError(error) });
          return false;
        }
      },

      async disconnectTeam() {
        if (get().teamStatus !== 'idle') return;
        set({ teamStatus: 'disconnecting', teamError: null });
        try {
          const index = await api.disconnectTeamIndex();
          set({ teamStatus: 'idle', teamOpen: false });
          await show(index);
        } catch (error) {
          // Disconnect may come from the header: the dialog opens to say what went wrong.
          set({ teamStatus: 'idle', teamOpen: true, teamError: callError(error) });
        }
      },
    };
  };
