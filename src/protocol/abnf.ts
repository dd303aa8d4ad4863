/**
 * ABNF (RFC 5234) as a recogniser: grammars are given as the RFCs print them, and a line is checked
 * against a rule. The protocols' formal syntax (RFC 3501 §9, RFC 2449 §9) stays data, written once and
 * read by lint; nothing here knows IMAP or POP3.
 *
 * ABNF alternatives are not ordered (RFC 5234 §3.2), so a rule matches a set of lengths, not one: the
 * matcher returns every position a rule can end at from a start position, memoised per rule and
 * position, which keeps it polynomial on the grammars of mail protocols (no left recursion in them).
 * Whether a line matches is asked first with each rule's and alternative's start set (whether it can
 * be empty, which octets it can begin with): what cannot begin at the octet where it would be tried
 * is passed over, and a run of single octets is read in one scan. Only a line that does not match is
 * checked again trying everything, to say how far it made sense.
 * Quoted strings are case-insensitive (RFC 5234 §2.3), `%s"..."` case-sensitive (RFC 7405). What
 * ABNF can only say in prose — IMAP's counted `literal`, say — is a native rule given by the caller.
 * Input is a string of octets (latin1), so that counts are counts of octets. Pure.
 */

type Node =
  | { t: 'alt'; items: Node[]; starts?: Start[] }
  | { t: 'seq'; items: Node[] }
  | { t: 'rep'; min: number; max: number; item: Node; octets?: Uint8Array | null }
  | { t: 'rule'; name: string; start?: Start; octets?: Uint8Array | null; resolved?: ResolvedRule }
  | { t: 'str'; text: string; caseSensitive: boolean; lower: string }
  | { t: 'range'; lo: number; hi: number }
  | { t: 'bytes'; codes: number[] }
  | { t: 'prose'; text: string };

/**
 * What a match can begin with: whether it can be empty, and which octets its first can be
 * (`first[c] === 1`). A match that cannot be empty and whose octets exclude the next one fails there
 * for certain, so it need not be tried.
 */
interface Start {
  nullable: boolean;
  first: Uint8Array;
}

/** Anything at all: what a native rule or prose may begin with, and a rule met again while its own start is worked out. */
const ANY_START: Start = { nullable: true, first: new Uint8Array(256).fill(1) };

/** Adds the octets of one set (`octets[c] === 1`) to another. */
function addOctets(into: Uint8Array, octets: Uint8Array): void {
  for (let c = 0; c < 256; c++) if (octets[c] === 1) into[c] = 1;
}

/** A rule ABNF cannot state: given the input and a start, the positions where it can end. */
export type NativeRule = (input: string, pos: number) => number[];

/** A rule as the matcher calls it, looked up once by name (Matcher.resolve). */
interface ResolvedRule {
  index: number;
  native: NativeRule | undefined;
  body: Node;
}

export class AbnfSyntaxError extends Error {
  override readonly name = 'AbnfSyntaxError';
}

/** The outcome of checking a whole input against a rule. */
export interface AbnfResult {
  ok: boolean;
  /** The furthest octet any attempt reached: where a failing input stops making sense (nothing to go by for one that matches). */
  furthest: number;
  /** What would have been accepted there: quoted strings and rule names (nothing to go by for an input that matches). */
  expected: string[];
  /** Set when the input was not checked to the end: too much work, or nested too deep (why, in words). */
  unchecked?: string;
  /** The same, as data (lint words it in the reader's language): which bound stopped the matcher, and its value. */
  limit?: MatchLimitKind;
}

/** A bound of the matcher: rules nested deeper than `max`, or more than `max` steps. */
export interface MatchLimitKind {
  kind: 'depth' | 'steps';
  max: number;
}

// --- parsing ABNF text -----------------------------------------------------------------------------

