// Marks the moment the panels have committed a new machine view: performance.mark
// ('irqscope:view') in an effect that runs after every panel's own effects (it is rendered
// after them). `npm run bench:ui` measures click → this mark.

import { useEffect } from 'react';
import { useStore } from '../store';

export function PerfProbe() {
  const snapshot = useStore((s) => s.snapshot);
  useEffect(() => {
    if (snapshot && typeof performance !== 'undefined' && typeof performance.mark === 'function') {
      performance.mark('irqscope:view', { detail: { step: snapshot.step } });
    }
  }, [snapshot]);
  return null;
}
