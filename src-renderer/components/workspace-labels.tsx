import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { labelQuery } from '../store/workspace-slice';
import { LABEL_COLORS, labelNameHasQuote } from '../../src-main/shared/labels';
import { useLabelMessages } from './label-messages';

const NO_LABELS: string[] = [];

const dot = (color: string | undefined): CSSProperties => ({ '--label-color': color ?? '#888' }) as CSSProperties;

/** The open article's labels as chips (a click lists the label's posts; × takes it off). */
export function ArticleLabels({ path }: { path: string }) {
  const { t } = useI18n();
  const names = useApp((s) => (s.marks?.path === path ? s.marks.labels : null));
  const labels = useApp((s) => s.labels);
  const removeArticleLabel = useApp((s) => s.removeArticleLabel);
  const showWorkspaceQuery = useApp((s) => s.showWorkspaceQuery);
  if (!names || names.length === 0) return null;
  return (
    <ul className="label-chips" aria-label={t.labels}>
      {names.map((name) => (
        <li key={name} className="chip label-chip" style={dot(labels.find((l) => l.name === name)?.color)}>
          <button type="button" className="label-chip-name" aria-label={t.showLabel(name)} onClick={() => showWorkspaceQuery(labelQuery(name))}>
            <span className="label-dot" aria-hidden="true" />
            {name}
          </button>
          <button type="button" className="label-chip-remove" aria-label={t.removeLabel(name)} onClick={() => void removeArticleLabel(name)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** "Label…": a small popover to put existing labels on the open article or take them off, or type a new one. */
export function LabelPicker({ path }: { path: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [color, setColor] = useState<string | undefined>(undefined);
  const labels = useApp((s) => s.labels);
  const mine = useApp((s) => (s.marks?.path === path ? s.marks.labels : NO_LABELS));
  const addArticleLabel = useApp((s) => s.addArticleLabel);
  const removeArticleLabel = useApp((s) => s.removeArticleLabel);
  const box = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open) return;
    input.current?.focus();
    const onDown = (event: MouseEvent): void => {
      if (box.current && !box.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const typed = text.trim();
  const shown = labels.filter((l) => l.name.toLowerCase().includes(typed.toLowerCase()));
  const exists = labels.some((l) => l.name.toLowerCase() === typed.toLowerCase());
  const lm = useLabelMessages();
  const quoted = labelNameHasQuote(typed);
  const create = (): void => {
    if (!typed || quoted) return;
    void addArticleLabel(typed, exists ? undefined : color);
    setText('');
  };

  return (
    <div className="label-picker" ref={box}>
      <button type="button" className="button" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)}>
        {t.labelButton}
      </button>
      {open && (
        <div
          className="label-popover"
          role="dialog"
          aria-label={t.labels}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation();
              setOpen(false);
            }
          }}
        >
          <input
            ref={input}
            className="input label-input"
            value={text}
            maxLength={100}
            placeholder={t.labelPlaceholder}
            aria-label={t.labelPlaceholder}
            aria-invalid={quoted || undefined}
            aria-describedby={quoted ? 'label-name-rule' : undefined}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
                event.preventDefault();
                create();
              }
            }}
          />
          {quoted && (
            <p id="label-name-rule" className="label-rule" role="alert">
              {lm.noQuote}
            </p>
          )}
          {typed && !exists && !quoted && (
            <div className="label-new">
              <div className="label-colors" role="radiogroup" aria-label={t.labelColor}>
                {LABEL_COLORS.map((c) => (
                  <button
                    key={c}
                    type="button"
                    role="radio"
                    aria-checked={color === c}
                    aria-label={lm.colorName(c)}
                    className="label-swatch"
                    style={dot(c)}
                    onClick={() => setColor(c)}
                  />
                ))}
              </div>
              <button type="button" className="button button-small" onClick={create}>
                {t.createLabel(typed)}
              </button>
            </div>
          )}
          <ul className="label-options">
            {shown.map((label) => {
              const on = mine.includes(label.name);
              return (
                <li key={label.name}>
                  <label className="label-option" style={dot(label.color)}>
                    <input
                      type="checkbox"
                      checked={on}
                      onChange={() => void (on ? removeArticleLabel(label.name) : addArticleLabel(label.name))}
                    />
                    <span className="label-dot" aria-hidden="true" />
                    <span className="label-name">{label.name}</span>
                  </label>
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </div>
  );
}
