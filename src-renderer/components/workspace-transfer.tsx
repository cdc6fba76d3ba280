/**
 * The Workspace section's ⋯ menu: Export workspace… (the export as a JSON download: the browser's, or the
 * desktop's save dialog) and Import workspace… (a chosen file's JSON sent to importWorkspace), and what the
 * import merged and where it conflicted.
 */
import { useRef, useState } from 'react';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { Dialog } from './dialog';

export function WorkspaceTransfer() {
  const { t } = useI18n();
  const exportFile = useApp((s) => s.exportWorkspaceFile);
  const importText = useApp((s) => s.importWorkspaceText);
  const report = useApp((s) => s.workspaceImport);
  const notice = useApp((s) => s.workspaceNotice);
  const dismiss = useApp((s) => s.dismissWorkspaceImport);
  const [menu, setMenu] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  return (
    <div className="workspace-transfer">
      <button type="button" className="workspace-transfer-toggle" aria-label={t.workspaceMenu} aria-expanded={menu} onClick={() => setMenu(!menu)}>
        ⋯
      </button>
      {menu && (
        <div className="workspace-menu" role="group" aria-label={t.workspaceMenu}>
          <button type="button" className="button button-small" onClick={() => {
            setMenu(false);
            void exportFile();
          }}>
            {t.exportWorkspace}
          </button>
          <button type="button" className="button button-small" onClick={() => fileRef.current?.click()}>
            {t.importWorkspace}
          </button>
        </div>
      )}
      <input ref={fileRef} type="file" accept=".json,application/json" hidden data-testid="workspace-import-file"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          setMenu(false);
          if (file) void file.text().then(importText);
        }} />
      {notice && !report && (
        <p className="tree-note workspace-notice" role="status">
          {notice}{' '}
          <button type="button" className="button button-small" onClick={dismiss}>
            {t.dismiss}
          </button>
        </p>
      )}
      <Dialog open={report !== null} title={t.workspaceImportTitle} onClose={dismiss} className="workspace-import-dialog">
        {report && (
          <div className="workspace-import-report" role="status">
            <p>{t.workspaceImported(report.merged, report.missing, report.labels, report.saved)}</p>
            {report.conflicts.length > 0 && (
              <>
                <p>{t.workspaceConflicts(report.conflicts.length)}</p>
                <ul className="workspace-conflicts">
                  {report.conflicts.map((c, i) => (
                    <li key={i}>
                      <strong>{c.name}</strong>: {c.message}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
      </Dialog>
    </div>
  );
}
