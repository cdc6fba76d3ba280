/**
 * The Workspace section's "Missing (N)" row and its dialog: the marks of posts whose files are gone (kept with the
 * title they had), each with Forget (asked twice). Marks come back by themselves when the same content returns.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { MarkedPost } from '../../src-main/shared/workspace-api';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { Dialog } from './dialog';

const EXCERPT = 140;
const excerpt = (note: string): string => {
  const flat = note.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat;
};

function MissingItem({ post }: { post: MarkedPost }) {
  const { t } = useI18n();
  const forget = useApp((s) => s.forgetMissing);
  const [confirm, setConfirm] = useState(false);
  const title = post.title || t.missingUntitled;
  return (
    <li className="missing-mark">
      <div className="missing-mark-head">
        <span className="missing-mark-title">
          {post.starred && <span className="missing-mark-star" aria-label={t.missingStarred}>★ </span>}
          {title}
        </span>
        <button type="button" className={confirm ? 'button button-small button-danger' : 'button button-small'}
          aria-label={confirm ? undefined : t.forgetMarksOf(title)}
          onClick={() => (confirm ? void forget(post.path) : setConfirm(true))}>
          {confirm ? t.forgetConfirm : t.forgetMarks}
        </button>
      </div>
      <code className="missing-mark-path">{post.path}</code>
      {post.labels.length > 0 && (
        <ul className="missing-mark-labels" aria-label={t.labels}>
          {post.labels.map((name) => (
            <li key={name} className="chip">{name}</li>
          ))}
        </ul>
      )}
      {post.note !== '' && <p className="missing-mark-note">{excerpt(post.note)}</p>}
    </li>
  );
}

/** The row (only when some marked post is missing) and the dialog it opens. */
export function WorkspaceMissing() {
  const { t } = useI18n();
  const missing = useApp(useShallow((s) => s.markedPosts.filter((p) => p.missing)));
  const [open, setOpen] = useState(false);
  if (missing.length === 0 && !open) return null;
  return (
    <li className="workspace-row workspace-missing">
      {missing.length > 0 && (
        <button type="button" className="workspace-pick" aria-haspopup="dialog" onClick={() => setOpen(true)}>
          <span className="workspace-icon" aria-hidden="true">⚠</span>
          <span className="workspace-name">{t.missingMarks(missing.length)}</span>
        </button>
      )}
      <Dialog open={open} title={t.missingTitle} onClose={() => setOpen(false)} className="missing-dialog">
        <p className="missing-explain">{t.missingExplain}</p>
        <ul className="missing-marks">
          {missing.map((post, i) => (
            <MissingItem key={`${post.path}\u0000${post.hash ?? i}`} post={post} />
          ))}
        </ul>
      </Dialog>
    </li>
  );
}