/** Joins continuation lines into one definition per rule and drops comments (outside quotes). */
function definitions(source: string): Array<{ name: string; written: string; incremental: boolean; body: string }> {
  const out: Array<{ name: string; written: string; incremental: boolean; body: string }> = [];
  let current: string | null = null;
  const flush = (): void => {
    if (current === null) return;
    const m = /^([A-Za-z][A-Za-z0-9-]*)\s*(=\/|=)\s*([\s\S]*)$/.exec(current.trim());
    if (!m) throw new AbnfSyntaxError(`not a rule: ${current.trim().slice(0, 60)}`);
    out.push({ name: (m[1] as string).toLowerCase(), written: m[1] as string, incremental: m[2] === '=/', body: m[3] as string });
    current = null;
  };
  for (const raw of source.split('\n')) {
    const line = stripComment(raw.replace(/\r$/, ''));
    if (line.trim() === '') continue;
    if (/^\S/.test(line)) {
      flush();
      current = line;
    } else if (current !== null) {
      current += ` ${line.trim()}`;
    } else {
      throw new AbnfSyntaxError(`continuation line without a rule: ${line.trim().slice(0, 60)}`);
    }
  }
  flush();
  return out;
}

function stripComment(line: string): string {
  let quoted = false;
  let prose = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"' && !prose) quoted = !quoted;
    else if (c === '<' && !quoted) prose = true;
    else if (c === '>' && !quoted) prose = false;
    else if (c === ';' && !quoted && !prose) return line.slice(0, i);
  }
  return line;
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): Node {
    const node = this.alternation();
    this.space();
    if (this.pos < this.text.length) throw this.error('unexpected text');
    return node;
  }

  private error(what: string): AbnfSyntaxError {
    return new AbnfSyntaxError(`${what} at "${this.text.slice(this.pos, this.pos + 30)}" in "${this.text.slice(0, 60)}"`);
  }

  private space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }

  private alternation(): Node {
    const items = [this.concatenation()];
    for (;;) {
      this.space();
      if (this.text[this.pos] !== '/') break;
      this.pos++;
      items.push(this.concatenation());
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'alt', items };
  }

  private concatenation(): Node {
    const items: Node[] = [];
    for (;;) {
      this.space();
      const c = this.text[this.pos];
      if (c === undefined || c === '/' || c === ')' || c === ']') break;
      items.push(this.repetition());
    }
    if (items.length === 0) throw this.error('empty concatenation');
    return items.length === 1 ? (items[0] as Node) : { t: 'seq', items };
  }

  private repetition(): Node {
    const m = /^(\d*)(\*?)(\d*)/.exec(this.text.slice(this.pos)) as RegExpExecArray;
    this.pos += m[0].length;
    const element = this.element();
    if (m[0] === '') return element;
    if (m[2] === '') {
      const n = Number(m[1]);
      return { t: 'rep', min: n, max: n, item: element };
    }
    return { t: 'rep', min: m[1] === '' ? 0 : Number(m[1]), max: m[3] === '' ? Infinity : Number(m[3]), item: element };
  }

  private element(): Node {
    const rest = this.text.slice(this.pos);
    const c = rest[0];
    if (c === '(' || c === '[') {
      this.pos++;
      const inner = this.alternation();
      this.space();
      const close = c === '(' ? ')' : ']';
      if (this.text[this.pos] !== close) throw this.error(`missing "${close}"`);
      this.pos++;
      return c === '(' ? inner : { t: 'rep', min: 0, max: 1, item: inner };
    }
    const quoted = /^(%[si])?"([^"]*)"/i.exec(rest);
    if (quoted) {
      this.pos += quoted[0].length;
      return { t: 'str', text: quoted[2] as string, caseSensitive: quoted[1]?.toLowerCase() === '%s', lower: (quoted[2] as string).toLowerCase() };
    }
    const num = /^%([xdb])([0-9A-Fa-f]+)(?:-([0-9A-Fa-f]+)|((?:\.[0-9A-Fa-f]+)+))?/.exec(rest);
    if (num) {
      this.pos += num[0].length;
      const base = num[1] === 'x' ? 16 : num[1] === 'd' ? 10 : 2;
      const first = parseInt(num[2] as string, base);
      if (num[3] !== undefined) return { t: 'range', lo: first, hi: parseInt(num[3], base) };
      if (num[4] !== undefined) return { t: 'bytes', codes: [first, ...num[4].slice(1).split('.').map((x) => parseInt(x, base))] };
      return { t: 'range', lo: first, hi: first };
    }
    const prose = /^<([^>]*)>/.exec(rest);
    if (prose) {
      this.pos += prose[0].length;
      return { t: 'prose', text: prose[1] as string };
    }
    const name = /^[A-Za-z][A-Za-z0-9-]*/.exec(rest);
    if (name) {
      this.pos += name[0].length;
      return { t: 'rule', name: name[0].toLowerCase() };
    }
    throw this.error('unexpected character');
  }
}

