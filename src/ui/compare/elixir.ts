// Links to kernel source at the machine's kernel version (Bootlin Elixir). The tag comes from the
// engine (the profile's elixirTag) through the worker; until it answers, the default kernel's.

import { useCompare } from './store';

/** Elixir's identifier search at a tag; null when `fn` is not a plain C identifier. */
export function elixirIdentUrl(fn: string, tag: string): string | null {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(fn) ? `https://elixir.bootlin.com/linux/${encodeURIComponent(tag)}/A/ident/${encodeURIComponent(fn)}` : null;
}

/** The Elixir tag of the shown machine's kernel ("v7.2"). */
export function useElixirTag(): string {
  return useCompare((s) => s.elixirTag);
}
