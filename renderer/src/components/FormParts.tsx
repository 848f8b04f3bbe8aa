/**
 * What every form of the dashboard is made of, in a dialog (FormDialog) or in a settings tab
 * (SettingsForm): a submit that waits while busy, the problems the gateway reported, the submit
 * button with its spinner, and the Name field a cluster's or server's form opens with.
 */
import type { FormEvent } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, Spinner, tokens } from '@fluentui/react-components';

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

interface NameFieldProps {
  value: string;
  /** What the name is for, with an example. */
  hint: string;
  error: string | undefined;
  onChange(value: string): void;
}

/** The required name that opens the form, focused when it appears. */
export function NameField({ value, hint, error, onChange }: NameFieldProps) {
  return (
    <Field label="Name" required validationMessage={error} hint={hint}>
      <Input value={value} onChange={(_e, d) => onChange(d.value)} autoFocus />
    </Field>
  );
}
