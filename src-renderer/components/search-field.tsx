import { useRef, useState, type Ref } from 'react';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';

export interface SearchFieldProps {
  inputRef?: Ref<HTMLInputElement>;
  /** ↓ from the field moves into the list. */
  onLeaveDown?: () => void;
}

/**
 * The search box. Searches as the reader types, but not while an input method is composing: pinyin letters
 * on their way to becoming 中文 are not a query.
 */
export function SearchField({ inputRef, onLeaveDown }: SearchFieldProps) {
  const { t } = useI18n();
  const query = useApp((s) => s.query);
  const setQuery = useApp((s) => s.setQuery);
  const clearQuery = useApp((s) => s.clearQuery);
  const runSearch = useApp((s) => s.runSearch);
  const [draft, setDraft] = useState<string | null>(null);
  const composing = useRef(false);

  return (
    <div className="search-field">
      <input
        ref={inputRef}
        type="search"
        aria-label={t.search}
        placeholder={t.searchPlaceholder}
        autoComplete="off"
        spellCheck={false}
        value={draft ?? query}
        onCompositionStart={(event) => {
          composing.current = true;
          setDraft(event.currentTarget.value);
        }}
        onCompositionEnd={(event) => {
          composing.current = false;
          setDraft(null);
          setQuery(event.currentTarget.value);
        }}
        onChange={(event) => {
          if (composing.current) setDraft(event.target.value);
          else setQuery(event.target.value);
        }}
        onKeyDown={(event) => {
          if (composing.current || event.nativeEvent.isComposing) return;
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            if (query) clearQuery();
            event.currentTarget.blur();
          } else if (event.key === 'Enter') {
            event.preventDefault();
            void runSearch();
          } else if (event.key === 'ArrowDown' && onLeaveDown) {
            event.preventDefault();
            onLeaveDown();
          }
        }}
      />
    </div>
  );
}
