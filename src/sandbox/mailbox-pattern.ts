/**
 * LIST and LSUB patterns (RFC 3501 §6.3.8): "*" matches any run of characters, "%" any run without
 * the hierarchy separator, everything else itself. A pattern comes from a client, so it is never
 * turned into a backtracking regular expression (`"*%*%*%*%*%Z"` made one run for minutes): it is
 * matched by a bit-parallel automaton in one pass over the name, so the work is the name's length
 * times the pattern's length in 32-bit words, whatever the pattern holds. Pure.
 */

const STAR = '*';
const PERCENT = '%';
const SEPARATOR = '/';

/**
 * A compiled pattern. State i means "the first i tokens are matched"; the set of live states is a
 * bit vector, and one character moves all of them at once: a literal token advances on its
 * character, "*" stays on any character, "%" on any but the separator; a wildcard also lets its
 * state pass on to the next one without a character (it may match nothing).
 */
export class MailboxPattern {
  /** Word operations done so far: the work, counted, for tests that bound it. */
  steps = 0;
  private readonly words: number;
  private readonly tokenCount: number;
  /** States whose token is "*" / "%" (bit i: token i). */
  private readonly star: Uint32Array;
  private readonly percent: Uint32Array;
  /** Per literal character: the states whose token is that character. */
  private readonly literal = new Map<string, Uint32Array>();
  private readonly empty: Uint32Array;

  constructor(pattern: string) {
    // Runs of wildcards match what one would: a run with a "*" is "*", a run of "%" is "%".
    const tokens: string[] = [];
    for (const ch of pattern) {
      const last = tokens[tokens.length - 1];
      if ((ch === STAR || ch === PERCENT) && (last === STAR || last === PERCENT)) {
        if (ch === STAR) tokens[tokens.length - 1] = STAR;
        continue;
      }
      tokens.push(ch);
    }
    this.tokenCount = tokens.length;
    // One bit per state, the accepting state (all tokens matched) included.
    this.words = Math.ceil((tokens.length + 1) / 32);
    this.star = new Uint32Array(this.words);
    this.percent = new Uint32Array(this.words);
    this.empty = new Uint32Array(this.words);
    tokens.forEach((t, i) => {
      const word = i >>> 5;
      const bit = 1 << (i & 31);
      if (t === STAR) (this.star[word] as number) |= bit;
      else if (t === PERCENT) (this.percent[word] as number) |= bit;
      else {
        let mask = this.literal.get(t);
        if (!mask) this.literal.set(t, (mask = new Uint32Array(this.words)));
        (mask[word] as number) |= bit;
      }
    });
  }

  /** Whether the whole name matches. */
  matches(name: string): boolean {
    let accepted = false;
    this.run(name, (at) => (accepted = at === name.length));
    return accepted;
  }

  /**
   * The name's superiors ("a" and "a/b" of "a/b/c") that match, in one pass over the name: the
   * automaton's state at each separator says whether the name up to there matches.
   */
  matchingSuperiors(name: string): string[] {
    const out: string[] = [];
    this.run(name, (at) => {
      if (at > 0 && at < name.length && name[at] === SEPARATOR) out.push(name.slice(0, at));
    });
    return out;
  }

  /** Runs the automaton over `name`, calling `accepting(i)` at each i where name[0, i) matches. */
  private run(name: string, accepting: (at: number) => void): void {
    const words = this.words;
    let live = new Uint32Array(words);
    let next = new Uint32Array(words);
    live[0] = 1;
    this.closeOverWildcards(live);
    const acceptWord = this.tokenCount >>> 5;
    const acceptBit = 1 << (this.tokenCount & 31);
    const check = (at: number): void => {
      if (((live[acceptWord] as number) & acceptBit) !== 0) accepting(at);
    };
    check(0);
    let at = 0;
    for (const ch of name) {
      const lit = this.literal.get(ch) ?? this.empty;
      const crossesLevel = ch === SEPARATOR;
      let carry = 0;
      let any = 0;
      for (let w = 0; w < words; w++) {
        const d = live[w] as number;
        const advanced = d & (lit[w] as number);
        // Advancing is a shift by one state, carried across words.
        const shifted = ((advanced << 1) | carry) >>> 0;
        carry = advanced >>> 31;
        const stay = (d & (this.star[w] as number)) | (crossesLevel ? 0 : d & (this.percent[w] as number));
        next[w] = (shifted | stay) >>> 0;
        any |= next[w] as number;
      }
      this.steps += words;
      [live, next] = [next, live];
      at += ch.length;
      if (any === 0) return;
      this.closeOverWildcards(live);
      check(at);
    }
  }

  /** A live state on a wildcard also makes the following state live (the wildcard matching nothing). */
  private closeOverWildcards(live: Uint32Array): void {
    let carry = 0;
    for (let w = 0; w < this.words; w++) {
      const wild = (live[w] as number) & ((this.star[w] as number) | (this.percent[w] as number));
      const shifted = ((wild << 1) | carry) >>> 0;
      carry = wild >>> 31;
      live[w] = ((live[w] as number) | shifted) >>> 0;
    }
    this.steps += this.words;
  }
}
