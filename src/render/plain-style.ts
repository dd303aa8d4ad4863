/**
 * Styling without colors: spans to their text. Apart from the palette (theme.ts) so that a run whose
 * output has no colors (a pipe, NO_COLOR, --no-color) never loads chalk, a fixed cost at start-up.
 */
import type { Span } from './roles.js';

/** Turns spans into text for a terminal or a file; theme.ts's makeStyler gives one per color level. */
export type Styler = (spans: readonly Span[]) => string;

/** The styler of color level 0: the spans' texts, as they are. */
export const plainStyle: Styler = (spans) => {
  let out = '';
  for (const span of spans) out += span.text;
  return out;
};
