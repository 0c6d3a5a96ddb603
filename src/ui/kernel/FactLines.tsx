// The one-line notes where the machine's kernel behaves differently from the other modelled ones
// ("since 6.16: …"), each with its source file's Elixir link at every version. The lines come
// from the engine (worker `kernelFacts`); which ones a place shows, from relevance.ts.

import type { KernelFactLine, KernelVersion } from '../../worker/protocol';
import { KERNELS, useKernelFacts } from './facts';

/**
 * `ids`: the facts shown as lines; `folded`: facts of the same place that matter less (how a file
 * prints), behind one summary line that opens them.
 */
export function KernelFactLines({ kernel, ids, folded = [], className = '' }: { kernel: KernelVersion; ids: readonly string[]; folded?: readonly string[]; className?: string }) {
  const facts = useKernelFacts(kernel);
  const shown = facts.filter((f) => ids.includes(f.id));
  const rest = facts.filter((f) => folded.includes(f.id) && !ids.includes(f.id));
  if (shown.length === 0 && rest.length === 0) return null;
  return (
    <div data-testid="kernel-facts" className={`text-[10.5px] leading-[14px] ${className}`}>
      {shown.length > 0 && <Lines kernel={kernel} facts={shown} />}
      {rest.length > 0 && (
        <details>
          <summary className="cursor-pointer text-violet-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-violet-200">
            ≠ this file in Linux {kernel} differs from the other kernels in {rest.length} way{rest.length === 1 ? '' : 's'}
          </summary>
          <Lines kernel={kernel} facts={rest} />
        </details>
      )}
    </div>
  );
}

function Lines({ kernel, facts }: { kernel: KernelVersion; facts: readonly KernelFactLine[] }) {
  return (
    <ul aria-label={`Where Linux ${kernel} differs`}>
      {facts.map((f) => (
        <li key={f.id} data-fact={f.id} className="flex items-baseline gap-1.5 text-violet-900 dark:text-violet-200">
          <span aria-hidden="true" className="shrink-0 font-bold">≠</span>
          <span className="min-w-0 flex-1" data-testid="kernel-fact-line">{f.line}</span>
          <span className="shrink-0 whitespace-nowrap font-mono" title={`${f.file} at each version`}>
            {KERNELS.map((k, i) => (
              <span key={k.version}>
                {i > 0 && <span aria-hidden="true" className="text-slate-400"> · </span>}
                <a
                  href={f.urls[k.version]}
                  target="_blank"
                  rel="noopener noreferrer"
                  aria-label={`${f.file} in Linux ${k.version}`}
                  className={`hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 ${k.version === kernel ? 'font-bold text-sky-800 dark:text-sky-300' : 'text-sky-700 dark:text-sky-400'}`}
                >
                  {k.version}
                </a>
              </span>
            ))}
          </span>
        </li>
      ))}
    </ul>
  );
}
