/**
 * The header's team-index control: "Team index…" (opens the connect dialog) while the archive is read from this
 * computer's index; once connected, a badge "Team index · HOST/DB" that opens the dialog, with × to disconnect,
 * and "read-only team index" for a role that may only read.
 */
import { teamLabelOf } from '../lib/team-url';
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
  const label = teamLabelOf(index);
  const busy = status !== 'idle';
  return (
    <div className="team-status" role="group" aria-label={m.badge}>
      <span className="team-pill">
        <button type="button" className="team-badge" title={m.badgeTitle(index.location)} onClick={openDialog}>
          <span className="team-badge-kind">{m.badge}</span>
          {/* No-break spaces: a flex item's own edge spaces would collapse. */}
          <span>{'\u00a0·\u00a0'}</span>
          <span className="team-badge-where">{label}</span>
        </button>
        <button
          type="button"
          className="team-disconnect"
          aria-label={busy && status === 'disconnecting' ? m.disconnecting : m.disconnect}
          title={m.disconnect}
          disabled={busy}
          onClick={() => void disconnect()}
        >
          <span aria-hidden="true">×</span>
        </button>
      </span>
      {index.team?.workspace === 'team' && (
        <span className="team-workspace-badge" title={m.workspaceTeamTitle}>
          {m.workspaceTeam}
        </span>
      )}
      {index.readOnly && (
        <span className="team-readonly-badge" title={m.readOnlyNote}>
          {m.readOnly}
        </span>
      )}
    </div>
  );
}
