// Links that reopen exactly what a user saw: the scenario, the step and the selection, in the
// URL's hash. Two forms, both versioned by their prefix:
//
//   #s1/<lz-string compressToEncodedURIComponent of the scenario JSON>?step=K&sel=irq:24
//   #s2/<lz-string of {"scenario": …, "preset": "x86-4-ir", "refused": [{at, action, errno, …}]}>?step=K&sel=…
//   #story/<name>@K?sel=domain:VECTOR        (a guided story, unmodified: short and readable)
//
// s2 carries what s1 cannot: the picker machine the scenario was started on (its id) and the calls
// the kernel refused (not steps: listed in the event log with their errno). A link with neither
// is written as s1, so the links of plain scenarios stay as they were; both are read.
//
// The hash is untrusted input. Decoding checks its length before decompressing, decompresses
// with an output limit (a few kB of lz-string can expand to hundreds of MB), then parses and
// validates the JSON (validate.ts), and every failure is a sentence that says what is wrong.
// Pure functions of strings: no DOM, so the command line and tests use them as they are.

import * as LZ from 'lz-string';
import { NEEDS_TEXT, STORIES, storyByName, storyWaits, type Story } from './stories';
import type { Scenario } from './types';
import { MAX_SCENARIO_BYTES, UNSAFE_TEXT_RE, validateAction, validateScenario } from './validate';

// lz-string is CommonJS: bundlers expose its functions as named exports, Node's ESM loader only
// as `default`.
const LZString: typeof LZ = (LZ as unknown as { default?: typeof LZ }).default ?? LZ;

/** The newest link format this irqscope writes and reads: `#s2/…` (and `#s1/…`, the scenario alone). */
export const LINK_VERSION = 2;

/** Refused calls a link carries at most. */
export const MAX_LINK_REFUSALS = 256;

/** A link's compressed payload longer than this is refused before decompressing (characters). */
export const MAX_LINK_CHARS = 200_000;

/** A link's decompressed JSON longer than this is refused (UTF-16 units; the file limit too). */
export const MAX_LINK_JSON_CHARS = MAX_SCENARIO_BYTES;

/** Links longer than this do not travel well in mails and chats (TypeScript Playground uses ~4,000). */
export const LONG_LINK_CHARS = 4000;

/** What is selected, as a link carries it: `irq:24`, `domain:VECTOR`, `device:nvme`. */
export type LinkSelection = { kind: 'irq'; virq: number } | { kind: 'domain'; name: string } | { kind: 'device'; name: string };

/**
 * A call the kernel refused, as the event log lists it: at which step it was tried, the call, and
 * the kernel's answer (negative errno, its name, the sentence). Not a step: it changed nothing.
 */
export interface LinkRefusal {
  atStep: number;
  action: Scenario['actions'][number];
  errno: number;
  errnoName?: string;
  message: string;
}

/** Everything a link reopens. */
export interface LinkState {
  scenario: Scenario;
  /** The step shown (0…actions.length). */
  step: number;
  selection: LinkSelection | null;
  /** Set when the link was a `#story/` link. */
  story: string | null;
  /** The picker machine the scenario was started on (its id), when the link names one (s2). */
  preset?: string | null;
  /** Calls the kernel refused, oldest first (s2). */
  refused?: LinkRefusal[];
}

export type DecodeResult = { ok: true; state: LinkState } | { ok: true; state: null } | { ok: false; error: string };

// ---- encoding --------------------------------------------------------------------------

/** The JSON of a scenario's `#s1/…` payload (without its `step`: the step travels as `?step=`). */
const s1JsonOf = new WeakMap<Scenario, string>();
function scenarioJson(scenario: Scenario): string {
  let json = s1JsonOf.get(scenario);
  if (json === undefined) {
    const { step: _omit, ...rest } = scenario;
    void _omit;
    json = JSON.stringify(rest);
    s1JsonOf.set(scenario, json);
  }
  return json;
}

/** The last payloads compressed (stepping changes only `?step=`, not the payload). */
const compressed = new Map<string, string>();
const COMPRESSED_KEPT = 4;

/** The compressed payload of a link's JSON when it is known already (see `rememberPayload`). */
export function knownPayload(json: string): string | undefined {
  return compressed.get(json);
}

