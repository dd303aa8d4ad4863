/**
 * Whether to color, decided once from the environment: --no-color, then NO_COLOR (no-color.org),
 * then FORCE_COLOR (as chalk and Node understand it), then whether stdout is a terminal.
 */
export type ColorLevel = 0 | 1 | 2 | 3;

export function colorLevelFor(opts: {
  noColorFlag: boolean;
  stdoutIsTTY: boolean;
  vars: Readonly<Record<string, string | undefined>>;
}): ColorLevel {
  const { vars } = opts;
  if (opts.noColorFlag) return 0;
  if (vars.NO_COLOR !== undefined && vars.NO_COLOR !== '') return 0;
  const force = vars.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force.toLowerCase() === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (!opts.stdoutIsTTY || vars.TERM === 'dumb') return 0;
  if (vars.COLORTERM === 'truecolor' || vars.COLORTERM === '24bit') return 3;
  if (vars.TERM?.includes('256')) return 2;
  return 1;
}
