// What both Playwright configs share: Debian's chromium (browsers cannot be downloaded here)
// with the flags that keep it off the network, and `vite preview` serving the production build.

import type { PlaywrightTestConfig } from '@playwright/test';

export const chromiumLaunch = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

export function previewServer(port: number): PlaywrightTestConfig['webServer'] {
  return {
    command: `vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
  };
}
