/**
 * The capacity of one server, 0–100. Moving the thumb only changes what is shown; the new
 * capacity is sent once, when the mouse is released or shortly after the last key press, so a
 * drag or a run of arrow presses makes one change, not a burst of them.
 */
import { useEffect, useRef, useState } from 'react';
import { Slider, makeStyles, tokens } from '@fluentui/react-components';

const KEY_SETTLE_MS = 500;
const NAVIGATION_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'PageUp', 'PageDown', 'Home', 'End']);

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0 },
  slider: { flexGrow: 1, minWidth: '120px' },
  value: {
    fontVariantNumeric: 'tabular-nums',
    minWidth: '2.5em',
    textAlign: 'right',
    fontWeight: tokens.fontWeightSemibold,
  },
});

interface CapacitySliderProps {
  serverName: string;
  capacity: number;
  disabled?: boolean;
  /** Resolves once the gateway has accepted the change (or rejects). */
  onCommit(capacity: number): Promise<void>;
}

export function CapacitySlider({ serverName, capacity, disabled, onCommit }: CapacitySliderProps) {
  const styles = useStyles();
  const [draft, setDraft] = useState<number | null>(null);
  const draftRef = useRef<number | null>(null);
  const keyTimer = useRef<number | undefined>(undefined);
  const dragging = useRef(false);
  const sending = useRef(false);

  const updateDraft = (value: number | null) => {
    draftRef.current = value;
    setDraft(value);
  };

  // Once the gateway reports a capacity after our change, it is the truth again.
  useEffect(() => {
    if (!dragging.current && keyTimer.current === undefined && !sending.current) updateDraft(null);
  }, [capacity]);

  useEffect(() => () => window.clearTimeout(keyTimer.current), []);

  const commit = () => {
    window.clearTimeout(keyTimer.current);
    keyTimer.current = undefined;
    const value = draftRef.current;
    if (value === null) return;
    if (value === capacity) {
      updateDraft(null);
      return;
    }
    sending.current = true;
    onCommit(value)
      .catch(() => updateDraft(null))
      .finally(() => {
        sending.current = false;
      });
  };

  const startDrag = () => {
    dragging.current = true;
    const release = () => {
      window.removeEventListener('pointerup', release);
      window.removeEventListener('pointercancel', release);
      dragging.current = false;
      commit();
    };
    window.addEventListener('pointerup', release);
    window.addEventListener('pointercancel', release);
  };

  const shown = draft ?? capacity;
  return (
    <div className={styles.root}>
      <Slider
        className={styles.slider}
        min={0}
        max={100}
        value={shown}
        disabled={disabled}
        aria-label={`Capacity of ${serverName}`}
        aria-valuetext={`${shown} of 100`}
        onChange={(_event, data) => updateDraft(data.value)}
        onPointerDown={startDrag}
        onKeyDown={(event) => {
          if (NAVIGATION_KEYS.has(event.key)) window.clearTimeout(keyTimer.current);
        }}
        onKeyUp={(event) => {
          if (!NAVIGATION_KEYS.has(event.key)) return;
          window.clearTimeout(keyTimer.current);
          keyTimer.current = window.setTimeout(commit, KEY_SETTLE_MS);
        }}
        onBlur={() => {
          if (keyTimer.current !== undefined) commit();
        }}
      />
      <span className={styles.value} aria-hidden="true">
        {shown}
      </span>
    </div>
  );
}