// --- matching -------------------------------------------------------------------------------------

/** Work allowed for one check: a guard against pathological input, far above what protocol lines need. */
const MAX_STEPS = 2_000_000;

/**
 * Rules open at once: the matcher recurses once per rule, and a recursive rule (IMAP's nested lists,
 * `NOT search-key`) would otherwise let an input of a few thousand "(" exhaust the stack.
 */
const MAX_RULE_DEPTH = 400;

/** Thrown by the matcher's guards; match() turns it into a result. */
class MatchLimit extends Error {
  constructor(readonly limit: MatchLimitKind) {
    super(limit.kind === 'depth' ? `nested more than ${limit.max} rules deep` : `more than ${limit.max} steps`);
  }
}

export class Grammar {
  private readonly rules = new Map<string, Node>();
  /** Rule names as written first, for messages. */
  private readonly display = new Map<string, string>();
  /** Native rules by lower-case name. */
  private readonly nativeRules = new Map<string, NativeRule>();
  /** A number per rule: the matcher's memo is keyed by rule and position as one number. */
  private readonly ruleIndex = new Map<string, number>();

  /**
   * @param source - ABNF rules, RFC 5234 syntax; `=/` adds alternatives to a rule defined earlier
   * @param natives - rules ABNF can only describe in prose, by name
   * @throws AbnfSyntaxError on a malformed rule, a rule defined twice, or a reference to no rule
   */
  constructor(
    source: string,
    private readonly natives: Readonly<Record<string, NativeRule>> = {},
  ) {
    for (const d of definitions(source)) {
      const node = new Parser(d.body).parse();
      const known = this.rules.get(d.name);
      if (d.incremental) {
        if (!known) throw new AbnfSyntaxError(`"${d.name} =/" adds to a rule not defined yet`);
        this.rules.set(d.name, { t: 'alt', items: [...(known.t === 'alt' ? known.items : [known]), node] });
      } else {
        if (known) throw new AbnfSyntaxError(`rule "${d.name}" is defined twice`);
        this.rules.set(d.name, node);
      }
      if (!this.display.has(d.name)) this.display.set(d.name, d.written);
    }
    for (const name of Object.keys(natives)) if (!this.rules.has(name.toLowerCase())) this.rules.set(name.toLowerCase(), { t: 'prose', text: name });
    for (const node of this.rules.values()) this.checkReferences(node);
    // Looked up once here, not on every rule call of every match: a native given in lower case first,
    // else the first one whose name is the rule's in another case.
    for (const [name, native] of Object.entries(natives)) if (name === name.toLowerCase()) this.nativeRules.set(name, native);
    for (const [name, native] of Object.entries(natives)) if (!this.nativeRules.has(name.toLowerCase())) this.nativeRules.set(name.toLowerCase(), native);
    for (const name of this.rules.keys()) this.ruleIndex.set(name, this.ruleIndex.size);
  }

  /** Whether a rule of that name exists. */
  has(name: string): boolean {
    return this.rules.has(name.toLowerCase());
  }

  private checkReferences(node: Node): void {
    switch (node.t) {
      case 'alt':
      case 'seq':
        node.items.forEach((n) => this.checkReferences(n));
        return;
      case 'rep':
        this.checkReferences(node.item);
        return;
      case 'rule':
        if (!this.rules.has(node.name)) throw new AbnfSyntaxError(`rule "${node.name}" is used but not defined`);
        return;
      default:
        return;
    }
  }

  /**
   * Whether all of `input` (octets as a latin1 string) is one `rule`, and if not, how far it made
   * sense and what was expected there. Asked first by matches(), which gives the same answer faster;
   * an input that does not match is then checked again trying everything, for the report.
   * @param options.startSets - false to try everything from the start (the reference matches() is tested against)
   */
  match(rule: string, input: string, options: { startSets?: boolean } = {}): AbnfResult {
    if (options.startSets !== false && this.matches(rule, input)) return { ok: true, furthest: input.length, expected: [] };
    return this.run(rule, input, null);
  }

  /**
   * Whether all of `input` is one `rule`, as match() says, but without the report: alternatives and
   * rules that cannot begin with the octet they would be tried at (their start sets) are passed over,
   * which leaves the same ends, and a run of single octets is read in one scan. False, too, where the
   * matcher's bounds stop it.
   */
  matches(rule: string, input: string): boolean {
    return this.run(rule, input, this).ok;
  }

