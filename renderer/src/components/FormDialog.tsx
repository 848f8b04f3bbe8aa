/** The dialog every edit form shares: title, the fields, problems the gateway reported, buttons. */
import type { ReactNode } from 'react';
import { Button, makeStyles, tokens } from '@fluentui/react-components';
import type { ConfirmRequest } from '../dashboard-context.js';
import { DialogFrame } from './DialogFrame.js';
import { FormProblems, SubmitButton, submitHandler } from './FormParts.js';
import { InlineConfirmation } from './InlineConfirmation.js';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

interface FormDialogProps {
  title: string;
  submitLabel: string;
  busy: boolean;
  problems: string[];
  danger?: boolean;
  /**
   * The question of an inline confirmation (useInlineConfirm) while it is asked: shown above the
   * fields, and the submit button becomes its red confirming button.
   */
  confirmation?: ConfirmRequest | null;
  /** While true the submit button cannot be pressed (e.g. while waiting for a check). */
  submitDisabled?: boolean;
  /** Label of the button that closes the dialog without submitting; "Cancel" by default. */
  closeLabel?: string;
  /** Further buttons, placed before Cancel. */
  extraActions?: ReactNode;
  onSubmit(): void;
  onClose(): void;
  children: ReactNode;
}

export function FormDialog({
  title,
  submitLabel,
  busy,
  problems,
  danger,
  confirmation,
  submitDisabled,
  closeLabel,
  extraActions,
  onSubmit,
  onClose,
  children,
}: FormDialogProps) {
  const styles = useStyles();
  return (
    <DialogFrame
      title={title}
      onDismiss={() => !busy && onClose()}
      onSubmit={submitHandler(busy, onSubmit, submitDisabled)}
      contentClassName={styles.content}
      actions={
        <>
          {extraActions}
          <Button appearance="secondary" onClick={onClose} disabled={busy}>
            {closeLabel ?? 'Cancel'}
          </Button>
          <SubmitButton
            label={confirmation?.confirmLabel ?? submitLabel}
            busy={busy}
            disabled={submitDisabled}
            danger={danger || Boolean(confirmation)}
          />
        </>
      }
    >
      <FormProblems problems={problems} />
      <InlineConfirmation question={confirmation ?? null} />
      {children}
    </DialogFrame>
  );
}
