// Debian's Chromium (`chromium`, installed by .ci/run) driven by playwright-core, which never downloads a browser:
// the one launch every browser test of the console and the portal uses.
import { chromium, type Browser } from 'playwright-core';

/** The Debian package's binary. */
export const CHROMIUM = '/usr/bin/chromium';

/** Starts a headless Chromium that stays offline (no background networking, component updates or sync). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
}
