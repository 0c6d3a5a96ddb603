// Links: what is written, what reopens, and what a damaged link says.

import fc from 'fast-check';
import * as LZ from 'lz-string';
import { describe, expect, it } from 'vitest';
import { STORIES, storyByName } from './stories';
import type { Scenario } from './types';
import {
  MAX_LINK_CHARS, MAX_LINK_JSON_CHARS, decodeLink, decompressBounded, encodeLink, isStoryScenario, joinLink, knownPayload,
  linkParts, parseSelection, rememberPayload,
} from './url';

const LZString: typeof LZ = (LZ as unknown as { default?: typeof LZ }).default ?? LZ;

const scenario: Scenario = {
  version: 1,
  machine: { arch: 'x86', cpus: 4, remap: 'intel-ir', msiModel: 'v2', devices: [{ bdf: '0000:3d:00.0', name: 'nvme', msix: { tableSize: 65 } }] },
  actions: [
    { op: 'pci_alloc_irq_vectors', dev: '0000:3d:00.0', min: 1, max: 4, flags: ['MSIX', 'AFFINITY'] },
    { op: 'request_irq', dev: '0000:3d:00.0', index: 1, name: 'nvme0q1' },
    { op: 'raise', dev: '0000:3d:00.0', index: 1 },
  ],
};

function decoded(hash: string) {
  const r = decodeLink(hash);
  if (!r.ok) throw new Error(`expected a link, got: ${r.error}`);
  if (!r.state) throw new Error('expected a scenario');
  return r.state;
}

function error(hash: string): string {
  const r = decodeLink(hash);
  if (r.ok) throw new Error(`expected an error for ${hash.slice(0, 40)}`);
  return r.error;
}

describe('a link compressed elsewhere (the page compresses long links in a worker)', () => {
  it('its parts joined with lz-string of their JSON are the link encodeLink writes, for s1, s2 and story links', () => {
    const story = STORIES[0];
    const states = [
      { scenario, step: 1, selection: { kind: 'irq' as const, virq: 25 } },
      { scenario, step: 3, preset: 'x86-4-ir', refused: [{ atStep: 1, action: scenario.actions[0], errno: -22, message: 'bad' }] },
      { scenario: story.scenario, step: 2, story: story.name },
    ];
    for (const st of states) {
      const parts = linkParts(st);
      const elsewhere = parts.json === null ? '' : LZString.compressToEncodedURIComponent(parts.json);
      expect(joinLink(parts, elsewhere)).toBe(encodeLink(st));
      expect(decoded(joinLink(parts, elsewhere)).step).toBe(st.step);
    }
  });

  it('a remembered payload is used as it is: stepping does not compress again', () => {
    const s: Scenario = { ...scenario, actions: [...scenario.actions, { op: 'raise', dev: '0000:3d:00.0', index: 1 }] };
    const parts = linkParts({ scenario: s, step: 1 });
    expect(knownPayload(parts.json!)).toBeUndefined();
    rememberPayload(parts.json!, 'REMEMBERED');
    // The same scenario at another step has the same JSON: its link carries the remembered payload.
    expect(encodeLink({ scenario: s, step: 2 })).toBe('#s1/REMEMBERED?step=2');
  });
});

