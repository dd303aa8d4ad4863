/**
 * The handout page's style sheet (handout-page.ts): the terminal's meaning of colors on white paper,
 * large enough for a projector, and a print layout (one session per page, no dark backgrounds, black
 * borders and type weights that still tell client from server and OK from NO in grey). The colors are
 * the palette of theme.ts moved to a light background: a role keeps its hue, darkened to read on white.
 */
import type { Role } from './roles.js';

/** Text color and weight of each role on the page; a missing role does not compile. */
const ROLE_STYLES: Readonly<Record<Role, string>> = {
  'prefix-client': 'color:#1747c8;font-weight:700',
  'prefix-server': 'color:#6b6b6b',
  tag: 'color:#00727f',
  untagged: 'color:#6b6b6b;font-weight:700',
  continuation: 'color:#1747c8;font-weight:700',
  'status-ok': 'color:#12702a;font-weight:700',
  'status-no': 'color:#b3121b;font-weight:700;text-decoration:underline',
  'status-bad': 'color:#98148f;font-weight:700;text-decoration:underline wavy',
  'status-bye': 'color:#8a4b00;font-weight:700',
  'status-preauth': 'color:#12702a;font-weight:700',
  'response-code': 'color:#8a5a00',
  'data-name': 'font-weight:700',
  command: 'font-weight:700',
  'literal-marker': 'color:#00727f;font-style:italic',
  literal: 'color:#555;font-style:italic',
  'pop3-ok': 'color:#12702a;font-weight:700',
  'pop3-err': 'color:#b3121b;font-weight:700;text-decoration:underline',
  'pop3-body': 'color:#555',
  'pop3-terminator': 'color:#555;font-weight:700',
  secret: 'outline:1px solid #555;font-style:italic',
  annotation: 'color:#6b6b6b;font-style:italic',
  explanation: 'color:#1f3a24',
  'explanation-rfc': 'color:#4d6b52',
  state: '',
  'state-current': 'font-weight:700',
  'state-move': 'color:#8a5a00',
  'notice-info': 'color:#6b6b6b',
  'notice-warning': 'color:#8a4b00',
  'notice-error': 'color:#b3121b;font-weight:700',
  sasl: 'color:#98148f',
  tls: 'color:#00727f',
  prompt: 'font-weight:700',
  'prompt-tls': 'color:#12702a',
  'prompt-insecure': 'color:#8a4b00;font-weight:700',
  'prompt-state': 'color:#00727f',
  'prompt-tag': 'color:#6b6b6b',
  hint: 'color:#6b6b6b',
  text: '',
};

const ROLE_RULES = Object.entries(ROLE_STYLES)
  .filter(([, style]) => style !== '')
  .map(([role, style]) => `.r-${role}{${style}}`)
  .join('\n');

/** The whole style sheet, one constant string: the page's Content-Security-Policy allows it by its hash. */
export const HANDOUT_CSS = `
:root{color-scheme:light}
html{font-size:18px}
body{margin:0 auto;padding:1.2rem 1.5rem 3rem;max-width:88rem;background:#fff;color:#111;
  font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;line-height:1.4}
h1{font-size:1.7rem;margin:.2rem 0 .4rem}
h2{font-size:1.35rem;margin:0 0 .3rem;overflow-wrap:anywhere}
h3{font-size:1.05rem;margin:1rem 0 .4rem}
code,.wire,.legend-sample{font-family:"DejaVu Sans Mono","Liberation Mono",Consolas,monospace}
.meta{color:#444;margin:.1rem 0;overflow-wrap:anywhere}
.contents ol{margin:.3rem 0 0;padding-left:1.6rem}
.legend table{border-collapse:collapse;margin:.3rem 0}
.legend td{padding:.15rem .8rem .15rem 0;vertical-align:top}
.legend-sample{white-space:pre;font-size:.95rem}
.session{margin-top:2.2rem;padding-top:1rem;border-top:3px solid #111}
.notes{margin:.4rem 0;padding-left:1.2rem;color:#333}
.notes li{white-space:pre-line}
table.lines{width:100%;border-collapse:collapse;table-layout:fixed;margin-top:.6rem}
table.lines th{text-align:left;font-size:.85rem;color:#444;border-bottom:2px solid #111;padding:.2rem .4rem}
table.lines col.no{width:4.6rem}
table.lines col.wire{width:52%}
table.lines td{vertical-align:top;padding:.2rem .4rem;border-bottom:1px solid #ddd}
td.no{color:#666;font-size:.8rem;text-align:right;white-space:nowrap;padding-top:.35rem}
td.wire{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.95rem}
tr.client td.wire{border-left:4px solid #1747c8}
tr.server td.wire{border-left:4px dotted #6b6b6b}
tr.aside td.wire{border-left:4px double #bbb;color:#555;font-style:italic}
td.explain p{margin:0 0 .15rem}
.r-explanation-rfc{font-size:.85rem;white-space:nowrap}
.esc{border:1px solid #b3121b;border-radius:2px;padding:0 1px;color:#b3121b}
tr.flagged td.wire{border-left-color:#b3121b;border-left-style:solid;border-left-width:8px}
tr.flagged.note-only td.wire{border-left-color:#8a5a00}
td.no .mark{color:#b3121b;font-weight:700}
tr.finding td{border-bottom:1px solid #ddd;padding:.1rem .4rem .3rem}
.finding-text{display:block;font-size:.9rem;padding:.15rem .4rem;border:1px solid #b3121b;border-left-width:6px;overflow-wrap:anywhere}
.finding-text.note{border-color:#8a5a00;color:#333}
.finding-text .severity{font-weight:700;color:#b3121b}
.finding-text.note .severity{color:#8a5a00}
.finding-text .rule{color:#555}
ul.file-findings{padding-left:0;list-style:none;margin:.4rem 0}
ul.file-findings li{margin:.2rem 0}
figure.diagram{margin:.6rem 0;padding:.5rem .7rem;border:1px solid #999}
figure.diagram figcaption{font-weight:700;margin-bottom:.4rem}
.diagram-body{display:flex;flex-wrap:wrap;align-items:flex-start;gap:.6rem 2.5rem}
ol.machine{display:flex;flex-direction:column;align-items:flex-start;gap:.2rem;list-style:none;margin:0;padding:0}
li.state{border:1px solid #777;border-radius:4px;padding:.3rem .6rem;color:#555}
li.state.visited{border:3px solid #00727f;color:#111;font-weight:700}
li.state.last{border-style:double;border-width:6px}
li.state .visit{display:block;font-size:.75rem;font-weight:400;color:#00727f}
li.move{display:flex;flex-wrap:wrap;align-items:baseline;gap:.1rem .35rem;font-size:.8rem;color:#8a5a00;padding:0 0 0 1.2rem}
li.move .arrow{font-size:1.15rem;line-height:1}
li.move .arrow+.move-commands{margin-right:.8rem}
.path-block{flex:1 1 18rem;min-width:0}
.path-block h3{margin-top:0}
li.move.taken{color:#111;font-weight:700}
ol.path{margin:.5rem 0 0;padding-left:1.6rem}
ol.path .state-name{font-weight:700}
footer{margin-top:2rem;color:#666;font-size:.8rem}
${ROLE_RULES}
@media screen and (min-width:1600px){html{font-size:22px}}
@media print{
  html{font-size:10.5pt}
  body{max-width:none;padding:0}
  @page{margin:14mm 12mm}
  .session{break-before:page;border-top:none;margin-top:0;padding-top:0}
  tr,figure.diagram,.finding-text{break-inside:avoid}
  thead{display:table-header-group}
  a{color:inherit;text-decoration:none}
}
`;
