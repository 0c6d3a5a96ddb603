// The guided stories: a picker (a dialog from the header, and a short list on the first
// screen). Opening a story replaces the current work, which "Undo open" brings back.

import { NEEDS_TEXT, NEEDS_LABEL, STORIES, storyByName, storyWaits, type Story } from '../../scenario/stories';
import { EraBadge } from '../panels/EraBadge';
import { kernelName, kernelOf } from '../kernel/versions';
import { Modal } from '../chrome/Modal';
import { btn } from '../chrome/styles';
import { openStoryBeside } from '../compare/commands';

/** A title with its errno names kept whole ("-ENOSPC" must not wrap after its dash). */
export function StoryTitle({ text }: { text: string }) {
  return (
    <>
      {text.split(/(-E[A-Z0-9]+)/).map((part, i) => (i % 2 ? <span key={i} className="whitespace-nowrap">{part}</span> : part))}
    </>
  );
}

function groups(stories: readonly Story[]): [string, Story[]][] {
  const out = new Map<string, Story[]>();
  for (const s of stories) {
    const g = s.group ?? 'Other';
    if (!out.has(g)) out.set(g, []);
    out.get(g)!.push(s);
  }
  return [...out];
}

function StoryCard({ story, onOpen, onOpenOther }: { story: Story; onOpen: () => void; onOpenOther: (name: string) => void }) {
  const waits = storyWaits(story);
  const n = story.scenario.actions.length;
  const m = story.scenario.machine;
  const other = story.compareWith ? storyByName(story.compareWith) : undefined;
  return (
    <li
      data-testid="story"
      data-story={story.name}
      data-waits={waits || undefined}
      className={`rounded-md border p-2.5 ${waits ? 'border-dashed border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-900/50' : 'border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900'}`}
    >
      <div className="flex items-start gap-2">
        <h4 className={`min-w-0 flex-1 text-sm font-semibold ${waits ? 'text-slate-500 dark:text-slate-400' : ''}`}><StoryTitle text={story.title} /></h4>
        {story.era && <span className="mt-0.5 shrink-0"><EraBadge era={story.era} /></span>}
        {story.needs && !waits && (
          <span className="shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-[10.5px] font-medium text-slate-600 dark:bg-slate-800 dark:text-slate-300" title="The part of the model this story shows">
            {NEEDS_LABEL[story.needs]}
          </span>
        )}
        {waits ? (
          <span className="shrink-0 rounded bg-amber-100 px-1.5 py-0.5 text-[10.5px] font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            {NEEDS_TEXT[story.needs!]}
          </span>
        ) : (
          <button type="button" className={btn} onClick={onOpen} aria-label={`Open story: ${story.title}`}>
            Open ▸
          </button>
        )}
      </div>
      <p className="mt-0.5 font-mono text-[10.5px] text-slate-500 dark:text-slate-400">
        {m.arch} · <span data-testid="story-kernel">{kernelName(kernelOf(m))}</span> · {m.cpus} CPU{m.cpus === 1 ? '' : 's'}
        {m.arch === 'x86' ? ` · ${m.remap === 'none' ? 'no remapping' : m.remap === 'amd-ir' ? 'AMD IR' : 'Intel IR'}` : ''}
        {m.msiModel && m.msiModel !== 'v2' ? ` · MSI model ${m.msiModel}` : ''} · {n} steps · #story/{story.name}
      </p>
      <p className={`mt-1 text-xs leading-snug ${waits ? 'text-slate-500 dark:text-slate-400' : 'text-slate-700 dark:text-slate-300'}`}>{story.intro}</p>
      {other && (
        <p className="mt-1 text-xs text-slate-700 dark:text-slate-300" data-testid="story-compare">
          {story.era ? 'Compare with the design that won' : 'Compare with'} (it opens side by side, stepping together):{' '}
          <button type="button" className="font-medium text-sky-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-300" onClick={() => onOpenOther(other.name)} aria-label={`Open story: ${other.title} (compare with)`}>
            <StoryTitle text={other.title} />
          </button>
        </p>
      )}
    </li>
  );
}

export function StoriesDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Guided stories" onClose={onClose} wide>
      <p className="text-xs text-slate-600 dark:text-slate-300">
        Each story is a scenario with a sentence for every step. Open one, then step with <strong>→</strong> or press{' '}
        <strong>Space</strong> to play it. Stories marked “waits for…” need parts of the model that are still being built.
      </p>
      <div className="-mx-1 max-h-[60vh] overflow-y-auto px-1">
        {groups(STORIES).map(([g, list]) => (
          <section key={g} className="mb-3">
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{g}</h3>
            <ul className="flex flex-col gap-1.5">
              {list.map((s) => (
                <StoryCard
                  key={s.name}
                  story={s}
                  onOpen={() => {
                    onClose();
                    void openStoryBeside(s.name);
                  }}
                  onOpenOther={(name) => {
                    onClose();
                    void openStoryBeside(name);
                  }}
                />
              ))}
            </ul>
          </section>
        ))}
      </div>
    </Modal>
  );
}

/** The first screen's short list: the stories the engine can play, as buttons. */
export function StoryButtons({ onMore }: { onMore: () => void }) {
  const ready = STORIES.filter((s) => !s.needs);
  const waiting = STORIES.filter(storyWaits).length;
  return (
    <div>
      <ul className="grid grid-cols-1 gap-2 min-[560px]:grid-cols-2" aria-label="Guided stories">
        {ready.map((s) => (
          <li key={s.name}>
            <button
              type="button"
              data-story={s.name}
              onClick={() => void openStoryBeside(s.name)}
              className="flex h-full w-full flex-col gap-0.5 rounded-lg border border-slate-300 bg-white px-3 py-2 text-left shadow-sm hover:border-sky-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500 dark:border-slate-700 dark:bg-slate-900 dark:hover:border-sky-500"
            >
              <span className="text-sm font-semibold"><StoryTitle text={s.title} /></span>
              <span className="text-[11px] text-slate-600 dark:text-slate-400">{s.scenario.actions.length} steps · {kernelName(kernelOf(s.scenario.machine))} · {s.group}</span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="mt-2 text-xs font-medium text-sky-700 hover:underline dark:text-sky-300" onClick={onMore}>
        All {STORIES.length} stories: also arm64, IMS, CXL subdevices, drivers, the four MSI domain models and the roads not taken
        {waiting ? ` (${waiting} wait for parts of the model)` : ''}…
      </button>
    </div>
  );
}
