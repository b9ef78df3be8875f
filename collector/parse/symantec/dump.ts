// SEPM's "Export logs to a dump file" (and the same text relayed by a file-reading shipper) puts two fields before
// each record: its time stamp and its severity (KB 155205, legacy TECH171741: "Time Stamp … if Export logs to a
// dump file is enabled", "Severity"), e.g. `2026-03-20 08:00:31,Critical,SEPM01,Event Description: …`. Read as a
// record, the date would be its computer name: the prefix is taken off and kept as the record's fallback time and
// severity instead. Pure.
import type { ParserInput, SyslogHeader } from '../types.js';
import { labelKey } from './fields.js';
import { parseSepmTime } from './time.js';

/** What a dump prefix said: its time (ISO, UTC as every SEPM time) and its severity word as written. */
export interface DumpPrefix {
  occurredAt: string | undefined;
  severity: string;
  /** The record without the prefix. */
  record: string;
}

// The severity words of the dump: system, admin and agent logs (English, and the localized consoles' words).
const SEVERITY_RANK: Record<string, number> = {
  critical: 2, critico: 2, critique: 2, kritisch: 2, critica: 2, fatal: 2, severe: 2,
  error: 3, erreur: 3, erro: 3, fehler: 3, errore: 3, major: 3, mayor: 3, majeur: 3,
  warning: 4, advertencia: 4, avertissement: 4, aviso: 4, warnung: 4, avviso: 4, minor: 4, menor: 4, mineur: 4,
  notice: 5,
  info: 6, information: 6, informational: 6, informacion: 6, informativo: 6, informazioni: 6, informacao: 6,
  informationen: 6, debug: 7,
};

const PREFIX = /^(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}),\s*([\p{L}]{3,20}),/u;

/** The dump prefix of a record line, or undefined when the line starts with its record. */
export function dumpPrefix(line: string): DumpPrefix | undefined {
  if (line.charCodeAt(0) < 0x30 || line.charCodeAt(0) > 0x39) return undefined;
  const m = PREFIX.exec(line);
  if (m === null || SEVERITY_RANK[labelKey(m[2]!)] === undefined) return undefined;
  return { occurredAt: parseSepmTime(m[1]), severity: m[2]!, record: line.slice(m[0].length) };
}

/** The input a dumped record is read with: its time and severity stand where a syslog header's would. */
export function dumpedInput(input: ParserInput, dump: DumpPrefix): ParserInput {
  const syslog: SyslogHeader = { ...(input.syslog ?? { format: 'none' }) };
  if (dump.occurredAt !== undefined) syslog.timestamp = dump.occurredAt;
  syslog.severity = SEVERITY_RANK[labelKey(dump.severity)];
  return { ...input, syslog };
}
