/** The fields of an HTTPS listener's certificate: a file path on the gateway's machine, and a passphrase. */
import { Field, Input } from '@fluentui/react-components';

interface CertificateFileFieldProps {
  label: string;
  value: string;
  placeholder: string;
  error: string | undefined;
  /** Explain relative paths; once per group of file fields is enough. */
  explainRelativePaths?: boolean;
  onChange(value: string): void;
}

export function CertificateFileField({ label, value, placeholder, error, explainRelativePaths, onChange }: CertificateFileFieldProps) {
  return (
    <Field
      label={label}
      required
      validationMessage={error}
      hint={explainRelativePaths ? "Relative paths start at the configuration file's folder" : undefined}
    >
      <Input value={value} onChange={(_e, d) => onChange(d.value)} placeholder={placeholder} />
    </Field>
  );
}

interface PassphraseFieldProps {
  label: string;
  value: string;
  error: string | undefined;
  onChange(value: string): void;
}

export function PassphraseField({ label, value, error, onChange }: PassphraseFieldProps) {
  return (
    <Field label={label} validationMessage={error}>
      <Input type="password" value={value} onChange={(_e, d) => onChange(d.value)} />
    </Field>
  );
}
