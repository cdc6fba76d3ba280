import { useEffect, useState } from 'react';
import type { Article } from '../../src-main/shared/archive-api';
import { CITATION_STYLE_MENU, CITATION_STYLE_NAMES, isCitationStyle } from '../lib/citation';
import { copyText } from '../lib/copy-text';
import { errorMessage } from '../lib/error-message';
import { isHttpUrl } from '../lib/external-link';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { LabelPicker } from './workspace-labels';
import { StarButton } from './workspace-star';

/** What the toast says after "Copy citation": the text copied, or why nothing was. */
type CopyOutcome = { ok: true; text: string } | { ok: false; message: string };

export function ArticleActions({ article }: { article: Article }) {
  const { t } = useI18n();
  const canShowInFolder = useApp((s) => s.info?.capabilities.showInFolder ?? false);
  const showInFolder = useApp((s) => s.showInFolder);
  const openExternal = useApp((s) => s.openExternal);
  const citationStyle = useApp((s) => s.citationStyle);
  const setCitationStyle = useApp((s) => s.setCitationStyle);
  const citeArticle = useApp((s) => s.citeArticle);
  const [outcome, setOutcome] = useState<CopyOutcome | null>(null);

  useEffect(() => {
    if (!outcome) return;
    const timer = setTimeout(() => setOutcome(null), 6000);
    return () => clearTimeout(timer);
  }, [outcome]);

  const copyCitation = async () => {
    try {
      const text = await citeArticle(article.path);
      setOutcome((await copyText(text)) ? { ok: true, text } : { ok: false, message: t.copyFailed });
    } catch (error) {
      setOutcome({ ok: false, message: t.actionFailed(errorMessage(error, t)) });
    }
  };

  return (
    <div className="article-actions">
      <StarButton path={article.path} />
      <LabelPicker path={article.path} />
      <>
        <button type="button" className="button" onClick={() => void copyCitation()}>
          {t.copyCitation}
        </button>
        <select
          className="select citation-style"
          aria-label={t.citationStyle}
          value={citationStyle}
          onChange={(event) => {
            if (isCitationStyle(event.target.value)) setCitationStyle(event.target.value);
          }}
        >
          {CITATION_STYLE_MENU.map((style) => (
            <option key={style} value={style}>
              {CITATION_STYLE_NAMES[style]}
            </option>
          ))}
        </select>
      </>
      {canShowInFolder && (
        <button type="button" className="button" title={article.absolutePath} onClick={() => void showInFolder()}>
          {t.showInFolder}
        </button>
      )}
      {isHttpUrl(article.source) && (
        <button type="button" className="button" onClick={() => void openExternal(article.source ?? '')}>
          {t.openOriginal}
        </button>
      )}
      {outcome && (
        <div className="toast citation-toast" role="status">
          <span>
            {outcome.ok ? (
              <>
                <strong>{t.citationCopied}</strong> <span className="citation-text">{outcome.text}</span>
              </>
            ) : (
              outcome.message
            )}
          </span>
          <button type="button" className="button button-small" onClick={() => setOutcome(null)}>
            {t.dismiss}
          </button>
        </div>
      )}
    </div>
  );
}