  private run(rule: string, input: string, starts: Grammar | null): AbnfResult {
    const m = new Matcher(this.rules, this.nativeRules, this.ruleIndex, this.display, input, starts);
    try {
      const ends = m.rule(rule.toLowerCase(), 0);
      return { ok: ends.includes(input.length), furthest: m.furthest, expected: [...m.expected] };
    } catch (error) {
      if (!(error instanceof MatchLimit)) throw error;
      return { ok: false, furthest: m.furthest, expected: [...m.expected], unchecked: error.message, limit: error.limit };
    }
  }

  /** Start sets of rules, worked out as first asked for. */
  private readonly ruleStarts = new Map<string, Start>();

  /** What a match of the rule can begin with. */
  ruleStart(name: string): Start {
    const known = this.ruleStarts.get(name);
    if (known !== undefined) return known;
    if (this.nativeRules.has(name)) {
      this.ruleStarts.set(name, ANY_START);
      return ANY_START;
    }
    // Met again while its own start is worked out (only through a prefix that can be empty: there
    // is no left recursion in the mail grammars): anything, which passes nothing over.
    this.ruleStarts.set(name, ANY_START);
    const start = this.startOf(this.rules.get(name) as Node);
    this.ruleStarts.set(name, start);
    return start;
  }

  /**
   * The octets a node matches when every match of it is one octet (a range, a one-character string,
   * an alternation or a rule of such): `octets[c] === 1`; else null.
   */
  octetClass(node: Node, seen: ReadonlySet<string> = new Set()): Uint8Array | null {
    switch (node.t) {
      case 'range':
      case 'str':
        if (node.t === 'str' && node.text.length !== 1) return null;
        return this.startOf(node).first;
      case 'bytes':
        return node.codes.length === 1 ? this.startOf(node).first : null;
      case 'alt': {
        const octets = new Uint8Array(256);
        for (const item of node.items) {
          const inner = this.octetClass(item, seen);
          if (inner === null) return null;
          addOctets(octets, inner);
        }
        return octets;
      }
      case 'rule':
        if (this.nativeRules.has(node.name) || seen.has(node.name)) return null;
        return this.octetClass(this.rules.get(node.name) as Node, new Set([...seen, node.name]));
      case 'rep':
        return node.min === 1 && node.max === 1 ? this.octetClass(node.item, seen) : null;
      default:
        return null;
    }
  }

  /** The start sets of an alternation's items, worked out once and kept on the node. */
  itemStarts(node: Extract<Node, { t: 'alt' }>): Start[] {
    return (node.starts ??= node.items.map((item) => this.startOf(item)));
  }

  private startOf(node: Node): Start {
    switch (node.t) {
      case 'rule':
        return this.ruleStart(node.name);
      case 'str': {
        if (node.text === '') return { nullable: true, first: new Uint8Array(256) };
        const first = new Uint8Array(256);
        // As the matcher compares: the octet itself, or any whose lower case is the string's.
        if (node.caseSensitive) first[node.text.charCodeAt(0)] = 1;
        else for (let c = 0; c < 256; c++) if (String.fromCharCode(c).toLowerCase() === node.lower[0]) first[c] = 1;
        return { nullable: false, first };
      }
      case 'range': {
        const first = new Uint8Array(256);
        for (let c = Math.max(0, node.lo); c <= Math.min(255, node.hi); c++) first[c] = 1;
        return { nullable: false, first };
      }
      case 'bytes': {
        const first = new Uint8Array(256);
        const c = node.codes[0];
        if (c !== undefined && c < 256) first[c] = 1;
        return { nullable: node.codes.length === 0, first };
      }
      case 'prose':
        return ANY_START;
      case 'seq': {
        const first = new Uint8Array(256);
        for (const item of node.items) {
          const s = this.startOf(item);
          addOctets(first, s.first);
          if (!s.nullable) return { nullable: false, first };
        }
        return { nullable: true, first };
      }
      case 'alt': {
        const first = new Uint8Array(256);
        let nullable = false;
        for (const s of this.itemStarts(node)) {
          addOctets(first, s.first);
          nullable ||= s.nullable;
        }
        return { nullable, first };
      }
      case 'rep': {
        const s = this.startOf(node.item);
        return node.min === 0 && !s.nullable ? { nullable: true, first: s.first } : s;
      }
    }
  }
}

