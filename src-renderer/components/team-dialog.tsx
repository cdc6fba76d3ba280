/**
 * "Connect to a team index…" (issue 15): the address (postgres://USER@HOST:PORT/DB), the schema, the password and,
 * in the desktop app with a keychain, "Remember the password". What is wrong is said in place, in plain words:
 * a bad address before anything is sent, the server's refusal (STORE_UNAVAILABLE, READ_ONLY …) after. Connected,
 * it shows where, whether the role may only read, and Disconnect. Opened for the team index this archive was last
 * read from (IndexInfo.reconnect), it is filled in with it and asks "Reconnect to the team index at HOST/DB?".
 */
import { useEffect, useId, useState } from 'react';
import type { TeamReconnect } from '../../src-main/shared/archive-api';
import { teamRefusal } from '../lib/team-refusal';
import { DEFAULT_SCHEMA, sameTeamUrl, splitLocation, teamLabel, teamLabelOf } from '../lib/team-url';
import { useApp } from '../store/store-context';
import { indexOf, type TeamError } from '../store/team-slice';
import { TEAM_MESSAGES, type TeamMessages } from '../team-messages';
import { useI18n } from '../use-i18n';
import { Dialog } from './dialog';
import './team.css';

export function useTeamMessages(): TeamMessages {
  return TEAM_MESSAGES[useI18n().language];
}

/**
 * The opening line for an error: its cause in the reader's language (one line per kind of refusal), then a detail:
 * PostgreSQL's own first line ("Server said"), the facts the host named (translated), or for a refusal of no known
 * kind the host's own message ("Details"). Never a stack.
 */
export function teamErrorText(error: TeamError, m: TeamMessages): { summary: string; detail: string | null } {
  if (error.kind === 'input') return { summary: m.problems[error.problem], detail: null };
  const refusal = teamRefusal(error.code, error.detail);
  const f = refusal.facts;
  const detail =
    refusal.kind === 'other-archive'
      ? m.otherArchiveFacts({ root: f.root, missing: f.missing ?? '?', sampled: f.sampled ?? '?', example: f.example ?? '?' })
      : refusal.kind === 'newer' && f.version
        ? m.newerFacts(f.version)
        : refusal.kind === 'older' && f.change && f.owner
          ? m.olderFacts({ change: f.change, owner: f.owner })
          : refusal.kind === 'no-rights' && f.grants
          ? m.grantsNeeded(f.grants)
          : refusal.serverText
            ? m.serverSaid(refusal.serverText)
            : (refusal.kind === 'unknown' || refusal.kind === 'failed' || refusal.kind === 'invalid') && error.detail
              ? m.details(error.detail)
              : null;
  return { summary: m.refusal[refusal.kind], detail };
}

/** The short name (`HOST/DB`) of a remembered team index. */
export const reconnectLabel = (reconnect: Pick<TeamReconnect, 'url' | 'schema'>): string => teamLabel(`${reconnect.url} schema ${reconnect.schema}`);

