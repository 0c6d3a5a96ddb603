// The diff as text, for the command line and mails: one section per kind of object, one line
// per object (+ added, ~ changed, - removed), its fields as "name: before → after".

import { CHANGE_KINDS, KIND_TITLES, type Change, type StateDiff } from './diff';

const SIGN: Record<Change['op'], string> = { added: '+', changed: '~', removed: '-' };

/** A field value on one line: multi-line texts (debugfs hunks) are indented under it. */
function value(v: string, pad: string): string {
  return v.includes('\n') ? `\n${v.split('\n').map((l) => `${pad}  ${l}`).join('\n')}\n${pad}` : v;
}

function fieldLine(f: Change['fields'][number], op: Change['op'], pad: string): string {
  if (op === 'added') return `${pad}${f.field}: ${value(f.after, pad)}`;
  if (op === 'removed') return `${pad}${f.field}: ${value(f.before, pad)}`;
  if (f.before.includes('\n') || f.after.includes('\n')) {
    const lines = [...(f.before ? f.before.split('\n').map((l) => `${pad}- ${l}`) : []), ...(f.after ? f.after.split('\n').map((l) => `${pad}+ ${l}`) : [])];
    return `${pad}${f.field}:\n${lines.join('\n')}`;
  }
  return `${pad}${f.field}: ${f.before || '(none)'} → ${f.after || '(none)'}`;
}

export interface FormatOptions {
  /** Leave out these kinds (e.g. the /proc/interrupts and debugfs texts, which repeat the objects). */
  omit?: readonly Change['kind'][];
}

/** The diff as text: a header naming both states, the counts, then the changes by kind. */
export function formatDiff(d: StateDiff, opts: FormatOptions = {}): string {
  const out: string[] = [];
  out.push(`--- ${d.a.label} (kernel ${d.a.kernel})`);
  out.push(`+++ ${d.b.label} (kernel ${d.b.kernel})`);
  const shown = d.changes.filter((c) => !opts.omit?.includes(c.kind));
  const n = shown.length;
  out.push(n === 0 ? 'no changes' : `${n} change${n === 1 ? '' : 's'}: ${count(shown, 'added')} added, ${count(shown, 'changed')} changed, ${count(shown, 'removed')} removed`);
  for (const note of d.notes) out.push(`note: ${note}`);
  for (const kind of CHANGE_KINDS) {
    const cs = shown.filter((c) => c.kind === kind);
    if (!cs.length) continue;
    out.push('', `${KIND_TITLES[kind]} (${cs.length})`);
    for (const c of cs) {
      out.push(`  ${SIGN[c.op]} ${c.label}${c.op === 'changed' ? '' : ` (${c.op})`}`);
      for (const f of c.fields) out.push(fieldLine(f, c.op, '      '));
    }
  }
  return `${out.join('\n')}\n`;
}

function count(cs: readonly Change[], op: Change['op']): number {
  return cs.reduce((n, c) => n + (c.op === op ? 1 : 0), 0);
}
