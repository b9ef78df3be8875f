// Which address an event may keep as a computer's IP: a real one. The unspecified addresses (0.0.0.0, ::) and the
// placeholders of anonymised captures ("x.x.x.x", "...", "<IP>", "REDACTED") say nothing about a computer, and a
// ticket or report that showed them would mislead. Pure.
import { isIP } from 'node:net';

const UNSPECIFIED = /^(?:0+\.0+\.0+\.0+|(?:0{0,4}:){2,7}0{0,4})$/;

/** The address as an event keeps it, or undefined when it is no usable address (unspecified, a placeholder). */
export function usableAddress(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // "[fe80::1]" and a stray final dot ("81.2.69.144.") are still the address they wrap.
  const address = value.trim().replace(/^\[(.*)\]$/, '$1').replace(/(\d)\.$/, '$1');
  if (isIP(address) === 0) return undefined;
  return UNSPECIFIED.test(address) ? undefined : address;
}
