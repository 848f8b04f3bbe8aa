/** Runs a form's change and turns a refusal into messages placed next to the form's fields. */
import { useEffect, useState } from 'react';
import type { FieldIssue } from '../control-client-error.js';
import { issuesOf, messageOf } from '../control-client-error.js';
import { placeIssues, type PlacedIssues } from '../field-issues.js';

const NO_ISSUES: PlacedIssues = { byField: {}, general: [] };

/** `place` decides which field an issue belongs to; by default a cluster or server form's way. */
export function useFormSubmit(fields: readonly string[], place: (issues: FieldIssue[]) => PlacedIssues = (issues) => placeIssues(issues, fields)) {
  const [busy, setBusy] = useState(false);
  const [issues, setIssues] = useState<PlacedIssues>(NO_ISSUES);
  const [refusals, setRefusals] = useState(0);

  // After a refused submit has been drawn, the first field marked invalid gets the focus.
  useEffect(() => {
    if (refusals > 0) focusFirstInvalidField();
  }, [refusals]);

  const submit = async (send: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setIssues(NO_ISSUES);
    try {
      await send();
      return true;
    } catch (error) {
      const placed = place(issuesOf(error));
      const general = placed.general.length > 0 || Object.keys(placed.byField).length > 0 ? placed.general : [messageOf(error)];
      setIssues({ byField: placed.byField, general });
      setRefusals((count) => count + 1);
      return false;
    } finally {
      setBusy(false);
    }
  };

  return { busy, issues, submit };
}

function focusFirstInvalidField(): void {
  document.querySelector<HTMLElement>('[role="dialog"] [aria-invalid="true"], [role="alertdialog"] [aria-invalid="true"]')?.focus();
}
