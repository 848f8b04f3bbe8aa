/**
 * A confirmation inside a form dialog: the first press of the submit button shows what users
 * will see and turns the button into the confirming one; the second press goes ahead. (A second
 * dialog on top of a form dialog would close it when answered.)
 */
import { useCallback, useState } from 'react';
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { ConfirmRequest } from '../dashboard-context.js';

export function useInlineConfirm() {
  const [question, setQuestion] = useState<ConfirmRequest | null>(null);

  /** Whether the change may go ahead: nothing to ask, or asked already and pressed again. */
  const mayProceed = (request: ConfirmRequest | null): boolean => {
    if (request === null || question?.title === request.title) {
      setQuestion(null);
      return true;
    }
    setQuestion(request);
    return false;
  };
  const dismiss = useCallback(() => setQuestion(null), []);

  return { question, mayProceed, dismiss };
}

export function InlineConfirmation({ question }: { question: ConfirmRequest | null }) {
  if (!question) return null;
  return (
    <MessageBar intent="error" layout="multiline" role="alert" data-testid="confirm-consequence">
      <MessageBarBody>
        <MessageBarTitle>{question.title}</MessageBarTitle>
        {question.consequence}
      </MessageBarBody>
    </MessageBar>
  );
}
