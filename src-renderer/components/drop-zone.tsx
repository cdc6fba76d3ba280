/**
 * Drag-and-drop import. The desktop app turns dropped files into paths (`getPathForFile`) and imports them.
 * Browser mode has no paths: it reads the dropped files (folders too) and sends their contents (`importFiles`).
 * Either way, a drop never navigates the window to the dropped file.
 */
import { useEffect, useRef, useState } from 'react';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { DropTooLargeError, readDroppedFiles } from '../lib/read-dropped-files';
import { errorMessage } from '../lib/error-message';
import { isReadOnlyTeam, isReconnecting, isTeamIndex } from '../store/team-slice';
import { TEAM_MESSAGES } from '../team-messages';

const hasFiles = (event: DragEvent): boolean => [...(event.dataTransfer?.types ?? [])].includes('Files');

export function DropZone({ getPathForFile }: { getPathForFile?: (file: File) => string }) {
  const { t, language } = useI18n();
  const info = useApp((s) => s.info);
  // A read-only team index: nothing can be imported; the drop target says why instead.
  const readOnlyTeam = useApp(isReadOnlyTeam);
  // Any team index: the app never writes it, so nothing is imported here (the indexer machine does).
  const teamIndex = useApp(isTeamIndex);
  // The remembered team index being connected again: nothing is imported until it connected or failed.
  const reconnecting = useApp(isReconnecting);
  const importPaths = useApp((s) => s.importPaths);
  const importFiles = useApp((s) => s.importFiles);
  const [active, setActive] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const depth = useRef(0);
  const byPath = !teamIndex && !reconnecting && Boolean(getPathForFile && info?.capabilities.importPaths);
  const byContent = !teamIndex && !reconnecting && !byPath && Boolean(info?.capabilities.importFiles);
  const canImport = byPath || byContent;
  const cannotImport = !info
    ? t.dropNoArchive
    : readOnlyTeam
      ? TEAM_MESSAGES[language].importReadOnly
      : teamIndex
        ? TEAM_MESSAGES[language].importTeam
        : reconnecting
          ? TEAM_MESSAGES[language].importReconnecting
          : t.dropNeedsDesktop;

  useEffect(() => {
    const onEnter = (event: DragEvent): void => {
      if (!hasFiles(event)) return;
      depth.current += 1;
      setActive(true);
    };
    const onOver = (event: DragEvent): void => {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = hasFiles(event) && canImport ? 'copy' : 'none';
    };
    const onLeave = (event: DragEvent): void => {
      if (!hasFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setActive(false);
    };
    const onDrop = (event: DragEvent): void => {
      event.preventDefault();
      depth.current = 0;
      setActive(false);
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length === 0) return;
      if (!info) return setMessage(t.dropNoArchive);
      if (teamIndex || reconnecting) return setMessage(cannotImport);
      if (byContent && event.dataTransfer) {
        setMessage(null);
        readDroppedFiles(event.dataTransfer).then(
          (uploads) => (uploads.length ? importFiles(uploads) : setMessage(t.dropNoPaths)),
          (error: unknown) => setMessage(error instanceof DropTooLargeError ? `${t.dropTooLarge} (${error.message})` : errorMessage(error, t)),
        );
        return;
      }
      if (!canImport || !getPathForFile) return setMessage(t.dropNeedsDesktop);
      const paths = files.map((file) => getPathForFile(file)).filter((p) => p);
      if (paths.length === 0) return setMessage(t.dropNoPaths);
      setMessage(null);
      void importPaths(paths);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [byContent, canImport, cannotImport, getPathForFile, importFiles, importPaths, info, reconnecting, teamIndex, t]);

  return (
    <>
      {active && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-target">
            <p>{readOnlyTeam ? TEAM_MESSAGES[language].readOnly : t.dropHere}</p>
            {!canImport && <p className="drop-note">{cannotImport}</p>}
          </div>
        </div>
      )}
      {message && (
        <div className="toast" role="status">
          <span>{message}</span>
          <button type="button" className="button button-small" onClick={() => setMessage(null)}>
            {t.dismiss}
          </button>
        </div>
      )}
    </>
  );
}
