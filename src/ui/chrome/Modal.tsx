// A modal dialog on the native <dialog> element: focus moves into it, Escape closes it,
// and the page behind is inert while it is open.

import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { btn, btnPrimary } from './styles';

interface ModalProps {
  title: string;
  onClose: () => void;
  /** When given, the body is a form and the primary button submits it. */
  onSubmit?: () => void;
  submitLabel?: string;
  submitDisabled?: boolean;
  wide?: boolean;
  children: ReactNode;
}

/**
 * Where focus goes when a dialog is gone: back to the control that opened it when it is still
 * there and usable, else (opened by a key, or that control went) to the kernel actions bar or
 * the panels — never <body>.
 */
function returnFocus(opener: Element | null): void {
  const usable = (el: Element | null): el is HTMLElement | SVGElement =>
    !!el && el !== document.body && el.isConnected && !(el as HTMLButtonElement).disabled && typeof (el as HTMLElement).focus === 'function' && (el as HTMLElement).getClientRects().length > 0;
  if (document.activeElement && document.activeElement !== document.body && document.activeElement.isConnected) return; // something took it already
  if (usable(opener)) {
    opener.focus();
    return;
  }
  const fallback = [...document.querySelectorAll('[role="toolbar"] button:not([disabled]), main [data-panel-body] button, main')].find((el) => usable(el));
  if (fallback) (fallback as HTMLElement).focus({ preventScroll: true });
}

export function Modal({ title, onClose, onSubmit, submitLabel = 'Apply', submitDisabled, wide, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // The control that opened the dialog (focus is still there when the dialog first renders).
  const [opener] = useState<Element | null>(() => (typeof document !== 'undefined' ? document.activeElement : null));

  useEffect(() => () => {
    // After the dialog has gone and its action has redrawn the page.
    requestAnimationFrame(() => returnFocus(opener));
  }, [opener]);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    // showModal() focuses the first focusable element (the close button); start at the
    // first form control instead, or the primary button.
    const first = d?.querySelector<HTMLElement>('[data-autofocus], [data-body] input, [data-body] select, [data-body] textarea, button[type="submit"]');
    first?.focus();
    if (first instanceof HTMLInputElement && first.type !== 'checkbox' && first.type !== 'radio') first.select();
    return () => d?.close();
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!submitDisabled) onSubmit?.();
  };

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className={`m-auto rounded-lg border border-slate-300 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-950/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 ${wide ? 'w-[40rem]' : 'w-[26rem]'} max-w-[95vw]`}
    >
      <form
        onSubmit={submit}
        onKeyDown={(e) => {
          // Enter on a closed <select> submits too, like it does on a text field.
          if (e.key === 'Enter' && e.target instanceof HTMLSelectElement) {
            e.preventDefault();
            e.currentTarget.requestSubmit();
          }
        }}
        className="flex flex-col"
      >
        <header className="flex items-center border-b border-slate-200 px-4 py-2.5 dark:border-slate-700">
          <h2 id={titleId} className="text-sm font-semibold">{title}</h2>
          <button type="button" aria-label="Close dialog" className="ml-auto rounded px-2 text-lg leading-none text-slate-500 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-500 dark:hover:bg-slate-800" onClick={onClose}>
            ×
          </button>
        </header>
        <div data-body className="flex flex-col gap-3 px-4 py-3 text-sm">{children}</div>
        <footer className="flex justify-end gap-2 border-t border-slate-200 px-4 py-2.5 dark:border-slate-700">
          <button type="button" className={btn + ' h-8'} onClick={onClose}>
            {onSubmit ? 'Cancel' : 'Close'}
          </button>
          {onSubmit && (
            <button type="submit" className={btnPrimary} disabled={submitDisabled}>
              {submitLabel}
            </button>
          )}
        </footer>
      </form>
    </dialog>
  );
}
