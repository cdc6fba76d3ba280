import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useI18n } from '../use-i18n';

/** Tab and Shift+Tab stay inside the dialog while it is open. */
function trapTab(event: KeyboardEvent<HTMLElement>): void {
  if (event.key !== 'Tab') return;
  const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>('button, [href], input, select, [tabindex="0"]')];
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

interface DialogProps {
  open: boolean;
  title: string;
  onClose(): void;
  /** Extra class on the dialog box (its own layout). */
  className?: string;
  /** Keys that close it besides Escape (the help panel's `?`). */
  closeKeys?: readonly string[];
  children: ReactNode;
}

/**
 * A modal panel: a backdrop that closes it when clicked, a header with the title and Close (focused on open, the
 * focus given back on close), Escape to close, and Tab kept inside.
 */
export function Dialog({ open, title, onClose, className, closeKeys = [], children }: DialogProps) {
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
        className={className ? `dialog ${className}` : 'dialog'}
        onKeyDown={(event) => {
          if (event.key === 'Escape' || closeKeys.includes(event.key)) {
            event.preventDefault();
            event.stopPropagation();
            onClose();
          }
          trapTab(event);
        }}
      >
        <div className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          <button ref={closeRef} type="button" className="button" onClick={onClose}>
            {t.close}
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
