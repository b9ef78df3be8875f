// ESET PROTECT parser entry point (the formats land in the next commits).
import type { ParsedEvent } from '../../../protocol/event.js';
import type { ParserInput } from '../types.js';

/** Parses an ESET capture; null when the input is not ESET's. */
export function parseEset(input: ParserInput): ParsedEvent[] | null {
  void input;
  return null;
}
