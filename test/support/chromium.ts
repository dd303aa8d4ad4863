/**
 * Headless Chromium for tests of what mailwire renders as HTML: the DOM the browser built from a page
 * (--dump-dom), a screenshot (--screenshot) and a print (--print-to-pdf). Debian's `chromium` package;
 * each run gets a throwaway profile (--user-data-dir) and, as root (CI), --no-sandbox, which Chromium
 * needs to start at all there. A run that hangs is killed with its whole process group.
 *
 * describeChromium() follows describeWithServer (real-server.ts): without Chromium a block is skipped
 * loudly on a workstation and fails under CI.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeWithServer, type Availability } from './real-server.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const INSTALL_HINT = 'apt-get install chromium (Debian; .ci/run installs it)';
/** Generous: the test machines are shared and slow; a healthy run takes a few seconds. */
const RUN_TIMEOUT_MS = 150_000;

function chromiumPath(): string | null {
  const fromEnv = process.env['MAILWIRE_CHROMIUM'];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

function chromiumAvailability(): Availability {
  const path = chromiumPath();
  const fromEnv = process.env['MAILWIRE_CHROMIUM'];
  if (path === null && fromEnv) return { available: false, reason: `MAILWIRE_CHROMIUM names ${fromEnv}, which does not exist` };
  if (path === null) return { available: false, reason: `no Chromium at ${CANDIDATES.join(' or ')} (MAILWIRE_CHROMIUM may name another)` };
  try {
    execFileSync(path, ['--version'], { stdio: 'pipe', timeout: 60_000 });
  } catch (error) {
    return { available: false, reason: `${path} --version failed: ${(error as Error).message.split('\n')[0]}` };
  }
  return { available: true };
}

export interface ChromiumRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Chromium {
  path: string;
  /** The DOM Chromium built from the page, serialized (--dump-dom); laid out in a window of the size given, if one is. */
  dumpDom(htmlFile: string, window?: { width: number; height: number }): Promise<string>;
  /** A PNG of the page at the window size (--screenshot). */
  screenshot(htmlFile: string, width: number, height: number): Promise<Buffer>;
  /** The page printed to PDF (--print-to-pdf), as the print dialog would on A4/Letter. */
  printToPdf(htmlFile: string): Promise<Buffer>;
  stop(): Promise<void>;
}

/** One headless run with a fresh profile; rejects on a non-zero exit or a hang (killed). */
function runChromium(path: string, args: readonly string[]): Promise<ChromiumRun> {
  const profile = mkdtempSync(join(tmpdir(), 'mailwire-chromium-'));
  const flags = [
    '--headless',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-extensions',
    '--disable-background-networking',
    '--mute-audio',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(path, flags, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, RUN_TIMEOUT_MS);
    const finish = (code: number | null) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      const run = { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (timedOut) reject(new Error(`chromium ${args.join(' ')}: killed after ${RUN_TIMEOUT_MS / 1000} s\n${run.stderr.slice(-2000)}`));
      else if (code !== 0) reject(new Error(`chromium ${args.join(' ')}: exit ${code}\n${run.stderr.slice(-2000)}`));
      else resolve(run);
    };
    child.on('error', (error) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      reject(error);
    });
    child.on('close', finish);
  });
}

async function startChromium(): Promise<Chromium> {
  const path = chromiumPath() as string;
  const work = mkdtempSync(join(tmpdir(), 'mailwire-chromium-out-'));
  let n = 0;
  const url = (file: string) => pathToFileURL(file).href;
  return {
    path,
    dumpDom: async (file, window) => (await runChromium(path, [...(window ? [`--window-size=${window.width},${window.height}`] : []), '--dump-dom', url(file)])).stdout,
    screenshot: async (file, width, height) => {
      const png = join(work, `shot-${++n}.png`);
      await runChromium(path, [`--window-size=${width},${height}`, `--screenshot=${png}`, url(file)]);
      return readFileSync(png);
    },
    printToPdf: async (file) => {
      const pdf = join(work, `print-${++n}.pdf`);
      await runChromium(path, ['--no-pdf-header-footer', `--print-to-pdf=${pdf}`, url(file)]);
      return readFileSync(pdf);
    },
    stop: async () => rmSync(work, { recursive: true, force: true }),
  };
}

/** A describe block with headless Chromium; skipped (loudly) without it, failing under CI. */
export function describeChromium(name: string, body: (chromium: () => Chromium) => void): void {
  describeWithServer({ name: 'Chromium', availability: chromiumAvailability, installHint: INSTALL_HINT, start: startChromium }, name, body);
}
