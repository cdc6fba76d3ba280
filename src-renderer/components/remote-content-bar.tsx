import { useI18n } from '../use-i18n';

/** Remote images stay unloaded (no tracking pixel fires) until the reader asks, for this article only. */
export function RemoteContentBar({ allowed, onAllow }: { allowed: boolean; onAllow(): void }) {
  const { t } = useI18n();
  return (
    <div className="remote-bar" role="status">
      {allowed ? (
        <span>{t.remoteLoaded}</span>
      ) : (
        <>
          <span>{t.remoteBar}</span>
          <button type="button" className="button button-small" onClick={onAllow}>
            {t.loadRemote}
          </button>
        </>
      )}
    </div>
  );
}
