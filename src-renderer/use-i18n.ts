import { localeFor, MESSAGES, type Language, type Messages } from './i18n';
import { useApp } from './store/store-context';

/** The current UI language's strings and the locale for dates and numbers. */
export function useI18n(): { t: Messages; locale: string; language: Language } {
  const language = useApp((s) => s.language);
  return { t: MESSAGES[language], locale: localeFor(language), language };
}
