/** Asks before a change that would stop traffic, saying what users will see; Cancel is the default. */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  tokens,
} from '@fluentui/react-components';
import type { ConfirmRequest } from '../dashboard-context.js';

interface ConfirmDialogProps {
  request: ConfirmRequest;
  onAnswer(confirmed: boolean): void;
}

export function ConfirmDialog({ request, onAnswer }: ConfirmDialogProps) {
  return (
    <Dialog open modalType="alert" onOpenChange={(_event, data) => !data.open && onAnswer(false)}>
      <DialogSurface aria-describedby="confirm-consequence">
        <DialogBody>
          <DialogTitle>{request.title}</DialogTitle>
          <DialogContent>
            <MessageBar intent="error" layout="multiline" id="confirm-consequence" data-testid="confirm-consequence">
              <MessageBarBody>{request.consequence}</MessageBarBody>
            </MessageBar>
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={() => onAnswer(false)} autoFocus>
              Cancel
            </Button>
            <Button
              appearance="primary"
              style={{ backgroundColor: tokens.colorPaletteRedBackground3 }}
              onClick={() => onAnswer(true)}
            >
              {request.confirmLabel}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

