// English: the report's language when the customer's setting says so.
import type { ReportStrings } from './i18n.js';
import { NAME_MAX, quoteConsole } from '../../lib/console-text.js';

const list = (names: string[], total: number): string =>
  names.join(', ') + (total > names.length ? ` and ${total - names.length} more` : '');

/** The English words of the report. */
export const EN: ReportStrings = {
  locale: 'en-GB',
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
    'November', 'December'],
  monthLabel: (m, y) => `${m} ${y}`,
  docTitle: (c, m) => `Monthly technical report — ${c} — ${m}`,
  docSubject: 'Security events, support cases and news of the protected environment',
  coverTitle: 'Monthly technical report',
  coverSubtitle: 'Events and news of the protected environment',
  customer: 'Customer',
  period: 'Period',
  plan: 'Support plan',
  preparedBy: 'Prepared by',
  generatedOn: 'Issued on',
  contents: 'Contents',
  page: (n, of) => `Page ${n} of ${of}`,
  sections: {
    summary: 'Executive summary', events: 'Events of the month', threats: 'Threats and actions',
    computers: 'Computers', tickets: 'Support cases', advisories: 'Security advisories sent',
    operations: 'Availability and licences', recommendations: 'Recommendations',
  },
  cards: { occurrences: 'Events', threats: 'Threats', unhandled: 'Unresolved', tickets: 'Cases opened',
    availability: 'Availability' },
  noData: 'no data',
  quietMonth: (m) => `No events recorded in ${m}. The consoles sent no notifications in the period; if you ` +
    'expected activity, check that the console still sends its notifications to the service.',
  opening: (p) => `In ${p.monthLabel}, ${p.occurrences} events were recorded (${p.notifications} notifications ` +
    `received from the console) on ${p.computers} computers.`,
  threatsLine: (p) => `${p.threats} threats were detected: ${p.handled} were resolved by the product (cleaned, ` +
    `quarantined, deleted or blocked) and ${p.unhandled} remained unresolved.`,
  noThreats: 'No threats were detected in the period.',
  trendLine: (p) => p.change === null
    ? `There were no events in ${p.previousLabel} to compare with.`
    : p.change === 0 ? `The number of events equals ${p.previousLabel}'s (${p.before}).`
      : `That is ${p.pct} ${p.change > 0 ? 'more' : 'fewer'} events than in ${p.previousLabel} (${p.before}).`,
  maintenanceLine: (n) => `${n} events arrived during scheduled maintenance windows: they were recorded without opening cases.`,
  ticketsLine: (p) => `${p.opened} support cases were opened; ${p.met} were answered within the response target ` +
    `and ${p.missed} exceeded it` + (p.median ? `. Median first response: ${p.median}.` : '.'),
  needsAttention: 'Needs attention',
  seeAllRecommendations: (n) => `${n} more recommendations are listed under "Recommendations".`,
  nothingNeeded: 'Nothing requires action from you this month.',
  vsPrevious: 'vs. last month',
  topThreats: 'Most frequent threats',
  topComputers: 'Computers with most threats',
  ticketList: 'Cases of the month',
  charts: { perDay: 'Events per day', byType: 'Events by type', bySeverity: 'Events by severity',
    actions: "Product's actions on threats", previousAverage: "previous month's daily average" },
  col: {
    threat: 'Threat', occurrences: 'Events', computers: 'Computers', unhandled: 'Unresolved',
    firstSeen: 'First seen', lastSeen: 'Last seen', computer: 'Computer', threats: 'Distinct threats',
    days: 'Days', notifications: 'Notifications', ticket: 'Case', subject: 'Subject', kind: 'Kind', opened: 'Opened',
    firstResponse: 'First response', result: 'Target', met: 'Met', missed: 'Missed', pending: 'Pending',
    date: 'Date', title: 'Title', vendor: 'Vendor', risk: 'Risk', agent: 'Agent', availability: 'Availability',
    product: 'Product', expires: 'Expires', daysLeft: 'Days left', affected: 'Computers affected',
    figure: 'Figure', thisMonth: 'This month', lastMonth: 'Last month',
  },
  outbreaks: 'Outbreaks',
  outdatedDefinitions: 'Computers with outdated definitions',
  notConnected: 'Computers not connected to the console',
  noneInMonth: 'None in the period.',
  noTicketData: 'No support case data for this period.',
  noAdvisoryData: 'No security advisory data for this period.',
  noHeartbeatData: 'No agent availability data for this period.',
  ticketsSummary: (p) => `${p.opened} cases opened: ${p.met} answered within the target, ${p.missed} outside it.` +
    (p.median && p.average ? ` First response: median ${p.median}, average ${p.average}.` : ''),
  metYes: 'Met',
  metNo: 'Missed',
  availabilityLine: (pct) => `Agent availability (minutes with a heartbeat): ${pct}.`,
  maintenance: 'Licence maintenance',
  noMaintenance: 'No licence expires in the next 60 days.',
  expired: 'expired',
  moreRows: (n) => `… and ${n} more`,
  quote: (text) => quoteConsole(text, 'en', NAME_MAX),
  eventTypes: {
    'threat-detected': 'Threat detected', 'threat-not-cleaned': 'Threat not cleaned', outbreak: 'Outbreak',
    ransomware: 'Ransomware', 'firewall-attack': 'Network attack', hips: 'HIPS', 'web-filtered': 'Web blocked',
    'blocked-file': 'File blocked', 'definitions-outdated': 'Outdated definitions',
    'client-not-connected': 'Computer not connected', licence: 'Licence', 'server-health': 'Server health',
    'authentication-failure': 'Authentication failure', audit: 'Audit', 'edr-alert': 'EDR alert',
    unclassified: 'Unclassified',
  },
  severities: { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Informational' },
  actions: { cleaned: 'Cleaned', quarantined: 'Quarantined', deleted: 'Deleted', blocked: 'Blocked',
    'left-alone': 'Left alone', failed: 'Failed', unknown: 'Unknown' },
  caseKinds: { 'threat-incident': 'Threat incident', 'severity-1': 'Severity 1', 'severity-2': 'Severity 2',
    'severity-3': 'Severity 3', 'severity-4': 'Severity 4', other: 'Other' },
  recommendation: (r, f) => {
    switch (r.code) {
      case 'ransomware': return `Ransomware was detected (${f.int(r.count)} events). Isolate the affected ` +
        'computers, check your backups and contact the help desk to analyse the sample.';
      case 'failed-actions': return (r.count === 1 ? 'One threat was' : `${f.int(r.count)} threats were`) +
        ' not resolved by the product. Check the computers affected or open a case for remote remediation.';
      case 'repeated-infection': return (r.total === 1 ? 'One computer' : `${f.int(r.total)} computers`) +
        ' had threats on several days, a likely reinfection: ' +
        list(r.computers.map((c) => `${quoteConsole(c.name, 'en', 80)} (${f.int(c.occurrences)} on ${f.int(c.days)} days)`), r.total) +
        '. Find the source (removable media, shared folders, e-mail).';
      case 'outbreak': return (r.count === 1 ? 'There was one outbreak' : `There were ${f.int(r.count)} outbreaks`) +
        " this month. Review the console's policies and the network segmentation.";
      case 'outdated-definitions': return (r.total === 1 ? 'One computer' : `${f.int(r.total)} computers`) +
        ' reported outdated definitions ' +
        `(${list(r.computers.map((c) => quoteConsole(c, 'en', 80)), r.total)}). Check their access to the update servers.`;
      case 'not-connected': return (r.total === 1 ? 'One computer does' : `${f.int(r.total)} computers do`) +
        ' not connect to the console ' +
        `(${list(r.computers.map((c) => quoteConsole(c, 'en', 80)), r.total)}). Confirm they are still in use and reinstall the agent.`;
      case 'maintenance-expired': return `Maintenance of ${r.product} expired on ${f.date(r.expires)}: the ` +
        "vendor's support no longer covers it. Contact your account manager to renew it.";
      case 'maintenance-expiring': return `Maintenance of ${r.product} expires on ${f.date(r.expires)} ` +
        `(in ${f.int(r.daysLeft)} days). Plan the renewal with your account manager.`;
      case 'response-missed': return `${f.int(r.missed)} of ${f.int(r.opened)} cases ` +
        'exceeded the response ' +
        'target. Your technical account manager will review the causes with you.';
      case 'low-availability': return `Agent availability was ${f.pct(r.ratio, 1)}. Check the server the agent ` +
        'runs on and its Internet access.';
    }
  },
  noRecommendations: 'No recommendations this month: the environment ran without remarks.',
};
