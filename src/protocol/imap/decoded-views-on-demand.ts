/**
 * The decoded views of a response for a session that may never need one: the parsers are loaded at
 * the first response that may show a view (a plain session of NOOPs and BODY[] fetches loads none of
 * them; start-up time), and used directly from then on.
 */
import type { DecodedView, DecodedViewKind } from './decoded-views.js';
import { loadDecodedViews } from './decoded-views-loader.js';
import { mayHaveDecodedViews } from './decoded-view-heads.js';

let views: typeof import('./decoded-views.js').decodedViews | undefined;

/** decodedViews() of decoded-views.ts, without loading it for a response that surely has no view. */
export function decodedViewsOnDemand(segments: readonly Buffer[], literals: readonly (Buffer | null)[], wanted: ReadonlySet<DecodedViewKind>): DecodedView[] {
  if (!views) {
    if (!mayHaveDecodedViews(segments, literals, wanted)) return [];
    views = loadDecodedViews().decodedViews;
  }
  return views(segments, literals, wanted);
}
