import { useEffect, useId, useRef } from 'react';
import { useI18n } from '../use-i18n';

/** The search syntax and the keyboard shortcuts, in the UI's language ("?" button or the `?` key). */
export function HelpPanel({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useI18n();
  const titleId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const previous = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    return () => previous?.focus?.();
  }, [open]);

  if (!open) return null;

  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="dialog help-panel"
        onKeyDown={(event) => {
          if (event.key === 'Escape' || event.key === '?') {
            event.preventDefault();
            event.stopPropagation();
            onClose();
          } else if (event.key === 'Tab') {
            // One button to focus: Tab stays on it.
            event.preventDefault();
            closeRef.current?.focus();
          }
        }}
      >
        <div className="dialog-header">
          <h2 id={titleId}>{t.helpTitle}</h2>
          <button ref={closeRef} type="button" className="button" onClick={onClose}>
            {t.close}
          </button>
        </div>
        <div className="help-columns">
          <section>
            <h3>{t.helpSearchHeading}</h3>
            <table className="help-table">
              <thead>
                <tr>
                  <th scope="col">{t.helpYouType}</th>
                  <th scope="col">{t.helpFinds}</th>
                </tr>
              </thead>
              <tbody>
                {t.helpSearchRows.map(([example, meaning]) => (
                  <tr key={example}>
                    <td>
                      <code>{example}</code>
                    </td>
                    <td>{meaning}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section>
            <h3>{t.helpKeysHeading}</h3>
            <table className="help-table">
              <thead>
                <tr>
                  <th scope="col">{t.helpKey}</th>
                  <th scope="col">{t.helpAction}</th>
                </tr>
              </thead>
              <tbody>
                {t.helpKeyRows.map(([keys, action]) => (
                  <tr key={keys}>
                    <td>
                      <kbd>{keys}</kbd>
                    </td>
                    <td>{action}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      </div>
    </div>
  );
}
