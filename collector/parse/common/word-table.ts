// A fixed list of short lower-case ASCII words, looked up by a slice of a text without cutting the slice out: the
// slice is hashed as it is read, ASCII letters folded to lower case, and compared with the word of its slot. Pure.

/** A word list that can be searched for text[start, end) without making a string of it. */
export class AsciiWordTable {
  private readonly words: readonly string[];
  private readonly slots: Int16Array;
  /** The hash factor: the first that gives every word a slot of its own. */
  readonly factor: number;
  /** What a hash is masked with after each character. */
  readonly slotMask = SLOT_MASK;

  constructor(words: readonly string[]) {
    for (const word of words) {
      if (!/^[a-z0-9]+$/.test(word)) throw new Error(`AsciiWordTable: "${word}" is not lower-case ASCII letters and digits`);
    }
    this.words = words;
    this.slots = new Int16Array(SLOT_MASK + 1);
    for (let factor = 31; ; factor += 2) {
      if (this.place(factor)) {
        this.factor = factor;
        return;
      }
    }
  }

  /** The hash of a text with one more character (0 is the hash of the empty text). */
  next(hash: number, code: number): number {
    return (Math.imul(hash, this.factor) + (code | 0x20)) & SLOT_MASK;
  }

  /**
   * The place in the list of the word text[start, end) is, in any ASCII case, given the hash of that slice; -1 for
   * none. Only ASCII letters and digits may be in the slice (`| 0x20` lower-cases letters and keeps digits).
   */
  indexOf(text: string, start: number, end: number, hash: number): number {
    const at = this.slots[hash]! - 1;
    if (at < 0) return -1;
    const word = this.words[at]!;
    if (word.length !== end - start) return -1;
    for (let k = 0; k < word.length; k += 1) if ((text.charCodeAt(start + k) | 0x20) !== word.charCodeAt(k)) return -1;
    return at;
  }

  /** `indexOf` for a slice whose hash is not known yet. */
  find(text: string, start: number, end: number): number {
    let hash = 0;
    for (let i = start; i < end; i += 1) hash = this.next(hash, text.charCodeAt(i));
    return this.indexOf(text, start, end, hash);
  }

  private place(factor: number): boolean {
    this.slots.fill(0);
    return this.words.every((word, at) => {
      let hash = 0;
      for (let k = 0; k < word.length; k += 1) hash = (Math.imul(hash, factor) + word.charCodeAt(k)) & SLOT_MASK;
      if (this.slots[hash] !== 0) return false;
      this.slots[hash] = at + 1;
      return true;
    });
  }
}

const SLOT_MASK = 0xfff;
