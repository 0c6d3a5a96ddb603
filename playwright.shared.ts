// What both Playwright configs share: Debian's chromium (browsers cannot be downloaded here)
// with the flags that keep it off the network, and `vite preview` serving the production build.

import type { PlaywrightTestConfig } from '@playwright/test';

export const chromiumLaunch = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

/** E2E_DIST serves another build folder than dist/ (several builds side by side). */
export function previewServer(port: number): PlaywrightTestConfig['webServer'] {
  const outDir = process.env.E2E_DIST ? ` --outDir ${process.env.E2E_DIST}` : '';
  return {
    command: `vite preview --host 127.0.0.1 --port ${port} --strictPort${outDir}`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
  };
}
