import { useEffect, useState, type CSSProperties } from 'react';
import type { Label } from '../../src-main/shared/workspace-api';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { labelQuery } from '../store/workspace-slice';
import { indexOf } from '../store/team-slice';
import { LABEL_COLORS, labelNameHasQuote } from '../../src-main/shared/labels';
import { useLabelMessages } from './label-messages';
import { WorkspaceMissing } from './workspace-missing';
import { WorkspaceTransfer } from './workspace-transfer';

const dot = (color: string): CSSProperties => ({ '--label-color': color }) as CSSProperties;

/** One row of the section: a name that lists its posts when clicked, and a count. */
function WorkspaceRow({ query, name, detail, count, of, icon, children }: {
  query: string; name: string; detail?: [shown: string, title: string]; count: number; of?: number; icon: React.ReactNode; children?: React.ReactNode;
}) {
  const current = useApp((s) => s.query.trim() === query);
  const showWorkspaceQuery = useApp((s) => s.showWorkspaceQuery);
  return (
    <li className="workspace-row" data-current={current || undefined}>
      <button type="button" className="workspace-pick" aria-current={current || undefined} onClick={() => showWorkspaceQuery(query)}>
        <span className="workspace-icon" aria-hidden="true">
          {icon}
        </span>
        <span className="workspace-name">{name}</span>
        {detail !== undefined && <span className="workspace-detail" title={detail[1]}>{detail[0]}</span>}
        <span className="count" data-filtered={of !== undefined || undefined}>
          {count}
          {of !== undefined && <span className="tree-count-of"> / {of}</span>}
        </span>
      </button>
      {children}
    </li>
  );
}

/** Another role's shared label: who shared it, and that only they may change it. */
function SharedLabelInfo({ label, onDone }: { label: Label & { owner: string }; onDone(): void }) {
  const lm = useLabelMessages();
  return (
    <div className="label-editor" role="group" aria-label={lm.sharedBy(label.owner)} onKeyDown={(event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        onDone();
      }
    }}>
      <p className="label-shared-note">{lm.readOnlyShared(label.owner)}</p>
      <button type="button" className="button button-small" autoFocus onClick={onDone}>
        {lm.close}
      </button>
    </div>
  );
}

/** Rename (into an existing name: merge), recolour or delete a label; in the team workspace, share it. */
function LabelEditor({ label, onDone }: { label: Label; onDone(): void }) {
  const { t } = useI18n();
  const teamWorkspace = useApp((s) => indexOf(s)?.team?.workspace === 'team');
  const setLabelShared = useApp((s) => s.setLabelShared);
  const labels = useApp((s) => s.labels);
  const renameLabel = useApp((s) => s.renameLabel);
  const mergeLabels = useApp((s) => s.mergeLabels);
  const deleteLabel = useApp((s) => s.deleteLabel);
  const setLabelColor = useApp((s) => s.setLabelColor);
  const [name, setName] = useState(label.name);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const typed = name.trim();
  const lm = useLabelMessages();
  const quoted = labelNameHasQuote(typed);
  const into = labels.find((l) => l.name !== label.name && l.name.toLowerCase() === typed.toLowerCase());
  const submit = (): void => {
    if (quoted) return;
    if (!typed || typed === label.name) return onDone();
    void (into ? mergeLabels(label.name, into.name) : renameLabel(label.name, typed));
    onDone();
  };
  return (
    <form
      className="label-editor"
      aria-label={t.editLabel(label.name)}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onDone();
        }
      }}
    >
      <input className="input" value={name} maxLength={100} aria-label={t.labelName} autoFocus onChange={(event) => setName(event.target.value)}
        aria-invalid={quoted || undefined} aria-describedby={quoted ? `label-rule-${label.name}` : undefined} />
      {quoted && (
        <p id={`label-rule-${label.name}`} className="label-rule" role="alert">
          {lm.noQuote}
        </p>
      )}
      <div className="label-colors" role="radiogroup" aria-label={t.labelColor}>
        {LABEL_COLORS.map((c) => (
          <button key={c} type="button" role="radio" aria-checked={label.color === c} aria-label={lm.colorName(c)} className="label-swatch" style={dot(c)}
            onClick={() => void setLabelColor(label.name, c)} />
        ))}
      </div>
      {teamWorkspace && (
        <label className="label-share">
          <input type="checkbox" checked={label.shared === true} onChange={(event) => void setLabelShared(label.name, event.target.checked)} />
          {lm.sharedWithTeam}
        </label>
      )}
      <div className="label-editor-actions">
        <button type="submit" className="button button-small">
          {into ? t.mergeInto(into.name) : t.rename}
        </button>
        <button
          type="button"
          className="button button-small button-danger"
          onClick={() => {
            if (!confirmDelete) return setConfirmDelete(true);
            void deleteLabel(label.name);
            onDone();
          }}
        >
          {confirmDelete ? t.deleteLabelConfirm(label.count + (label.labelledByOthers ?? 0)) : t.deleteLabel}
        </button>
        <button type="button" className="button button-small" onClick={onDone}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

