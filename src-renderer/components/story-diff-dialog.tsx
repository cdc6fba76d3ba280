import { useMemo } from 'react';
import type { Article } from '../../src-main/shared/archive-api';
import { formatPostDate } from '../lib/format-date';
import { htmlToText } from '../lib/text-diff';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { Dialog } from './dialog';
import { StoryDiff } from './story-diff';

function describe(title: string, categories: string[], date: string | null, locale: string): string {
  const when = formatPostDate(date, locale, 'short')?.text;
  return [title, categories.join(' › '), when].filter(Boolean).join(' · ');
}

/** The open post beside another version of it (Escape closes; a button opens the other post instead). */
export function StoryDiffDialog({ article }: { article: Article }) {
  const { t, locale } = useI18n();
  const version = useApp((s) => s.diffVersion);
  const other = useApp((s) => s.diffArticle);
  const status = useApp((s) => s.diffStatus);
  const error = useApp((s) => s.diffError);
  const close = useApp((s) => s.closeVersionDiff);
  const openArticle = useApp((s) => s.openArticle);
  const left = useMemo(() => htmlToText(article.html), [article.html]);
  const right = useMemo(() => (other ? htmlToText(other.html) : ''), [other]);

  if (!version) return null;
  const percent = Math.round(version.score * 100);
  return (
    <Dialog open title={t.diffTitle} onClose={close} className="story-diff-dialog">
      <div className="story-diff-posts">
        <p>
          <strong>{t.diffThisPost}</strong> {describe(article.title || article.path, article.categories, article.date, locale)}
        </p>
        <p>
          <strong>{t.diffOtherPost}</strong> {describe(version.title || version.path, version.categories, version.date, locale)} ·{' '}
          {t.similarity(percent)}{' '}
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              close();
              void openArticle(version.path);
            }}
          >
            {t.openOtherPost}
          </button>
        </p>
      </div>
      {status === 'loading' && <p className="dialog-intro">{t.loading}</p>}
      {status === 'error' && error && (
        <p className="alert" role="alert">
          {t.articleLoadFailed(error)}
        </p>
      )}
      {other && <StoryDiff left={left} right={right} leftLabel={t.diffThisPost} rightLabel={t.diffOtherPost} />}
    </Dialog>
  );
}
