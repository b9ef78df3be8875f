// Placeholder until the Symantec/SEPM parser lands: claims nothing, so every SEPM capture stays unclassified.
import type { ParsedEvent } from '../../../protocol/event.js';
import type { ParserInput } from '../types.js';

/** The SEPM parser entry point; this placeholder recognizes nothing. */
export function parseSymantec(input: ParserInput): ParsedEvent[] | null {
  void input;
  return null;
}