/** Saves the current query and filters under a name. */
function SaveSearch() {
  const { t } = useI18n();
  const saveSearch = useApp((s) => s.saveSearch);
  const suggested = useApp((s) => s.query.trim());
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  if (!open) {
    return (
      <button type="button" className="button button-small save-search" onClick={() => {
        setName(suggested);
        setOpen(true);
      }}>
        {t.saveSearch}
      </button>
    );
  }
  return (
    <form
      className="save-search-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!name.trim()) return;
        void saveSearch(name);
        setOpen(false);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          setOpen(false);
        }
      }}
    >
      <input className="input" value={name} maxLength={100} aria-label={t.savedSearchName} placeholder={t.savedSearchName} autoFocus
        onChange={(event) => setName(event.target.value)} />
      <button type="submit" className="button button-small">
        {t.save}
      </button>
    </form>
  );
}

/** The navigation pane's "Workspace": Starred, each label, Notes, then the saved searches. */
export function WorkspaceSection() {
  const { t } = useI18n();
  const lm = useLabelMessages();
  const info = useApp((s) => s.info);
  const labels = useApp((s) => s.labels);
  const saved = useApp((s) => s.savedSearches);
  const counts = useApp(
    useShallow((s) => ({
      starred: s.markedPosts.filter((p) => p.starred && !p.missing).length,
      notes: s.markedPosts.filter((p) => p.note !== '' && !p.missing).length,
    })),
  );
  const loadWorkspace = useApp((s) => s.loadWorkspace);
  const openSavedSearch = useApp((s) => s.openSavedSearch);
  const removeSavedSearch = useApp((s) => s.removeSavedSearch);
  const error = useApp((s) => s.workspaceError);
  const dismiss = useApp((s) => s.dismissWorkspaceError);
  const [editing, setEditing] = useState<string | null>(null);
  const filtered = useApp((s) => s.workspaceCounts);
  const resultSeq = useApp((s) => s.resultSeq);
  const markedPosts = useApp((s) => s.markedPosts);
  const loadWorkspaceCounts = useApp((s) => s.loadWorkspaceCounts);

  // Counts follow the result, as the trees' do: again after every answered search and every change of marks.
  useEffect(() => {
    void loadWorkspaceCounts();
  }, [resultSeq, labels, markedPosts, loadWorkspaceCounts]);
  const shown = (all: number, inResult: number | undefined): { count: number; of?: number } =>
    filtered && inResult !== undefined ? { count: inResult, of: all } : { count: all };

  // Again whenever the archive changes (posts arrive, move or go): counts and "new" follow.
  useEffect(() => {
    if (info) void loadWorkspace();
  }, [info, loadWorkspace]);

  return (
    <section className="nav-section workspace-section" aria-label={t.workspace}>
      <div className="workspace-heading">
        <h2 className="nav-heading">{t.workspace}</h2>
        <WorkspaceTransfer />
      </div>
      {error && (
        <p className="tree-note" role="alert">
          {t.actionFailed(error)}{' '}
          <button type="button" className="button button-small" onClick={dismiss}>
            {t.dismiss}
          </button>
        </p>
      )}
      <ul className="workspace-list">
        <WorkspaceRow query="is:starred" name={t.starredPosts} {...shown(counts.starred, filtered?.starred)} icon="★" />
        {labels.map((label) => (
          <WorkspaceRow key={label.name} query={labelQuery(label.name)} name={label.name} detail={label.owner !== undefined ? [lm.ownerTag(label.owner), lm.sharedBy(label.owner)] : label.shared ? [lm.sharedTag, lm.sharedWithTeam] : undefined}
            {...shown(label.count, filtered?.labels[label.name])}
            icon={<span className="label-dot" style={dot(label.color)} />}>
            <button type="button" className="workspace-more" aria-label={t.editLabel(label.name)} aria-expanded={editing === label.name}
              onClick={() => setEditing(editing === label.name ? null : label.name)}>
              ⋯
            </button>
            {editing === label.name && (label.owner !== undefined
              ? <SharedLabelInfo label={{ ...label, owner: label.owner }} onDone={() => setEditing(null)} />
              : <LabelEditor label={label} onDone={() => setEditing(null)} />)}
          </WorkspaceRow>
        ))}
        <WorkspaceRow query="has:note" name={t.notes} {...shown(counts.notes, filtered?.notes)} icon="✎" />
        <WorkspaceMissing />
      </ul>
      <h3 className="nav-subheading">{t.savedSearches}</h3>
      <ul className="workspace-list saved-searches">
        {saved.map((s) => (
          <li key={s.name} className="workspace-row saved-search">
            <button type="button" className="workspace-pick" title={s.query.query ?? ''} onClick={() => void openSavedSearch(s.name)}>
              <span className="workspace-icon" aria-hidden="true">⌕</span>
              <span className="workspace-name">{s.name}</span>
              {s.new > 0 && <span className="badge badge-new">{t.newCount(s.new)}</span>}
              <span className="count">{s.total}</span>
            </button>
            <button type="button" className="workspace-more" aria-label={t.removeSavedSearch(s.name)} onClick={() => void removeSavedSearch(s.name)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <SaveSearch />
    </section>
  );
}
