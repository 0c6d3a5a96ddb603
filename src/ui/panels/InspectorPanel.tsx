// The selected interrupt's or domain's debugfs file, as the engine renders it.

import { useState } from 'react';
import { Panel } from '../chrome/Panel';
import { btnGhost, mono } from '../chrome/styles';
import { useStore } from '../store';
import { InspectorFacts } from '../kernel/InspectorFacts';

export function InspectorPanel() {
  const inspector = useStore((s) => s.inspector);
  const [copied, setCopied] = useState(false);
  const copy = () => {
    if (!inspector) return;
    void navigator.clipboard?.writeText(inspector.text).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    });
  };
  return (
    <Panel
      className="flex-1"
      title="Inspector"
      testId="inspector"
      subtitle={inspector ? undefined : 'debugfs'}
      tools={inspector && <button type="button" className={btnGhost} onClick={copy} aria-label="Copy inspector text">{copied ? 'copied' : 'copy'}</button>}
    >
      {inspector ? (
        <>
          <p data-testid="inspector-path" className="sticky top-0 border-b border-slate-100 bg-white/95 px-2 py-1 font-mono text-[11px] font-semibold text-sky-800 dark:border-slate-800 dark:bg-slate-900/95 dark:text-sky-300">
            <span className="text-slate-400"># </span>cat {inspector.path}
          </p>
          <InspectorFacts />
          <pre data-testid="inspector-text" className={`${mono} whitespace-pre p-2 text-slate-800 dark:text-slate-200`}>{inspector.text}</pre>
        </>
      ) : (
        <p className="p-3 text-xs leading-relaxed text-slate-500 dark:text-slate-400">
          Select an interrupt (a descriptor in Devices, a cell in the vector map, a row of /proc/interrupts) to read its
          <span className="font-mono"> /sys/kernel/debug/irq/irqs/N</span>, or a domain in the tree for its
          <span className="font-mono"> domains/NAME</span> file.
        </p>
      )}
    </Panel>
  );
}