describe('encodeLink / decodeLink', () => {
  it('round-trips a scenario, its step and the selection in #s1/…', () => {
    const hash = encodeLink({ scenario, step: 2, selection: { kind: 'irq', virq: 25 } });
    expect(hash).toMatch(/^#s1\/[A-Za-z0-9+\-$]+\?step=2&sel=irq:25$/);
    expect(decoded(hash)).toEqual({ scenario, step: 2, selection: { kind: 'irq', virq: 25 }, story: null });
  });

  it('leaves the step out at the end, and keeps domain names with odd characters', () => {
    const hash = encodeLink({ scenario, step: 3, selection: { kind: 'domain', name: 'IR-PCI-MSIX-0000:3d:00.0-12' } });
    expect(hash).not.toContain('step=');
    const s = decoded(hash);
    expect(s.step).toBe(3);
    expect(s.selection).toEqual({ kind: 'domain', name: 'IR-PCI-MSIX-0000:3d:00.0-12' });
  });

  it('only the ?step= part changes while stepping', () => {
    const a = encodeLink({ scenario, step: 0 });
    const b = encodeLink({ scenario, step: 1 });
    expect(a.replace(/\?.*$/, '')).toBe(b.replace(/\?.*$/, ''));
  });

  it('gives an unmodified story its short #story/ link, and a modified one #s1/', () => {
    const story = storyByName('dynamic-msix')!;
    expect(encodeLink({ scenario: story.scenario, step: 4, story: story.name })).toBe('#story/dynamic-msix@4');
    expect(encodeLink({ scenario: story.scenario, step: story.scenario.actions.length, story: story.name })).toBe('#story/dynamic-msix');
    expect(encodeLink({ scenario: { ...story.scenario }, step: 4, story: story.name, selection: { kind: 'device', name: 'nvme' } })).toBe(
      '#story/dynamic-msix@4?sel=device:nvme',
    );
    const edited = { ...story.scenario, actions: story.scenario.actions.slice(0, 3) };
    expect(isStoryScenario(story, edited)).toBe(false);
    expect(encodeLink({ scenario: edited, step: 3, story: story.name })).toMatch(/^#s1\//);
  });

  it('opens #story/<name>@<step> at that step', () => {
    const s = decoded('#story/nvme-noir@8');
    expect(s.story).toBe('nvme-noir');
    expect(s.step).toBe(8);
    expect(s.scenario).toBe(storyByName('nvme-noir')!.scenario);
    expect(decoded('#story/nvme-noir').step).toBe(storyByName('nvme-noir')!.scenario.actions.length);
  });

  it('every story round-trips through both link forms', () => {
    for (const story of STORIES) {
      const n = story.scenario.actions.length;
      for (const step of [0, Math.min(3, n), n]) {
        expect(decoded(encodeLink({ scenario: story.scenario, step, story: story.name }))).toMatchObject({ step, story: story.name });
        const s1 = decoded(encodeLink({ scenario: story.scenario, step }));
        expect(s1.scenario).toEqual(story.scenario);
        expect(s1.step).toBe(step);
      }
    }
  });

  it('reads no scenario from an empty hash', () => {
    expect(decodeLink('')).toEqual({ ok: true, state: null });
    expect(decodeLink('#')).toEqual({ ok: true, state: null });
  });
});

describe('links that are wrong say what is wrong', () => {
  const good = encodeLink({ scenario, step: 1 });

  it('garbage', () => {
    expect(error('#hello')).toMatch(/not an irqscope link.*"s1\/", "s2\/" or "story\/"/);
    expect(error('#s1/%%%%')).toMatch(/damaged or cut short/);
    expect(error('#s1/AAAAAAAAAAAAAAAA')).toMatch(/damaged or cut short/);
  });

  it('a truncated link', () => {
    const payload = good.slice(4).replace(/\?.*$/, '');
    for (const cut of [payload.length - 3, Math.floor(payload.length / 2), 5]) {
      expect(error(`#s1/${payload.slice(0, cut)}`)).toMatch(/damaged or cut short/);
    }
  });

  it('an oversized link is refused before it is decompressed', () => {
    const big = `#s1/${'A'.repeat(MAX_LINK_CHARS + 1)}`;
    expect(error(big)).toMatch(/link too long: 200,001 characters of scenario data, the limit is 200,000 \(not decompressed\)/);
    expect(error(`#s1/${'A'.repeat(MAX_LINK_CHARS + 5000)}`)).toMatch(/link too long/);
  });

  it('a small link that would decompress past the limit stops at the limit', () => {
    const bomb = LZString.compressToEncodedURIComponent('a'.repeat(MAX_LINK_JSON_CHARS + 1));
    expect(bomb.length).toBeLessThan(4000);
    expect(error(`#s1/${bomb}`)).toMatch(/decompresses to more than 1,048,576 characters/);
  }, 30_000);

  it('an unknown older link format (#s0/…) is refused even when its payload is a valid scenario', () => {
    const payload = LZString.compressToEncodedURIComponent(JSON.stringify(scenario));
    expect(decodeLink(`#s1/${payload}`).ok).toBe(true);
    expect(error(`#s0/${payload}`)).toBe('unknown link format s0; this irqscope reads s1 and s2 links');
    expect(error(`#s00/${payload}`)).toBe('unknown link format s0; this irqscope reads s1 and s2 links');
  });

  it('a newer link format or scenario version', () => {
    expect(error('#s3/N4IgLgngDgpiBcIBOB7A')).toMatch(/newer irqscope \(link format s3\); this one reads s1 and s2 links/);
    const v2 = `#s1/${LZString.compressToEncodedURIComponent(JSON.stringify({ ...scenario, version: 2 }))}`;
    expect(error(v2)).toMatch(/^version: this scenario was made by a newer irqscope \(format version 2\)/);
  });

  it('an invalid scenario names the field and the step', () => {
    const bad = { ...scenario, actions: [scenario.actions[0], { op: 'request_irq', dev: '0000:3d:00.0', index: '1', name: 'x' }] };
    expect(error(`#s1/${LZString.compressToEncodedURIComponent(JSON.stringify(bad))}`)).toMatch(/^actions\[1\]\.index: expected a number, got the string "1"/);
    const json = `#s1/${LZString.compressToEncodedURIComponent('{"version":1,')}`;
    expect(error(json)).toMatch(/not valid JSON/);
  });

  it('a step or a selection out of range', () => {
    expect(error(`${good.replace(/\?.*$/, '')}?step=9`)).toMatch(/step 9 is beyond the end: the scenario has 3 steps \(0…3\)/);
    expect(error(`${good.replace(/\?.*$/, '')}?step=-1`)).toMatch(/step: expected a whole number 0…3/);
    expect(error('#story/nvme-ir@99')).toMatch(/step 99 is beyond the end: story "nvme-ir" has 10 steps/);
    expect(error('#story/no-such-story')).toMatch(/no story named "no-such-story" \(stories: nvme-ir, /);
    expect(error('#story/nvme-ir?sel=cpu:3')).toMatch(/sel: expected irq:N, domain:NAME or device:NAME/);
    expect(parseSelection('irq:x')).toMatch(/interrupt number/);
  });
});

describe('s2 links: the picker machine and the refused calls', () => {
  const refused = [
    { atStep: 1, action: { op: 'pci_msix_alloc_irq_at' as const, dev: '0000:3d:00.0', index: 99 }, errno: -34, errnoName: '-ERANGE', message: 'index 99 is beyond hwsize 65' },
    { atStep: 3, action: { op: 'cpu_down' as const, cpu: 7 }, errno: -22, message: 'no CPU 7' },
  ];

  it('carry the refused calls (step, call, errno, sentence) and the machine, and reopen them', () => {
    const hash = encodeLink({ scenario, step: 2, selection: { kind: 'irq', virq: 25 }, preset: 'x86-4-ir', refused });
    expect(hash).toMatch(/^#s2\/[A-Za-z0-9+\-$]+\?step=2&sel=irq:25$/);
    expect(decoded(hash)).toEqual({ scenario, step: 2, selection: { kind: 'irq', virq: 25 }, story: null, preset: 'x86-4-ir', refused });
  });

  it('a link with neither is still written as s1, and s1 links read as before (no machine, no refusals)', () => {
    const hash = encodeLink({ scenario, step: 1, preset: null, refused: [] });
    expect(hash).toMatch(/^#s1\//);
    const s = decoded(hash);
    expect(s.preset).toBeUndefined();
    expect(s.refused).toBeUndefined();
    // A link written before s2 existed (the scenario JSON itself).
    expect(decoded(`#s1/${LZString.compressToEncodedURIComponent(JSON.stringify(scenario))}`).scenario).toEqual(scenario);
  });

  it('a story with refused calls is no plain story link: it travels as s2 and comes back as the same scenario', () => {
    const story = storyByName('dynamic-msix')!;
    const hash = encodeLink({ scenario: story.scenario, step: 2, story: story.name, refused: [{ ...refused[1], atStep: 2 }] });
    expect(hash).toMatch(/^#s2\//);
    expect(isStoryScenario(story, decoded(hash).scenario)).toBe(true);
  });

  it('refuses what an s2 payload must not hold, saying which field', () => {
    const link = (payload: unknown) => `#s2/${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;
    const r0 = { at: 1, action: refused[0].action, errno: -34, message: 'x' };
    expect(error(link(scenario))).toMatch(/^link format s2: expected \{"scenario"/);
    expect(error(link({ scenario, extra: 1 }))).toBe('link format s2: unknown field "extra"');
    expect(error(link({ scenario, preset: '<b>' }))).toMatch(/^preset: expected the id of a machine/);
    expect(error(link({ scenario, refused: [{ ...r0, at: 4 }] }))).toBe('refused[0].at: expected a step 0…3');
    expect(error(link({ scenario, refused: [{ ...r0, errno: 5 }] }))).toMatch(/^refused\[0\]\.errno: expected a negative errno/);
    expect(error(link({ scenario, refused: [{ ...r0, errnoName: 'ENOSPC' }] }))).toMatch(/^refused\[0\]\.errnoName/);
    expect(error(link({ scenario, refused: [{ ...r0, message: '\u001b[2J' }] }))).toMatch(/^refused\[0\]\.message/);
    expect(error(link({ scenario, refused: [{ ...r0, action: { op: 'rm_rf' } }] }))).toMatch(/^refused\[0\]\.action: /);
    expect(error(link({ scenario, refused: Array.from({ length: 257 }, () => r0) }))).toMatch(/^refused: 257 refused calls, at most 256/);
    expect(error(link({ scenario: { ...scenario, actions: 'x' } }))).toMatch(/^actions/);
  });
});

describe('decompressBounded', () => {
  it('gives what lz-string gives for everything lz-string compressed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
        const c = LZString.compressToEncodedURIComponent(text);
        const d = decompressBounded(c, 1 << 20);
        if (text === '') expect(d.ok).toBe(false); // lz-string compresses "" to a code it decodes as ""
        else expect(d).toEqual({ ok: true, text });
      }),
      { numRuns: 300 },
    );
  });

  it('never decodes damaged input differently from lz-string', () => {
    // Where lz-string returns null or "", throws, or decodes a stream that starts with the
    // undefined code 3 into junk, this one says "damaged"; whatever it does decode, lz-string
    // decodes the same way.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$'.split('');
    let decodedSome = 0;
    let refusedSome = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 60 }), (chars) => {
        const s = chars.join('');
        let lz: string | null;
        try {
          lz = LZString.decompressFromEncodedURIComponent(s);
        } catch {
          lz = null;
        }
        const d = decompressBounded(s, 1 << 20);
        if (d.ok) {
          decodedSome++;
          expect(d.text).toBe(lz);
        } else if (lz) refusedSome++;
      }),
      { numRuns: 500 },
    );
    // The property says something only if some inputs do decode (a decoder that always
    // says "damaged" would pass it): about one random stream in ten is valid LZW to lz-string.
    expect(decodedSome).toBeGreaterThan(20);
    // Refused where lz-string gave text: only streams starting with the undefined code 3.
    expect(refusedSome).toBeLessThan(decodedSome);
  });

  it('stops at the limit', () => {
    const c = LZString.compressToEncodedURIComponent('x'.repeat(5000));
    expect(decompressBounded(c, 4999)).toEqual({ ok: false, reason: 'too-large' });
    expect(decompressBounded(c, 5000)).toEqual({ ok: true, text: 'x'.repeat(5000) });
  });
});
