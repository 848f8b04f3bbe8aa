/** One part of the gateway settings as a form: problems the gateway reported, the fields, and its buttons. */
import type { FormEvent, ReactNode } from 'react';
import { Button, MessageBar, MessageBarBody, Spinner, makeStyles, tokens } from '@fluentui/react-components';

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
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) onSubmit();
  };
  return (
    <form className={styles.form} onSubmit={submit} noValidate aria-label={label}>
      {problems.map((problem) => (
        <MessageBar key={problem} intent="error">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      ))}
      {children}
      <div className={styles.actions}>
        {onCancel && (
          <Button appearance="secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        )}
        <Button appearance="primary" type="submit" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
