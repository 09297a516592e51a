import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function ErrorBox({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

interface ConfirmProps {
  title: string;
  confirmLabel: string;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
  children: ComponentChildren;
}

/** A modal <dialog>: focus moves in, Escape cancels, the page behind is inert. */
export function ConfirmDialog(p: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        p.onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          p.onConfirm();
        }}
      >
        <h2 id="confirm-title">{p.title}</h2>
        {p.children}
        <ErrorBox error={p.error} />
        <div class="actions">
          <button type="button" class="secondary" onClick={p.onCancel}>
            Cancel
          </button>
          <button type="submit" disabled={p.busy}>
            {p.busy ? 'Working…' : p.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
