/** Asks before a change that would stop traffic, saying what users will see; Cancel is the default. */
import { Button, MessageBar, MessageBarBody, tokens } from '@fluentui/react-components';
import type { ConfirmRequest } from '../dashboard-context.js';
import { DialogFrame } from './DialogFrame.js';

interface ConfirmDialogProps {
  request: ConfirmRequest;
  onAnswer(confirmed: boolean): void;
}

export function ConfirmDialog({ request, onAnswer }: ConfirmDialogProps) {
  return (
    <DialogFrame
      title={request.title}
      modalType="alert"
      onDismiss={() => onAnswer(false)}
      aria-describedby="confirm-consequence"
      actions={
        <>
          <Button appearance="secondary" onClick={() => onAnswer(false)} autoFocus>
            Cancel
          </Button>
          <Button appearance="primary" style={{ backgroundColor: tokens.colorPaletteRedBackground3 }} onClick={() => onAnswer(true)}>
            {request.confirmLabel}
          </Button>
        </>
      }
    >
      <MessageBar intent="error" layout="multiline" id="confirm-consequence" data-testid="confirm-consequence">
        <MessageBarBody>{request.consequence}</MessageBarBody>
      </MessageBar>
    </DialogFrame>
  );
}
