// Light/dark theme: follows the system until the user picks one, then remembers it.

import { useEffect } from 'react';
import { useStore } from '../store';

export function useThemeClass(): void {
  const theme = useStore((s) => s.theme);
  const chosen = useStore((s) => s.themeChosen);

  useEffect(() => {
    document.documentElement.classList.toggle('dark', theme === 'dark');
    document.documentElement.style.colorScheme = theme;
  }, [theme]);

  useEffect(() => {
    if (chosen || typeof matchMedia !== 'function') return;
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const on = () => useStore.setState({ theme: mq.matches ? 'dark' : 'light' });
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [chosen]);
}

export function toggleTheme(): void {
  const next = useStore.getState().theme === 'dark' ? 'light' : 'dark';
  try {
    localStorage.setItem('irqscope.theme', next);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  useStore.setState({ theme: next, themeChosen: true });
}
