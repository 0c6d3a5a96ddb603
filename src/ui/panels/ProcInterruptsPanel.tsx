// /proc/interrupts as the engine prints it. A row with an irq number selects that interrupt.

import { Panel } from '../chrome/Panel';
import { useStore } from '../store';
import { select } from '../store/commands';

const ROW = /^\s*(\d+):/;

export function ProcInterruptsPanel() {
  const proc = useStore((s) => s.snapshot?.proc ?? '');
  const selection = useStore((s) => s.selection);
  const selected = selection?.kind === 'irq' ? selection.virq : null;
  const lines = proc.replace(/\n$/, '').split('\n');
  return (
    <Panel title="/proc/interrupts" testId="proc-interrupts" subtitle={`${lines.filter((l) => ROW.test(l)).length} irq rows`}>
      <div className={`min-w-max px-1.5 py-1 font-mono text-[10px] leading-[14px] text-slate-800 dark:text-slate-200`} data-testid="proc-text">
        {lines.map((line, i) => {
          const m = ROW.exec(line);
          if (!m) {
            return (
              <div key={i} className={`whitespace-pre ${i === 0 ? 'font-semibold' : 'text-slate-500 dark:text-slate-400'}`}>
                {line || ' '}
              </div>
            );
          }
          const virq = Number(m[1]);
          return (
            <div
              key={i}
              role="button"
              tabIndex={0}
              data-virq={virq}
              aria-pressed={virq === selected}
              onClick={() => void select({ kind: 'irq', virq })}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  void select({ kind: 'irq', virq });
                }
              }}
              className={`cursor-pointer whitespace-pre rounded-sm focus-visible:outline-2 focus-visible:outline-sky-500 ${virq === selected ? 'bg-amber-100 dark:bg-amber-900/40' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
            >
              {line}
            </div>
          );
        })}
      </div>
    </Panel>
  );
}
