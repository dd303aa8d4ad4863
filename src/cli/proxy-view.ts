/**
 * The proxy's live view: every connection's events rendered as the session command renders a session
 * (one renderer per connection, each with its own open line and literal), and, once the run has had
 * more than one connection, each line marked with its connection's number, `[2] S: ...`, so that the
 * lines of clients that open several connections at once can be told apart.
 *
 * What one read renders is written at once, at the end of the turn (one write per read, not per
 * line), and the view says when its output is full: the proxy then stops reading both legs until the
 * output drains, as the session command does, so a message goes through at the pace of the screen
 * or the pipe instead of piling up in memory.
 */
import { ALL_DECODED_VIEWS, TranscriptRenderer } from '../render/transcript-renderer.js';
import { makeStyler, type ColorLevel } from '../render/theme.js';
import type { Writable } from 'node:stream';
import type { SessionEvent } from '../session/events.js';

export interface ProxyViewOptions {
  colorLevel: ColorLevel;
  output: Pick<Writable, 'write' | 'writableNeedDrain'>;
}

/**
 * Returns the function the proxy calls with each event of each connection; it returns false when the
 * output needs to drain.
 */
export function proxyLiveView(options: ProxyViewOptions): (connection: number, event: SessionEvent, open: number) => boolean {
  const renderers = new Map<number, TranscriptRenderer>();
  // From the moment a second connection opens, every line says whose it is, to the end of the run:
  // a mark that came and went would leave the reader guessing about the unmarked lines.
  let several = false;
  const style = makeStyler(options.colorLevel);
  let pending = '';
  const flush = (): void => {
    const text = pending;
    pending = '';
    if (text !== '') options.output.write(text);
  };
  return (n, event, open) => {
    let renderer = renderers.get(n);
    if (!renderer) {
      renderer = new TranscriptRenderer({ colorLevel: options.colorLevel, style, annotate: true, showCerts: false, decodedViews: ALL_DECODED_VIEWS });
      renderers.set(n, renderer);
    }
    let text = renderer.render(event);
    if (event.kind === 'closed') {
      text += renderer.finish();
      renderers.delete(n);
    }
    if (n > 1 || open > 1) several = true;
    if (several) text = text.replace(/^(?=.)/gm, style([{ role: 'annotation', text: `[${n}] ` }]));
    if (text !== '') {
      if (pending === '') queueMicrotask(flush);
      pending += text;
    }
    return !options.output.writableNeedDrain;
  };
}
