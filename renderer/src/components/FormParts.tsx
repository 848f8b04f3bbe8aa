/**
 * What every form of the dashboard is made of, in a dialog (FormDialog) or in a settings tab
 * (SettingsForm): a submit that waits while busy, the problems the gateway reported, and the
 * submit button with its spinner.
 */
import type { FormEvent } from 'react';
import { Button, MessageBar, MessageBarBody, Spinner, tokens } from '@fluentui/react-components';

/** The form's submit handler: no page reload, and nothing while busy or held back. */
export function submitHandler(busy: boolean, onSubmit: () => void, held = false): (event: FormEvent) => void {
  return (event) => {
    event.preventDefault();
    if (!busy && !held) onSubmit();
  };
}

export function FormProblems({ problems }: { problems: string[] }) {
  return (
    <>
      {problems.map((problem) => (
        <MessageBar key={problem} intent="error">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      ))}
    </>
  );
}

interface SubmitButtonProps {
  label: string;
  busy: boolean;
  disabled?: boolean;
  /** Red: pressing it stops traffic. */
  danger?: boolean;
}

export function SubmitButton({ label, busy, disabled, danger }: SubmitButtonProps) {
  return (
    <Button
      appearance="primary"
      type="submit"
      disabled={busy || disabled}
      icon={busy ? <Spinner size="tiny" /> : undefined}
      style={danger ? { backgroundColor: tokens.colorPaletteRedBackground3 } : undefined}
    >
      {label}
    </Button>
  );
}
