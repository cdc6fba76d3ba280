import { useEffect, useState } from 'react';
import type { Article } from '../../src-main/shared/archive-api';
import { formatCitation } from '../lib/citation';
import { copyText } from '../lib/copy-text';
import { isHttpUrl } from '../lib/external-link';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';

export function ArticleActions({ article }: { article: Article }) {
  const { t, locale } = useI18n();
  const canShowInFolder = useApp((s) => s.info?.capabilities.showInFolder ?? false);
  const showInFolder = useApp((s) => s.showInFolder);
  const openExternal = useApp((s) => s.openExternal);
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 2500);
    return () => clearTimeout(timer);
  }, [copied]);

  return (
    <div className="article-actions">
      <button
        type="button"
        className="button"
        onClick={async () => setCopied((await copyText(formatCitation(article, t, locale))) ? 'copied' : 'failed')}
      >
        {t.copyCitation}
      </button>
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
      <span className="action-feedback" role="status">
        {copied === 'copied' ? t.citationCopied : copied === 'failed' ? t.copyFailed : ''}
      </span>
    </div>
  );
}
