/** One part of the gateway settings as a form: problems the gateway reported, the fields, and its buttons. */
import type { ReactNode } from 'react';
import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { FormProblems, SubmitButton, submitHandler } from './FormParts.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', justifyContent: 'flex-end', gap: tokens.spacingHorizontalS, marginTop: tokens.spacingVerticalS },
});

interface SettingsFormProps {
  label: string;
  submitLabel: string;
  busy: boolean;
  problems: string[];
  onSubmit(): void;
  onCancel?(): void;
  children: ReactNode;
}

export function SettingsForm({ label, submitLabel, busy, problems, onSubmit, onCancel, children }: SettingsFormProps) {
  const styles = useStyles();
  return (
    <form className={styles.form} onSubmit={submitHandler(busy, onSubmit)} noValidate aria-label={label}>
      <FormProblems problems={problems} />
      {children}
      <div className={styles.actions}>
        {onCancel && (
          <Button appearance="secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        )}
        <SubmitButton label={submitLabel} busy={busy} />
      </div>
    </form>
  );
}
