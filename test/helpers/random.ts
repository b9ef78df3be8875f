// Seeded randomness for tests that compare a hand-written reader with the pattern it replaced on many generated
// inputs: the same seed gives the same inputs on every run, so a failure can be replayed.

/** A generator of numbers in [0, 1) from a seed (a linear congruential generator; not for anything but tests). */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** One of the choices, at random. */
export function pick<T>(next: () => number, choices: readonly T[]): T {
  return choices[Math.floor(next() * choices.length)]!;
}

/** A string of 1 to `most` pieces picked at random, one after the other. */
export function joinPieces(next: () => number, pieces: readonly string[], most: number): string {
  let text = '';
  const length = 1 + Math.floor(next() * most);
  for (let p = 0; p < length; p++) text += pick(next, pieces);
  return text;
}
