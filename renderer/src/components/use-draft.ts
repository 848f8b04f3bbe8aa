/** A form's draft: one object holding every field as the form shows it, and a setter per field. */
import { useCallback, useState } from 'react';

export function useDraft<Draft extends object>(initial: Draft | (() => Draft)) {
  const [draft, setDraft] = useState(initial);
  const set = useCallback(
    <Key extends keyof Draft>(key: Key, value: Draft[Key]) => setDraft((current) => ({ ...current, [key]: value })),
    [],
  );
  return { draft, set, setDraft };
}