/** Keep `payload` as the compression of `json` (computed here or elsewhere: it is the same function). */
export function rememberPayload(json: string, payload: string): void {
  compressed.delete(json);
  compressed.set(json, payload);
  while (compressed.size > COMPRESSED_KEPT) compressed.delete(compressed.keys().next().value!);
}

/** lz-string compressToEncodedURIComponent of a link's JSON, remembered. */
export function compressLinkJson(json: string): string {
  let payload = compressed.get(json);
  if (payload === undefined) payload = LZString.compressToEncodedURIComponent(json);
  rememberPayload(json, payload);
  return payload;
}

/** The `#s1/…` payload of a scenario (without its `step`: the step travels as `?step=`). */
export function compressScenario(scenario: Scenario): string {
  return compressLinkJson(scenarioJson(scenario));
}

export function formatSelection(sel: LinkSelection): string {
  return sel.kind === 'irq' ? `irq:${sel.virq}` : `${sel.kind}:${encodeURIComponent(sel.name)}`;
}

function query(params: [string, string][]): string {
  return params.length ? `?${params.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
}

/** True when `scenario` is exactly the story's scenario (same machine, same actions). */
export function isStoryScenario(story: Story, scenario: Scenario): boolean {
  return canonical(story.scenario) === canonical(scenario);
}

const canonicalCache = new WeakMap<object, string>();
function canonical(s: Scenario): string {
  let c = canonicalCache.get(s);
  if (c === undefined) {
    c = JSON.stringify(sortKeys({ version: s.version, machine: s.machine, actions: s.actions }));
    canonicalCache.set(s, c);
  }
  return c;
}

/** JSON with keys sorted and undefined left out: the same data gives the same text whatever its key order. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => [k, sortKeys(o[k])]));
  }
  return v;
}

/** What a link state is made of. */
export interface LinkInput {
  scenario: Scenario; step: number; selection?: LinkSelection | null; story?: string | null;
  preset?: string | null; refused?: readonly LinkRefusal[];
}

/**
 * A link as its parts: the JSON to compress (null for a story link, which has none) and the text
 * before and after the compressed payload. Compressing is the costly part (a few hundred ms for
 * thousands of steps): a caller may do it elsewhere and `rememberPayload` the result.
 */
export interface LinkParts {
  json: string | null;
  head: string;
  tail: string;
}

/**
 * The parts of a state's hash. An unmodified story gives `#story/<name>@<step>` (the step is left
 * out at the story's end); anything else `#s1/<payload>?step=<step>` (left out at the end too), or
 * `#s2/…` when there is a picker machine or refused calls to carry.
 */
export function linkParts(state: LinkInput): LinkParts {
  const n = state.scenario.actions.length;
  const step = Math.max(0, Math.min(n, Math.trunc(state.step)));
  const sel: [string, string][] = state.selection ? [['sel', formatSelection(state.selection)]] : [];
  const story = state.story ? storyByName(state.story) : undefined;
  const refused = state.refused?.length ? state.refused.slice(-MAX_LINK_REFUSALS) : null;
  if (story && isStoryScenario(story, state.scenario) && !refused) {
    return { json: null, head: `#story/${story.name}${step === n ? '' : `@${step}`}${query(sel)}`, tail: '' };
  }
  const params: [string, string][] = step === n ? sel : [['step', String(step)], ...sel];
  if (!refused && !state.preset) return { json: scenarioJson(state.scenario), head: '#s1/', tail: query(params) };
  const { step: _omit, ...scenario } = state.scenario;
  void _omit;
  const payload = {
    scenario,
    ...(state.preset ? { preset: state.preset } : {}),
    ...(refused ? { refused: refused.map((r) => ({ at: r.atStep, action: r.action, errno: r.errno, ...(r.errnoName ? { errnoName: r.errnoName } : {}), message: r.message })) } : {}),
  };
  return { json: JSON.stringify(payload), head: '#s2/', tail: query(params) };
}

/** A link's hash from its parts and the compressed payload of its JSON. */
export function joinLink(parts: LinkParts, payload: string): string {
  return parts.json === null ? parts.head : `${parts.head}${payload}${parts.tail}`;
}

/** The hash for a state (see `linkParts`). */
export function encodeLink(state: LinkInput): string {
  const parts = linkParts(state);
  return joinLink(parts, parts.json === null ? '' : compressLinkJson(parts.json));
}

/** The full link for a page address (origin + path) and a state. */
export function shareUrl(base: string, state: LinkInput): string {
  return base.replace(/#.*$/, '') + encodeLink(state);
}

// ---- decoding --------------------------------------------------------------------------

const URI_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const URI_SAFE_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < URI_SAFE.length; i++) URI_SAFE_VALUE[URI_SAFE.charCodeAt(i)] = i;

export type Decompressed = { ok: true; text: string } | { ok: false; reason: 'damaged' | 'too-large' };

/**
 * lz-string's decompressFromEncodedURIComponent with an output limit: it stops as soon as the
 * text would grow past `maxChars`. Same algorithm and results as lz-string 1.5 (its LZW
 * decoder, ported; lz-string is © 2013 Pieroxy, WTFPL/MIT); `damaged` where lz-string returns
 * null or "" (a truncated or corrupted payload), and for characters outside its alphabet.
 */
export function decompressBounded(input: string, maxChars: number): Decompressed {
  const length = input.length;
  if (length === 0) return { ok: false, reason: 'damaged' };
  const values = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const c = input.charCodeAt(i);
    const v = c === 32 ? URI_SAFE_VALUE[43] : c < 128 ? URI_SAFE_VALUE[c] : -1; // ' ' stands for '+'
    if (v < 0) return { ok: false, reason: 'damaged' };
    values[i] = v;
  }
  // Bit reader: 6 bits a character, most significant first, read one bit at a time.
  let val = values[0];
  let position = 32;
  let index = 1;
  const read = (n: number): number => {
    let bits = 0;
    for (let power = 1, max = 1 << n; power !== max; power <<= 1) {
      const resb = val & position;
      position >>= 1;
      if (position === 0) {
        position = 32;
        val = index < length ? values[index] : 0;
        index++;
      }
      if (resb > 0) bits |= power;
    }
    return bits;
  };

  const dictionary: string[] = ['', '', ''];
  let enlargeIn = 4;
  let dictSize = 4;
  let numBits = 3;
  let total = 0;
  const result: string[] = [];

  let c: string;
  switch (read(2)) {
    case 0:
      c = String.fromCharCode(read(8));
      break;
    case 1:
      c = String.fromCharCode(read(16));
      break;
    default:
      return { ok: false, reason: 'damaged' }; // lz-string: "" (empty input)
  }
  dictionary[3] = c;
  let w = c;
  result.push(c);
  total = 1;
  for (;;) {
    if (index > length) return { ok: false, reason: 'damaged' };
    let code = read(numBits);
    if (code === 0 || code === 1) {
      dictionary[dictSize++] = String.fromCharCode(read(code === 0 ? 8 : 16));
      code = dictSize - 1;
      enlargeIn--;
    } else if (code === 2) {
      return { ok: true, text: result.join('') };
    }
    if (enlargeIn === 0) {
      enlargeIn = 1 << numBits;
      numBits++;
    }
    let entry: string;
    if (code < dictSize && dictionary[code]) entry = dictionary[code];
    else if (code === dictSize) entry = w + w.charAt(0);
    else return { ok: false, reason: 'damaged' };
    total += entry.length;
    if (total > maxChars) return { ok: false, reason: 'too-large' };
    result.push(entry);
    dictionary[dictSize++] = w + entry.charAt(0);
    enlargeIn--;
    w = entry;
    if (enlargeIn === 0) {
      enlargeIn = 1 << numBits;
      numBits++;
    }
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** Split `#a/b?x=1&y=2` into the path after '#' and its query parameters. */
function splitHash(hash: string): { path: string; params: Map<string, string> } {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = h.indexOf('?');
  const path = q < 0 ? h : h.slice(0, q);
  const params = new Map<string, string>();
  if (q >= 0) {
    for (const part of h.slice(q + 1).split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      params.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? '' : part.slice(eq + 1));
    }
  }
  return { path, params };
}

function parseStep(text: string, n: number, what: string): number | string {
  if (!/^\d{1,9}$/.test(text)) return `step: expected a whole number 0…${n}, got "${text.slice(0, 20)}"`;
  const k = Number(text);
  if (k > n) return `step ${k} is beyond the end: ${what} has ${n} step${n === 1 ? '' : 's'} (0…${n})`;
  return k;
}

/** Parse `irq:24`, `domain:VECTOR`, `device:nvme` (names percent-encoded). */
export function parseSelection(text: string): LinkSelection | string {
  const m = /^(irq|domain|device):(.{1,800})$/.exec(text);
  if (!m) return `sel: expected irq:N, domain:NAME or device:NAME, got "${text.slice(0, 40)}"`;
  if (m[1] === 'irq') {
    if (!/^\d{1,9}$/.test(m[2])) return `sel: expected an interrupt number after "irq:", got "${m[2].slice(0, 20)}"`;
    return { kind: 'irq', virq: Number(m[2]) };
  }
  let name: string;
  try {
    name = decodeURIComponent(m[2]);
  } catch {
    return `sel: the ${m[1]} name is not valid percent-encoding`;
  }
  if (!name || name.length > 256) return `sel: the ${m[1]} name must be 1…256 characters`;
  return { kind: m[1] as 'domain' | 'device', name };
}

/**
 * Read a location hash. `{ok: true, state: null}` when it holds no scenario (empty, or `#`);
 * `{ok: false, error}` with a sentence naming what is wrong otherwise. Never throws.
 */
export function decodeLink(hash: string): DecodeResult {
  if (typeof hash !== 'string') return { ok: false, error: 'link: expected text' };
  if (hash.length > MAX_LINK_CHARS + 2000) {
    return { ok: false, error: `link too long: ${fmt(hash.length)} characters, the limit is ${fmt(MAX_LINK_CHARS)} (not decompressed)` };
  }
  const { path, params } = splitHash(hash);
  if (path === '') return { ok: true, state: null };
  let selection: LinkSelection | null = null;
  const selText = params.get('sel');
  if (selText !== undefined) {
    const sel = parseSelection(selText);
    if (typeof sel === 'string') return { ok: false, error: sel };
    selection = sel;
  }

  const story = /^story\/([^@]*)(?:@(.*))?$/.exec(path);
  if (story) {
    const name = decodeURIComponentSafe(story[1]);
    const s = name === null ? undefined : storyByName(name);
    if (!s) {
      return { ok: false, error: `no story named "${(name ?? story[1]).slice(0, 60)}" (stories: ${STORIES.map((x) => x.name).join(', ')})` };
    }
    if (storyWaits(s)) return { ok: false, error: `the story "${s.name}" ${NEEDS_TEXT[s.needs!]}: this irqscope cannot play it yet` };
    const n = s.scenario.actions.length;
    let step = n;
    if (story[2] !== undefined) {
      const k = parseStep(story[2], n, `story "${s.name}"`);
      if (typeof k === 'string') return { ok: false, error: k };
      step = k;
    }
    return { ok: true, state: { scenario: s.scenario, step, selection, story: s.name } };
  }

  const versioned = /^s(\d{1,6})\/(.*)$/s.exec(path);
  if (!versioned) {
    return { ok: false, error: `not an irqscope link: the part after # should start with "s1/", "s${LINK_VERSION}/" or "story/", got "${path.slice(0, 24)}${path.length > 24 ? '…' : ''}"` };
  }
  const version = Number(versioned[1]);
  if (version > LINK_VERSION) {
    return { ok: false, error: `this link was made by a newer irqscope (link format s${version}); this one reads s1 and s${LINK_VERSION} links` };
  }
  if (version !== 1 && version !== 2) return { ok: false, error: `unknown link format s${version}; this irqscope reads s1 and s${LINK_VERSION} links` };
  const payload = versioned[2];
  if (payload.length > MAX_LINK_CHARS) {
    return { ok: false, error: `link too long: ${fmt(payload.length)} characters of scenario data, the limit is ${fmt(MAX_LINK_CHARS)} (not decompressed)` };
  }
  const d = decompressBounded(payload, MAX_LINK_JSON_CHARS);
  if (!d.ok) {
    return d.reason === 'too-large'
      ? { ok: false, error: `link too large: its scenario decompresses to more than ${fmt(MAX_LINK_JSON_CHARS)} characters (the limit); stopped there` }
      : { ok: false, error: 'the link is damaged or cut short: its scenario data does not decompress (was it copied whole?)' };
  }
  let data: unknown;
  try {
    data = JSON.parse(d.text);
  } catch {
    return { ok: false, error: 'the link is damaged or cut short: its scenario is not valid JSON (was it copied whole?)' };
  }
  let extra: { preset: string | null; refused: LinkRefusal[] } = { preset: null, refused: [] };
  let s2: { scenario: unknown; preset?: unknown; refused?: unknown } | null = null;
  if (version === 2) {
    if (!data || typeof data !== 'object' || Array.isArray(data) || !('scenario' in data)) {
      return { ok: false, error: 'link format s2: expected {"scenario": …, "preset"?: …, "refused"?: […]}' };
    }
    const unknown = Object.keys(data).filter((k) => k !== 'scenario' && k !== 'preset' && k !== 'refused');
    if (unknown.length) return { ok: false, error: `link format s2: unknown field "${unknown[0].slice(0, 40)}"` };
    s2 = data as { scenario: unknown; preset?: unknown; refused?: unknown };
    data = s2.scenario;
  }
  const v = validateScenario(data);
  if (!v.ok) return { ok: false, error: v.error };
  const scenario = v.scenario;
  if (s2) {
    const x = linkExtras(s2, scenario.actions.length);
    if (typeof x === 'string') return { ok: false, error: x };
    extra = x;
  }
  const n = scenario.actions.length;
  let step = scenario.step !== undefined ? scenario.step : n;
  if (step > n) return { ok: false, error: `step ${step} is beyond the end: the scenario has ${n} step${n === 1 ? '' : 's'} (0…${n})` };
  const stepText = params.get('step');
  if (stepText !== undefined) {
    const k = parseStep(stepText, n, 'the scenario');
    if (typeof k === 'string') return { ok: false, error: k };
    step = k;
  }
  const { step: _s, ...rest } = scenario;
  void _s;
  const state: LinkState = { scenario: rest, step, selection, story: null };
  if (version === 2) {
    state.preset = extra.preset;
    state.refused = extra.refused;
  }
  return { ok: true, state };
}

const ERRNO_NAME_RE = /^-E[A-Z0-9]{1,24}$/;

/** The picker machine and the refused calls of an s2 link, checked field by field. */
function linkExtras(d: { preset?: unknown; refused?: unknown }, n: number): { preset: string | null; refused: LinkRefusal[] } | string {
  let preset: string | null = null;
  if (d.preset !== undefined) {
    if (typeof d.preset !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(d.preset)) return 'preset: expected the id of a machine of the picker (a-z, 0-9, -)';
    preset = d.preset;
  }
  const refused: LinkRefusal[] = [];
  if (d.refused !== undefined) {
    if (!Array.isArray(d.refused)) return 'refused: expected a list of refused calls';
    if (d.refused.length > MAX_LINK_REFUSALS) return `refused: ${d.refused.length} refused calls, at most ${MAX_LINK_REFUSALS}`;
    for (let i = 0; i < d.refused.length; i++) {
      const r = d.refused[i] as Record<string, unknown> | null;
      const where = `refused[${i}]`;
      if (!r || typeof r !== 'object' || Array.isArray(r)) return `${where}: expected {at, action, errno, message}`;
      const bad = Object.keys(r).find((k) => !['at', 'action', 'errno', 'errnoName', 'message'].includes(k));
      if (bad) return `${where}: unknown field "${bad.slice(0, 40)}"`;
      if (typeof r.at !== 'number' || !Number.isInteger(r.at) || r.at < 0 || r.at > n) return `${where}.at: expected a step 0…${n}`;
      const a = validateAction(r.action);
      if (!a.ok) return `${where}.action: ${a.error}`;
      if (typeof r.errno !== 'number' || !Number.isInteger(r.errno) || r.errno > -1 || r.errno < -4095) return `${where}.errno: expected a negative errno (-1…-4095)`;
      if (r.errnoName !== undefined && (typeof r.errnoName !== 'string' || !ERRNO_NAME_RE.test(r.errnoName))) return `${where}.errnoName: expected a name like -ENOSPC`;
      if (typeof r.message !== 'string' || r.message.length > 4000 || UNSAFE_TEXT_RE.test(r.message.replace(/\n/g, ''))) return `${where}.message: expected text of at most 4,000 characters without control characters`;
      refused.push({ atStep: r.at, action: a.action, errno: r.errno, ...(r.errnoName !== undefined ? { errnoName: r.errnoName as string } : {}), message: r.message });
    }
  }
  return { preset, refused };
}

function decodeURIComponentSafe(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

