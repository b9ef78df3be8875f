// An envelope as one row of `envelopes`: its id and capture time are columns, so `payload` holds the rest of the
// envelope's JSON (source, transport and the capture itself, byte for byte as received and validated), not a second
// copy of them (issue 20). Reading puts the id and time back in front, which gives the very JSON that was received:
// the schema lists them first. Rows written before this carry them in `payload` too and read the same.
import type { Envelope } from '../../protocol/envelope.js';

/** The `payload` stored for an envelope: its JSON without the id and capture time. */
export function payloadOf(envelope: Envelope): string {
  const { id: _id, capturedAt: _capturedAt, ...capture } = envelope;
  return JSON.stringify(capture);
}

/** The envelope of a row, from its columns and its payload (either shape). */
export function envelopeOfRow(id: string, capturedAt: string, payload: string): Envelope {
  return { id, capturedAt, ...(JSON.parse(payload) as Omit<Envelope, 'id' | 'capturedAt'>) } as Envelope;
}

/** The payload of an old row (id and time inside) in the new shape, or null when it has it already or would not
 *  read back byte for byte. */
export function newShapePayload(id: string, capturedAt: string, payload: string): string | null {
  const doc = JSON.parse(payload) as Envelope;
  if (!('id' in doc) && !('capturedAt' in doc)) return null;
  const next = payloadOf(doc);
  return JSON.stringify(envelopeOfRow(id, capturedAt, next)) === payload ? next : null;
}
