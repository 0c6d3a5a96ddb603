// Share: the link that reopens exactly this view, the scenario as a JSON file (export and
// import), and a plain-text report for a mail.

import { useEffect, useMemo, useRef, useState } from 'react';
import { LONG_LINK_CHARS } from '../../scenario/url';
import { Modal } from '../chrome/Modal';
import { btn, input } from '../chrome/styles';
import { useStore } from '../store';
import { procReportText } from '../store/sync';
import { currentLink, currentWork, download, exportJson, exportName, openFile } from './open';
import { buildReport, linkIsLong } from './report';

type CopyState = 'idle' | 'copied' | 'failed';

async function copyText(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard?.writeText) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function CopyNote({ state, what }: { state: CopyState; what: string }) {
  if (state === 'idle') return null;
  return state === 'copied' ? (
    <span role="status" className="text-xs text-emerald-700 dark:text-emerald-300">Copied.</span>
  ) : (
    <span role="status" className="text-xs text-amber-800 dark:text-amber-300">
      The browser did not let irqscope copy: the {what} is selected — press Ctrl+C.
    </span>
  );
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function ShareDialog({ onClose }: { onClose: () => void }) {
  const link = useMemo(currentLink, []);
  const linkRef = useRef<HTMLInputElement>(null);
  const reportRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [linkCopy, setLinkCopy] = useState<CopyState>('idle');
  const [reportCopy, setReportCopy] = useState<CopyState>('idle');
  const records = useStore((s) => s.records);
  const snapshot = useStore((s) => s.snapshot);
  const inspector = useStore((s) => s.inspector);
  // /proc/interrupts is not in the store (the panel asks for the lines it shows): asked for here.
  const [proc, setProc] = useState('');
  useEffect(() => {
    let live = true;
    if (snapshot) void procReportText(snapshot).then((t) => live && setProc(t), () => undefined);
    return () => {
      live = false;
    };
  }, [snapshot]);
  const work = currentWork();
  const long = linkIsLong(link);
  const report = useMemo(() => {
    if (!work || !snapshot) return '';
    return buildReport({
      scenario: work.scenario,
      records,
      step: snapshot.step,
      story: work.story,
      link,
      proc,
      inspector,
      jsonName: exportName(work),
    });
  }, [records, snapshot, inspector, link, proc]);

  const copyLink = async () => {
    const ok = await copyText(link);
    setLinkCopy(ok ? 'copied' : 'failed');
    if (!ok) linkRef.current?.select();
  };
  const copyReport = async () => {
    const ok = await copyText(report);
    setReportCopy(ok ? 'copied' : 'failed');
    if (!ok) reportRef.current?.select();
  };

  return (
    <Modal title="Share this view" onClose={onClose} wide>
      <section aria-labelledby="share-link-h" className="flex flex-col gap-1.5">
        <h3 id="share-link-h" className="text-xs font-semibold uppercase tracking-wide text-slate-500">Link</h3>
        <p className="text-xs text-slate-600 dark:text-slate-300">
          Opens the same scenario at the same step with the same selection. It is also always in the address bar.
        </p>
        <div className="flex items-center gap-1.5">
          <input
            ref={linkRef}
            data-testid="share-link"
            aria-label="Link to this view"
            readOnly
            value={link}
            onFocus={(e) => e.currentTarget.select()}
            className={input + ' min-w-0 flex-1 font-mono text-[11px]'}
          />
          <button type="button" className={btn + ' h-8'} onClick={() => void copyLink()} data-autofocus>
            Copy link
          </button>
        </div>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <span data-testid="share-link-length" className={`text-[11px] ${long ? 'font-semibold text-amber-800 dark:text-amber-300' : 'text-slate-500 dark:text-slate-400'}`}>
            {fmt(link.length)} characters
            {long && ` — longer than ~${fmt(LONG_LINK_CHARS)}: mail clients and chats may break it. Send the JSON file instead.`}
          </span>
          <CopyNote state={linkCopy} what="link" />
        </div>
      </section>

      <section aria-labelledby="share-file-h" className="flex flex-col gap-1.5 border-t border-slate-200 pt-3 dark:border-slate-700">
        <h3 id="share-file-h" className="text-xs font-semibold uppercase tracking-wide text-slate-500">Scenario file</h3>
        <div className="flex flex-wrap items-center gap-1.5">
          <button type="button" className={btn + ' h-8'} onClick={exportJson} disabled={!work}>
            Export JSON
          </button>
          <button type="button" className={btn + ' h-8'} onClick={() => fileRef.current?.click()}>
            Import JSON…
          </button>
          <input
            ref={fileRef}
            type="file"
            accept=".json,application/json"
            aria-label="Import a scenario file"
            data-testid="import-file"
            className="sr-only"
            tabIndex={-1}
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (f) {
                onClose();
                void openFile(f);
              }
            }}
          />
          <span className="text-[11px] text-slate-500 dark:text-slate-400">
            or drop a <span className="font-mono">.json</span> file anywhere on the page ·{' '}
            <span className="font-mono">npm run sim -- {work ? exportName(work) : 'file.json'}</span> replays it on the command line
          </span>
        </div>
      </section>

      <section aria-labelledby="share-report-h" className="flex flex-col gap-1.5 border-t border-slate-200 pt-3 dark:border-slate-700">
        <h3 id="share-report-h" className="text-xs font-semibold uppercase tracking-wide text-slate-500">Report for a mail</h3>
        <textarea
          ref={reportRef}
          data-testid="share-report"
          aria-label="Report text"
          readOnly
          value={report}
          rows={9}
          className="w-full resize-y rounded border border-slate-300 bg-slate-50 p-2 font-mono text-[10.5px] leading-[14px] text-slate-800 dark:border-slate-600 dark:bg-slate-950 dark:text-slate-200"
        />
        <div className="flex flex-wrap items-center gap-1.5">
          <button type="button" className={btn + ' h-8'} onClick={() => void copyReport()} disabled={!report}>
            Copy report
          </button>
          <button
            type="button"
            className={btn + ' h-8'}
            disabled={!report || !work}
            onClick={() => work && download(exportName(work).replace(/\.json$/, '-report.txt'), report, 'text/plain')}
          >
            Download .txt
          </button>
          {long && (
            <button type="button" className={btn + ' h-8'} onClick={exportJson}>
              Export JSON to attach
            </button>
          )}
          <CopyNote state={reportCopy} what="report" />
        </div>
      </section>
    </Modal>
  );
}
