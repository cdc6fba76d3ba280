import { Dialog } from './dialog';
import { useI18n } from '../use-i18n';

/** The search syntax and the keyboard shortcuts, in the UI's language ("?" button or the `?` key). */
export function HelpPanel({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useI18n();

  return (
    <Dialog open={open} title={t.helpTitle} onClose={onClose} className="help-panel" closeKeys={['?']}>
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
    </Dialog>
  );
}
