/**
 * The archive was last read from a team index (remembered per archive) that is not read again yet: a bar under the
 * header says so without stopping anything, as the local index answers meanwhile. Reconnecting: a quiet line. A
 * password needed: the dialog opens by itself, filled in (once), and the bar offers it again. Unreachable at open
 * (STORE_UNAVAILABLE): why, and Retry. In every state "Stop using it" forgets the remembered team index (Disconnect).
 */
import { useEffect } from 'react';
import { useApp } from '../store/store-context';
import { indexOf } from '../store/team-slice';
import { reconnectLabel, teamErrorText, useTeamMessages } from './team-dialog';

export function TeamReconnectBar() {
  const m = useTeamMessages();
  const pending = useApp((s) => indexOf(s)?.reconnect ?? null);
  const root = useApp((s) => s.info?.root ?? null);
  const status = useApp((s) => s.teamStatus);
  const offer = useApp((s) => s.offerTeamReconnect);
  const openDialog = useApp((s) => s.openTeamDialog);
  const retry = useApp((s) => s.retryTeamReconnect);
  const forget = useApp((s) => s.disconnectTeam);
  const state = pending?.state ?? null;

  useEffect(() => {
    offer();
  }, [state, root, pending?.url, pending?.schema, offer]);

  if (!pending) return null;
  const label = reconnectLabel(pending);
  const busy = status !== 'idle';
  const stop = (
    <button type="button" className="button button-small" disabled={busy} title={m.forgetTeamTitle} onClick={() => void forget()}>
      {m.forgetTeam}
    </button>
  );
  if (pending.state === 'connecting') {
    // A server that never answers ends it by itself (the host's deadline); the reader need not wait for that.
    return (
      <div className="app-alert team-reconnect" data-state="connecting" role="status">
        <span className="team-reconnect-text">{m.reconnecting(label)}</span>
        {stop}
      </div>
    );
  }
  const failed = pending.state === 'failed';
  const why = failed && pending.error ? teamErrorText({ kind: 'call', code: pending.error.code, detail: pending.error.message }, m) : null;
  const detail = why ? [why.summary, why.detail].filter(Boolean).join(' ') : null;
  return (
    <div className="app-alert team-reconnect" data-state={pending.state} role={failed ? 'alert' : 'status'}>
      <span className="team-reconnect-text">
        {failed ? m.reconnectFailed(label) : m.reconnectPassword(label)}
        {detail && <span className="team-reconnect-detail">{detail}</span>}
      </span>
      {failed ? (
        <button type="button" className="button button-small" disabled={busy} onClick={() => void retry()}>
          {status === 'connecting' ? m.retrying : m.retry}
        </button>
      ) : (
        <button type="button" className="button button-small" disabled={busy} onClick={openDialog}>
          {m.reconnectOpen}
        </button>
      )}
      {stop}
    </div>
  );
}
