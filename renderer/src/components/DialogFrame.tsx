/**
 * The frame every dialog of the dashboard shares: an always-open Fluent dialog with its title,
 * its content and its buttons. With `onSubmit` the body is a form, so Enter submits it.
 */
import type { FormEvent, ReactNode } from 'react';
import { Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-components';

interface DialogFrameProps {
  title: ReactNode;
  /** `alert` for a question that must be answered: a click outside does not dismiss it. */
  modalType?: 'modal' | 'alert';
  /** Escape, or a click outside a modal dialog. */
  onDismiss(): void;
  onSubmit?(event: FormEvent): void;
  surfaceClassName?: string;
  contentClassName?: string;
  'aria-label'?: string;
  'aria-describedby'?: string;
  actions: ReactNode;
  children: ReactNode;
}

export function DialogFrame({
  title,
  modalType = 'modal',
  onDismiss,
  onSubmit,
  surfaceClassName,
  contentClassName,
  'aria-label': ariaLabel,
  'aria-describedby': ariaDescribedBy,
  actions,
  children,
}: DialogFrameProps) {
  const body = (
    <DialogBody>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent className={contentClassName}>{children}</DialogContent>
      <DialogActions>{actions}</DialogActions>
    </DialogBody>
  );
  return (
    <Dialog open modalType={modalType} onOpenChange={(_event, data) => !data.open && onDismiss()}>
      <DialogSurface className={surfaceClassName} aria-label={ariaLabel} aria-describedby={ariaDescribedBy}>
        {onSubmit ? (
          <form onSubmit={onSubmit} noValidate>
            {body}
          </form>
        ) : (
          body
        )}
      </DialogSurface>
    </Dialog>
  );
}
