/** The dialog every edit form shares: title, the fields, problems the gateway reported, buttons. */
import type { FormEvent, ReactNode } from 'react';
import { Button, MessageBar, MessageBarBody, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { DialogFrame } from './DialogFrame.js';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

interface FormDialogProps {
  title: string;
  submitLabel: string;
  busy: boolean;
  problems: string[];
  danger?: boolean;
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
  submitDisabled,
  closeLabel,
  extraActions,
  onSubmit,
  onClose,
  children,
}: FormDialogProps) {
  const styles = useStyles();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy && !submitDisabled) onSubmit();
  };
  return (
    <DialogFrame
      title={title}
      onDismiss={() => !busy && onClose()}
      onSubmit={submit}
      contentClassName={styles.content}
      actions={
        <>
          {extraActions}
          <Button appearance="secondary" onClick={onClose} disabled={busy}>
            {closeLabel ?? 'Cancel'}
          </Button>
          <Button
            appearance="primary"
            type="submit"
            disabled={busy || submitDisabled}
            icon={busy ? <Spinner size="tiny" /> : undefined}
            style={danger ? { backgroundColor: tokens.colorPaletteRedBackground3 } : undefined}
          >
            {submitLabel}
          </Button>
        </>
      }
    >
      {problems.map((problem) => (
        <MessageBar key={problem} intent="error">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      ))}
      {children}
    </DialogFrame>
  );
}