/** No end: what a rule passed over gives (never written to). */
const NO_ENDS: number[] = [];

/** The ends of `min` to `max` repetitions, from `pos`, of an octet of the class (`octets[c] === 1`). */
function octetRun(octets: Uint8Array, min: number, max: number, input: string, pos: number): number[] {
  const limit = Math.min(input.length, pos + max);
  let end = pos;
  while (end < limit && octets[input.charCodeAt(end)] === 1) end++;
  if (end - pos < min) return NO_ENDS;
  const ends: number[] = [];
  for (let e = pos + min; e <= end; e++) ends.push(e);
  return ends;
}

class Matcher {
  /** Ends by rule and position; NO_ENDS while the rule is being worked out there. */
  private readonly memo = new Map<number, number[]>();
  private readonly stack: string[] = [];
  private steps = 0;
  /** The furthest failed attempt; past any position while start sets are used, so that none is noted. */
  furthest: number;
  expected = new Set<string>();

  constructor(
    private readonly rules: ReadonlyMap<string, Node>,
    private readonly natives: ReadonlyMap<string, NativeRule>,
    private readonly ruleIndex: ReadonlyMap<string, number>,
    private readonly display: ReadonlyMap<string, string>,
    private readonly input: string,
    /** The grammar's start sets, to pass over what cannot begin where it would be tried; null to try everything. */
    private readonly starts: Grammar | null,
  ) {
    // Passing over failures, a run with start sets cannot say what was expected: it is asked only
    // whether the input matches, so it notes no failure at all.
    this.furthest = starts === null ? 0 : Number.POSITIVE_INFINITY;
  }

  /** Where a failed terminal was tried: keep what the furthest attempts wanted. */
  private missed(pos: number, what: string): void {
    if (pos > this.furthest) {
      this.furthest = pos;
      this.expected = new Set();
    }
    if (pos === this.furthest && this.expected.size < 12) this.expected.add(what);
  }

  private here(): string {
    const name = this.stack[this.stack.length - 1];
    return name === undefined ? 'input' : (this.display.get(name) ?? name);
  }

  rule(name: string, pos: number): number[] {
    return this.ruleAt(name, this.resolve(name), pos);
  }

  /** What a rule's name stands for: its number (for the memo), its native function if any, its definition. */
  private resolve(name: string): ResolvedRule {
    return { index: this.ruleIndex.get(name) ?? -1, native: this.natives.get(name), body: this.rules.get(name) as Node };
  }

  /** A rule by its name, looked up (as a rule node keeps it). */
  private ruleAt(name: string, { index, native, body }: ResolvedRule, pos: number): number[] {
    const key = index * (this.input.length + 1) + pos;
    const known = this.memo.get(key);
    // Met again while being worked out (left recursion: none in the mail grammars, but never loop), no end.
    if (known) return known;
    let ends: number[];
    if (this.stack.length >= MAX_RULE_DEPTH) throw new MatchLimit({ kind: 'depth', max: MAX_RULE_DEPTH });
    this.memo.set(key, NO_ENDS);
    this.stack.push(name);
    if (native) {
      ends = native(this.input, pos);
      if (ends.length === 0) this.missed(pos, this.display.get(name) ?? name);
    } else {
      ends = this.node(body, pos);
    }
    this.stack.pop();
    this.memo.set(key, ends);
    return ends;
  }

