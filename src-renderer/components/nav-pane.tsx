import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { CategoryTree } from './category-tree';
import { DateTree } from './date-tree';
import { useIndexingLabel } from './empty-state';
import { TagTree } from './tag-tree';
import { WorkspaceSection } from './workspace-section';

export function NavPane() {
  const { t } = useI18n();
  const status = useApp((s) => s.treesStatus);
  const empty = useApp((s) => s.categories.length === 0 && s.dates.length === 0 && s.tags.length === 0);
  const indexing = useIndexingLabel();

  return (
    <nav className="nav-pane" aria-label={t.navigation}>
      {status === 'error' && (
        <p className="tree-note" role="alert">
          {t.treeLoadFailed}
        </p>
      )}
      <WorkspaceSection />
      <section className="nav-section">
        <h2 className="nav-heading">{t.categories}</h2>
        <CategoryTree />
      </section>
      <section className="nav-section">
        <h2 className="nav-heading">{t.dates}</h2>
        <DateTree />
      </section>
      <section className="nav-section">
        <h2 className="nav-heading">{t.tags}</h2>
        <TagTree />
      </section>
      {status === 'ready' && empty && <p className="tree-note">{indexing ?? t.treeEmpty}</p>}
    </nav>
  );
}
