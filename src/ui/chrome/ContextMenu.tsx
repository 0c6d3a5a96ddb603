// The context menu: right click (or the context-menu key, or Shift+F10) on a domain of the
// tree, an interrupt row (/proc/interrupts, a device's descriptors) or a CPU row of the vector
// map offers the catalog's commands that apply there. It selects its target first, so the
// commands act on it exactly as they do from the toolbar.

import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { create } from 'zustand';
import { COMMANDS, keyLabel, runCommand, type UiCommand } from '../actionsCatalog';
import { useStore, type Store } from '../store';
import { select } from '../store/commands';
import { kbd } from './styles';

export type MenuTarget =
  | { kind: 'irq'; virq: number }
  | { kind: 'domain'; name: string }
  | { kind: 'cpu'; cpu: number; virq?: number };

export interface MenuItem {
  id: string;
  label: string;
  key?: string;
  title?: string;
  disabled: boolean;
  separatorBefore?: boolean;
  run?: () => void;
}

interface MenuState {
  x: number;
  y: number;
  title: string;
  items: MenuItem[];
  returnFocus: HTMLElement | SVGElement | null;
  openedAt: number;
}

export const useMenu = create<{ menu: MenuState | null }>()(() => ({ menu: null }));

const IRQ_COMMANDS = ['request', 'free_irq', 'mask', 'unmask', 'disable_irq', 'enable_irq', 'affinity'];
const DEVICE_COMMANDS = ['alloc', 'allocAt', 'freeVectors', 'raise'];

function fromCatalog(ids: readonly string[], s: Store): MenuItem[] {
  return ids
    .map((id) => COMMANDS.find((c) => c.id === id))
    .filter((c): c is UiCommand => !!c)
    .map((c) => ({
      id: c.id,
      label: c.label,
      key: keyLabel(c.key),
      title: c.title,
      disabled: !c.enabled(s),
      run: () => runCommand(c.id),
    }));
}

function irqItems(virq: number): { title: string; items: MenuItem[] } {
  void select({ kind: 'irq', virq }); // selects now; the inspector follows
  const s = useStore.getState();
  const irq = s.snapshot?.view.irqs.find((i) => i.virq === virq);
  const items = fromCatalog(IRQ_COMMANDS, s);
  if (irq?.msi) {
    const raise = fromCatalog(['raise'], s)[0];
    items.unshift({ ...raise, label: `Raise ${irq.msi.dev} #${irq.msi.index}…` });
  }
  const name = irq?.actions.length ? ` · ${irq.actions.join(', ')}` : '';
  return { title: `irq ${virq}${name}`, items };
}

/** The menu for a target (selecting it first). */
export function menuFor(target: MenuTarget): { title: string; items: MenuItem[] } {
  if (target.kind === 'irq') return irqItems(target.virq);
  if (target.kind === 'domain') {
    void select({ kind: 'domain', name: target.name });
    const s = useStore.getState();
    const d = s.snapshot?.view.domains.find((x) => x.name === target.name);
    if (d?.dev) return { title: `${target.name} · device ${d.dev}`, items: fromCatalog(DEVICE_COMMANDS, s) };
    return {
      title: target.name,
      items: [{ id: 'none', label: 'No kernel call acts on this domain by itself', disabled: true, title: 'Its interrupts are allocated through the device domains above it' }],
    };
  }
  const s0 = useStore.getState();
  s0.selectCpu(target.cpu);
  const cpu = s0.snapshot?.view.cpus.find((c) => c.cpu === target.cpu);
  const toggle = fromCatalog(['cpuToggle'], useStore.getState())[0];
  const items: MenuItem[] = [{ ...toggle, label: cpu?.online === false ? `cpu_up ${target.cpu}` : `cpu_down ${target.cpu}` }];
  let title = `CPU${target.cpu}${cpu?.online === false ? ' (offline)' : ''}`;
  if (target.virq !== undefined) {
    const irq = irqItems(target.virq);
    items.push(...irq.items.map((it, i) => (i === 0 ? { ...it, separatorBefore: true } : it)));
    title += ` · ${irq.title}`;
  }
  return { title, items };
}

export function openMenu(target: MenuTarget, at: { x: number; y: number }, from: Element | null): void {
  const { title, items } = menuFor(target);
  useMenu.setState({
    menu: { x: at.x, y: at.y, title, items, returnFocus: from instanceof HTMLElement || from instanceof SVGElement ? from : null, openedAt: performance.now() },
  });
}

export function closeMenu(restoreFocus = true): void {
  const m = useMenu.getState().menu;
  if (!m) return;
  useMenu.setState({ menu: null });
  if (restoreFocus) m.returnFocus?.focus();
}

/** The context-menu key or Shift+F10. */
export function isMenuKey(e: KeyboardEvent | globalThis.KeyboardEvent): boolean {
  return e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10');
}