  private node(node: Node, pos: number): number[] {
    if (++this.steps > MAX_STEPS) throw new MatchLimit({ kind: 'steps', max: MAX_STEPS });
    switch (node.t) {
      case 'rule':
        if (this.starts !== null) {
          const start = (node.start ??= this.starts.ruleStart(node.name));
          if (!start.nullable && start.first[this.input.charCodeAt(pos)] !== 1) return NO_ENDS;
          // A rule that is one octet of a class (SP, DIGIT, ATOM-CHAR) and can begin here: that octet.
          const octets = node.octets === undefined ? (node.octets = this.starts.octetClass(node)) : node.octets;
          if (octets !== null) return [pos + 1];
        }
        return this.ruleAt(node.name, (node.resolved ??= this.resolve(node.name)), pos);
      case 'str': {
        const piece = this.input.slice(pos, pos + node.text.length);
        const same = node.caseSensitive ? piece === node.text : piece === node.lower || piece.toLowerCase() === node.lower;
        if (same) return [pos + node.text.length];
        if (pos >= this.furthest) this.missed(pos, `"${node.text}"`);
        return [];
      }
      case 'range': {
        const c = this.input.charCodeAt(pos);
        if (c >= node.lo && c <= node.hi) return [pos + 1];
        // Only an attempt as far as the furthest is remembered: name it only then.
        if (pos >= this.furthest) this.missed(pos, this.here());
        return [];
      }
      case 'bytes': {
        for (let i = 0; i < node.codes.length; i++) {
          if (this.input.charCodeAt(pos + i) !== node.codes[i]) {
            if (pos + i >= this.furthest) this.missed(pos + i, this.here());
            return [];
          }
        }
        return [pos + node.codes.length];
      }
      case 'prose':
        throw new AbnfSyntaxError(`prose rule <${node.text}> needs a native implementation`);
      case 'seq': {
        let frontier = [pos];
        for (const item of node.items) {
          // One start (the usual case): the item's ends are already distinct, in the order a set keeps.
          if (frontier.length === 1) {
            frontier = this.node(item, frontier[0] as number);
            if (frontier.length === 0) return [];
            continue;
          }
          const next = new Set<number>();
          for (const p of frontier) for (const e of this.node(item, p)) next.add(e);
          if (next.size === 0) return [];
          frontier = [...next];
        }
        return frontier;
      }
      case 'alt': {
        const out = new Set<number>();
        if (this.starts === null) {
          for (const item of node.items) for (const e of this.node(item, pos)) out.add(e);
          return [...out];
        }
        // Passing over what cannot begin here, most alternations are left with one item that matches:
        // its ends are returned as they are (no array is ever written once returned).
        const starts = this.starts.itemStarts(node);
        const c = this.input.charCodeAt(pos);
        let only: number[] | null = null;
        for (let i = 0; i < node.items.length; i++) {
          const start = starts[i] as Start;
          if (!start.nullable && start.first[c] !== 1) continue;
          const ends = this.node(node.items[i] as Node, pos);
          if (ends.length === 0) continue;
          if (only === null && out.size === 0) {
            only = ends;
            continue;
          }
          if (only !== null) for (const e of only) out.add(e);
          only = null;
          for (const e of ends) out.add(e);
        }
        return only ?? (out.size === 0 ? NO_ENDS : [...out]);
      }
      case 'rep': {
        if (this.starts !== null) {
          // A run of single octets (an atom, a text): its ends are every length from min on, found by one scan.
          const octets = node.octets === undefined ? (node.octets = this.starts.octetClass(node.item)) : node.octets;
          if (octets !== null) return octetRun(octets, node.min, node.max, this.input, pos);
        }
        const out = new Set<number>(node.min === 0 ? [pos] : []);
        let frontier = new Set<number>([pos]);
        // Ends reached with at least `min` repetitions: reaching one again with more adds nothing.
        const done = new Set<number>(node.min === 0 ? [pos] : []);
        for (let count = 1; count <= node.max && frontier.size > 0; count++) {
          const next = new Set<number>();
          for (const p of frontier) {
            for (const e of this.node(node.item, p)) {
              if (count < node.min) next.add(e);
              else if (!done.has(e)) {
                done.add(e);
                out.add(e);
                next.add(e);
              }
            }
          }
          frontier = next;
        }
        return [...out];
      }
    }
  }
}

/** RFC 5234 Appendix B.1: the core rules every grammar may use. */
export const ABNF_CORE_RULES = `
ALPHA          =  %x41-5A / %x61-7A
BIT            =  "0" / "1"
CHAR           =  %x01-7F
CR             =  %x0D
CRLF           =  CR LF
CTL            =  %x00-1F / %x7F
DIGIT          =  %x30-39
DQUOTE         =  %x22
HEXDIG         =  DIGIT / "A" / "B" / "C" / "D" / "E" / "F"
HTAB           =  %x09
LF             =  %x0A
LWSP           =  *(WSP / CRLF WSP)
OCTET          =  %x00-FF
SP             =  %x20
VCHAR          =  %x21-7E
WSP            =  SP / HTAB
`;
