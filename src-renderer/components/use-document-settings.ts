import { useEffect } from 'react';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';

/** Theme, language and window title belong to the whole document, not to a component's box. */
export function useDocumentSettings(): void {
  const theme = useApp((s) => s.theme);
  const name = useApp((s) => s.info?.name);
  const { t, language } = useI18n();

  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  }, [language]);

  useEffect(() => {
    document.title = name ? `${name} — ${t.appName}` : t.appName;
  }, [name, t]);
}