export function TeamDialog() {
  const m = useTeamMessages();
  const open = useApp((s) => s.teamOpen);
  const status = useApp((s) => s.teamStatus);
  const error = useApp((s) => s.teamError);
  const storage = useApp((s) => s.teamPasswordStorage);
  const rememberedFor = useApp((s) => s.teamPasswordsRememberedFor);
  const notice = useApp((s) => s.teamNotice);
  const hasArchive = useApp((s) => s.info !== null);
  const index = useApp(indexOf);
  const close = useApp((s) => s.closeTeamDialog);
  const connect = useApp((s) => s.connectTeam);
  const disconnect = useApp((s) => s.disconnectTeam);
  const ids = useId();
  const [url, setUrl] = useState('');
  const [schema, setSchema] = useState(DEFAULT_SCHEMA);
  const [password, setPassword] = useState('');
  /** The reader's own tick or untick; until then the box says whether a password is remembered for the typed address. */
  const [rememberChoice, setRememberChoice] = useState<boolean | null>(null);
  const [teamWorkspace, setTeamWorkspace] = useState(false);
  const remembered = rememberedFor.some((r) => r.schema === (schema.trim() || DEFAULT_SCHEMA) && sameTeamUrl(r.url, url));
  const remember = rememberChoice ?? remembered;
  const busy = status !== 'idle';
  const team = index?.kind === 'postgres' ? index : null;
  const reconnect = team ? null : (index?.reconnect ?? null);

  // Each opening starts from the connection in use, else the one remembered for this archive, and never with a
  // password typed before.
  useEffect(() => {
    if (!open) return;
    const current = team ? splitLocation(team.location) : reconnect ? { url: reconnect.url, schema: reconnect.schema } : null;
    setUrl(current?.url ?? '');
    setSchema(current?.schema ?? DEFAULT_SCHEMA);
    setPassword('');
    setRememberChoice(null);
    setTeamWorkspace(team ? team.team?.workspace === 'team' : reconnect?.teamWorkspace === true);
  }, [open]); // only when it opens: what the reader types is theirs until then

  const problemField = error?.kind === 'input' ? (error.problem === 'schema' ? 'schema' : 'url') : null;
  const text = error ? teamErrorText(error, m) : null;

  return (
    <Dialog open={open} title={reconnect ? m.reconnectTitle(reconnectLabel(reconnect)) : m.connectTitle} onClose={close} className="team-dialog">
      {team && (
        <div className="team-current" role="status">
          <p>
            {m.connectedTo(teamLabelOf(team))}
            {team.readOnly && <span className="team-readonly-badge">{m.readOnly}</span>}
          </p>
          {team.readOnly && <p className="dialog-intro">{m.readOnlyNote}</p>}
          <button type="button" className="button" disabled={busy} onClick={() => void disconnect()}>
            {status === 'disconnecting' ? m.disconnecting : m.disconnect}
          </button>
        </div>
      )}
      {notice && (
        <p className="team-notice" role="status">
          {notice}
        </p>
      )}
      {!hasArchive && (
        <p className="team-error" role="alert">
          {m.openArchiveFirst}
        </p>
      )}
      <p className="dialog-intro">{reconnect ? m.reconnectIntro : m.connectIntro}</p>
      <form
        className="team-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void connect({ url, schema, password, remember, rememberTouched: rememberChoice !== null, teamWorkspace }).then((ok) => {
            if (!ok) return;
            setPassword('');
            setRememberChoice(null);
          });
        }}
      >
        <fieldset disabled={busy || !hasArchive}>
          <label htmlFor={`${ids}-url`}>{m.url}</label>
          <input
            id={`${ids}-url`}
            type="text"
            inputMode="url"
            spellCheck={false}
            autoComplete="off"
            placeholder={m.urlHint}
            value={url}
            aria-invalid={problemField === 'url' || undefined}
            aria-describedby={problemField === 'url' ? `${ids}-error` : undefined}
            onChange={(event) => setUrl(event.target.value)}
          />
          <label htmlFor={`${ids}-schema`}>{m.schema}</label>
          <input
            id={`${ids}-schema`}
            type="text"
            spellCheck={false}
            autoComplete="off"
            value={schema}
            aria-invalid={problemField === 'schema' || undefined}
            aria-describedby={problemField === 'schema' ? `${ids}-error` : undefined}
            onChange={(event) => setSchema(event.target.value)}
          />
          <label htmlFor={`${ids}-password`}>{m.password}</label>
          <input
            id={`${ids}-password`}
            type="password"
            autoComplete="off"
            value={password}
            placeholder={storage === 'keychain' && remembered ? '••••••' : undefined}
            aria-describedby={`${ids}-password-note`}
            onChange={(event) => setPassword(event.target.value)}
          />
          <div id={`${ids}-password-note`} className="team-password-note">
            {storage === 'keychain' && (
              <>
                <label className="checkbox">
                  <input type="checkbox" checked={remember} onChange={(event) => setRememberChoice(event.target.checked)} />
                  {m.remember}
                </label>
                <p className="dialog-intro">
                  {m.rememberKeychain}
                  {remembered && ` ${m.passwordHintRemembered}`}
                </p>
              </>
            )}
            {storage === 'unavailable' && <p className="dialog-intro">{m.rememberUnavailable}</p>}
            {storage === 'memory' && <p className="dialog-intro">{m.sessionOnly}</p>}
          </div>
          <div className="team-password-note">
            <label className="checkbox">
              <input type="checkbox" checked={teamWorkspace} aria-describedby={`${ids}-workspace-note`} onChange={(event) => setTeamWorkspace(event.target.checked)} />
              {m.teamWorkspace}
            </label>
            <p id={`${ids}-workspace-note`} className="dialog-intro">
              {m.teamWorkspaceNote}
            </p>
          </div>
        </fieldset>
        {text && (
          <div id={`${ids}-error`} className="team-error" role="alert">
            <p>{text.summary}</p>
            {text.detail && <p className="team-error-detail">{text.detail}</p>}
          </div>
        )}
        <div className="team-actions">
          {status === 'connecting' && <span role="status">{m.connecting}</span>}
          <button type="submit" className="button button-primary" disabled={busy || !hasArchive}>
            {m.connectButton}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
