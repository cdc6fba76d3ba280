/**
 * The header's team-index control: "Team index…" (opens the connect dialog) while the archive is read from this
 * computer's index; once connected, a badge "Team index · HOST/DB" (and "read-only team index" for a role that
 * may only read) that opens the dialog, and Disconnect.
 */
import { teamLabel } from '../lib/team-url';
import { useApp } from '../store/store-context';
import { indexOf } from '../store/team-slice';
import { useTeamMessages } from './team-dialog';

export function TeamStatus() {
  const m = useTeamMessages();
  const hasArchive = useApp((s) => s.info !== null);
  const index = useApp(indexOf);
  const status = useApp((s) => s.teamStatus);
  const openDialog = useApp((s) => s.openTeamDialog);
  const disconnect = useApp((s) => s.disconnectTeam);
  if (!hasArchive) return null;

  if (index?.kind !== 'postgres') {
    return (
      <button type="button" className="button" onClick={openDialog} title={m.connectTitle}>
        {m.connect}
      </button>
    );
  }
  const label = teamLabel(index.location);
  return (
    <div className="team-status" role="group" aria-label={m.badge}>
      <button type="button" className="team-badge" title={m.badgeTitle(index.location)} onClick={openDialog}>
        <span className="team-badge-kind">{m.badge}</span>
        <span> · </span>
        <span className="team-badge-where">{label}</span>
      </button>
      {index.readOnly && (
        <span className="team-readonly-badge" title={m.readOnlyNote}>
          {m.readOnly}
        </span>
      )}
      <button type="button" className="button button-small" disabled={status !== 'idle'} onClick={() => void disconnect()}>
        {status === 'disconnecting' ? m.disconnecting : m.disconnect}
      </button>
    </div>
  );
}