/** Handlers that give an element a context menu for `target` (mouse and keyboard). */
export function contextMenuHandlers(target: () => MenuTarget | null) {
  return {
    onContextMenu: (e: MouseEvent<Element>) => {
      const t = target();
      if (!t) return;
      e.preventDefault();
      e.stopPropagation();
      const m = useMenu.getState().menu;
      // The keyboard already opened it (some platforms follow the key with a contextmenu event).
      if (m && performance.now() - m.openedAt < 400) return;
      const keyboard = e.clientX === 0 && e.clientY === 0;
      const r = e.currentTarget.getBoundingClientRect();
      openMenu(t, keyboard ? { x: r.left + 8, y: r.bottom } : { x: e.clientX, y: e.clientY }, e.currentTarget);
    },
    onKeyDown: (e: KeyboardEvent<Element>) => {
      if (!isMenuKey(e)) return false;
      const t = target();
      if (!t) return false;
      e.preventDefault();
      e.stopPropagation();
      const r = e.currentTarget.getBoundingClientRect();
      openMenu(t, { x: r.left + 8, y: Math.min(r.bottom, window.innerHeight - 8) }, e.currentTarget);
      return true;
    },
  };
}

export function ContextMenuHost() {
  const menu = useMenu((s) => s.menu);
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ x: number; y: number } | null>(null);

  // Keep the menu inside the window; focus its first usable item.
  useLayoutEffect(() => {
    if (!menu || !ref.current) {
      setPos(null);
      return;
    }
    const r = ref.current.getBoundingClientRect();
    setPos({
      x: Math.max(4, Math.min(menu.x, window.innerWidth - r.width - 4)),
      y: Math.max(4, menu.y + r.height > window.innerHeight - 4 ? menu.y - r.height : menu.y),
    });
    const first = ref.current.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? ref.current.querySelector<HTMLElement>('[role="menuitem"]');
    first?.focus();
  }, [menu]);

  useEffect(() => {
    if (!menu) return;
    const away = (e: Event) => {
      if (ref.current && e.target instanceof Node && ref.current.contains(e.target)) return;
      closeMenu(false);
    };
    const close = () => closeMenu(false);
    document.addEventListener('pointerdown', away, true);
    window.addEventListener('blur', close);
    window.addEventListener('resize', close);
    return () => {
      document.removeEventListener('pointerdown', away, true);
      window.removeEventListener('blur', close);
      window.removeEventListener('resize', close);
    };
  }, [menu]);

  if (!menu) return null;

  const run = (it: MenuItem) => {
    if (it.disabled || !it.run) return;
    closeMenu(true);
    it.run();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    e.stopPropagation(); // the app's single-key shortcuts stay quiet while the menu is open
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const usable = items.filter((x) => x.getAttribute('aria-disabled') !== 'true');
    const at = usable.indexOf(document.activeElement as HTMLElement);
    const go = (i: number) => usable[(i + usable.length) % usable.length]?.focus();
    if (e.key === 'ArrowDown') go(at + 1);
    else if (e.key === 'ArrowUp') go(at < 0 ? -1 : at - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(-1);
    else if (e.key === 'Escape' || isMenuKey(e)) closeMenu(true);
    else if (e.key === 'Tab') {
      closeMenu(true);
    } else if (e.key === 'Enter' || e.key === ' ') {
      const id = (document.activeElement as HTMLElement | null)?.dataset.item;
      const it = menu.items.find((x) => x.id === id);
      if (it) run(it);
    } else return;
    e.preventDefault();
  };

  return (
    <div
      ref={ref}
      role="menu"
      aria-label={menu.title}
      data-testid="context-menu"
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
      // Placed before the first paint (useLayoutEffect), so it never shows at the wrong spot.
      style={{ left: pos?.x ?? menu.x, top: pos?.y ?? menu.y }}
      className="fixed z-50 min-w-52 max-w-96 rounded-md border border-slate-300 bg-white py-1 text-xs text-slate-800 shadow-xl dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
    >
      <p className="truncate border-b border-slate-200 px-3 pb-1 pt-0.5 font-mono text-[10.5px] font-semibold text-slate-500 dark:border-slate-700 dark:text-slate-400">{menu.title}</p>
      {menu.items.map((it) => (
        <div key={it.id}>
          {it.separatorBefore && <div role="separator" className="my-1 border-t border-slate-200 dark:border-slate-700" />}
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            data-item={it.id}
            aria-disabled={it.disabled || undefined}
            aria-keyshortcuts={it.key === 'Shift+F' ? 'Shift+F' : it.key}
            title={it.title}
            onClick={() => run(it)}
            className={`flex w-full items-center gap-3 px-3 py-1 text-left outline-none focus:bg-sky-100 dark:focus:bg-sky-900 ${it.disabled ? 'cursor-default text-slate-400 dark:text-slate-500' : 'hover:bg-slate-100 dark:hover:bg-slate-700'}`}
          >
            <span className="flex-1 font-mono">{it.label}</span>
            {it.key && <kbd aria-hidden="true" className={kbd}>{it.key}</kbd>}
          </button>
        </div>
      ))}
    </div>
  );
}
