/**
 * The palette: roles to chalk styles. The only place that knows colors. A styler is built for one color
 * level (decided by the caller from Env: TTY, NO_COLOR, FORCE_COLOR, --no-color); it never looks at the
 * process, and never uses chalk's global instance, whose level is guessed from the process.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { plainStyle, type Styler } from './plain-style.js';
import type { Role } from './roles.js';

export type ColorLevel = 0 | 1 | 2 | 3;

/** One style per role; a missing role does not compile. `null` leaves the text as it is. */
function palette(c: ChalkInstance): Readonly<Record<Role, ChalkInstance | null>> {
  return {
    'prefix-client': c.blueBright.bold,
    'prefix-server': c.gray,
    tag: c.cyan,
    untagged: c.dim,
    continuation: c.blue.bold,
    'status-ok': c.green.bold,
    'status-no': c.red.bold,
    'status-bad': c.magenta.bold,
    'status-bye': c.yellow.bold,
    'status-preauth': c.green.bold,
    'response-code': c.yellow,
    'data-name': c.bold,
    command: c.bold,
    'literal-marker': c.cyan.dim,
    literal: c.gray,
    'pop3-ok': c.green.bold,
    'pop3-err': c.red.bold,
    'pop3-body': c.gray,
    'pop3-terminator': c.dim,
    secret: c.inverse,
    annotation: c.dim.italic,
    // Read from a projector: plain text in a calm color, not dimmed.
    explanation: c.greenBright,
    'explanation-rfc': c.green.dim,
    state: null,
    'state-current': c.cyan.bold,
    'state-move': c.yellow,
    'notice-info': c.dim,
    'notice-warning': c.yellow,
    'notice-error': c.red.bold,
    sasl: c.magenta,
    tls: c.cyan,
    prompt: c.bold,
    'prompt-tls': c.green,
    'prompt-insecure': c.yellow.bold,
    'prompt-state': c.cyan,
    'prompt-tag': c.dim,
    hint: c.gray,
    text: null,
  };
}

/**
 * Returns a function that turns spans into text for a terminal at the given color level. Level 0 gives
 * the plain text. Span texts must already be escaped: styling adds the only escape sequences.
 */
export function makeStyler(level: ColorLevel): Styler {
  if (level === 0) return plainStyle;
  const styles = palette(new Chalk({ level }));
  return (spans) => {
    let out = '';
    for (const span of spans) {
      const style = styles[span.role];
      out += style === null || span.text === '' ? span.text : style(span.text);
    }
    return out;
  };
}
