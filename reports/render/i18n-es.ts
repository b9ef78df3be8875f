// Spanish (Argentina): the report's default language.
import type { ReportStrings } from './i18n.js';
import { NAME_MAX, quoteConsole } from '../../lib/console-text.js';

const list = (names: string[], total: number, more: (n: number) => string): string =>
  names.join(', ') + (total > names.length ? more(total - names.length) : '');

/** The Spanish words of the report. */
export const ES: ReportStrings = {
  locale: 'es-AR',
  months: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre',
    'noviembre', 'diciembre'],
  monthLabel: (m, y) => `${m} de ${y}`,
  docTitle: (c, m) => `Informe técnico mensual — ${c} — ${m}`,
  docSubject: 'Eventos de seguridad, casos de soporte y novedades del entorno protegido',
  coverTitle: 'Informe técnico mensual',
  coverSubtitle: 'Eventos y novedades del entorno protegido',
  customer: 'Cliente',
  period: 'Período',
  plan: 'Plan de soporte',
  preparedBy: 'Elaborado por',
  generatedOn: 'Fecha de emisión',
  contents: 'Contenido',
  page: (n, of) => `Página ${n} de ${of}`,
  sections: {
    summary: 'Resumen ejecutivo', events: 'Eventos del mes', threats: 'Amenazas y acciones',
    computers: 'Equipos', tickets: 'Casos de soporte', advisories: 'Avisos de seguridad enviados',
    operations: 'Disponibilidad y licencias', recommendations: 'Recomendaciones',
  },
  cards: { occurrences: 'Eventos', threats: 'Amenazas', unhandled: 'Sin resolver', tickets: 'Casos abiertos',
    availability: 'Disponibilidad' },
  noData: 'sin datos',
  quietMonth: (m) => `Sin eventos registrados en ${m}. Las consolas no enviaron notificaciones en el período; ` +
    'si esperaba actividad, verifique que las notificaciones de la consola sigan configuradas hacia el servicio.',
  opening: (p) => `En ${p.monthLabel} se registraron ${p.occurrences} eventos (${p.notifications} notificaciones ` +
    `recibidas de la consola) en ${p.computers} equipos.`,
  threatsLine: (p) => `Se detectaron ${p.threats} amenazas: ${p.handled} fueron resueltas por el producto ` +
    `(limpiadas, en cuarentena, eliminadas o bloqueadas) y ${p.unhandled} quedaron sin resolver.`,
  noThreats: 'No se detectaron amenazas en el período.',
  trendLine: (p) => p.change === null
    ? `En ${p.previousLabel} no hubo eventos con qué comparar.`
    : p.change === 0 ? `La cantidad de eventos fue igual a la de ${p.previousLabel} (${p.before}).`
      : `Son ${p.pct} ${p.change > 0 ? 'más' : 'menos'} eventos que en ${p.previousLabel} (${p.before}).`,
  maintenanceLine: (n) => `${n} eventos llegaron durante ventanas de mantenimiento programadas: se registraron sin abrir casos.`,
  ticketsLine: (p) => `Se abrieron ${p.opened} casos de soporte; ${p.met} se respondieron dentro del tiempo ` +
    `objetivo y ${p.missed} ${p.missed === '1' ? 'lo superó' : 'lo superaron'}` + (p.median ? `. Mediana de primera respuesta: ${p.median}.` : '.'),
  needsAttention: 'Requiere atención',
  seeAllRecommendations: (n) => `Hay ${n} recomendaciones más en la sección «Recomendaciones».`,
  nothingNeeded: 'Nada requiere acción de su parte este mes.',
  vsPrevious: 'vs. mes anterior',
  topThreats: 'Amenazas más frecuentes',
  topComputers: 'Equipos con más amenazas',
  ticketList: 'Casos del mes',
  charts: { perDay: 'Eventos por día', byType: 'Eventos por tipo', bySeverity: 'Eventos por severidad',
    actions: 'Acciones del producto sobre amenazas', previousAverage: 'promedio diario del mes anterior' },
  col: {
    threat: 'Amenaza', occurrences: 'Eventos', computers: 'Equipos', unhandled: 'Sin resolver',
    firstSeen: 'Primera vez', lastSeen: 'Última vez', computer: 'Equipo', threats: 'Amenazas distintas',
    days: 'Días', notifications: 'Notificaciones', ticket: 'Caso', subject: 'Asunto', kind: 'Tipo', opened: 'Apertura',
    firstResponse: '1.ª respuesta', result: 'Objetivo', met: 'Cumplidos', missed: 'Superados',
    pending: 'Pendientes', date: 'Fecha', title: 'Título', vendor: 'Fabricante', risk: 'Riesgo', agent: 'Agente',
    availability: 'Disponibilidad', product: 'Producto', expires: 'Vencimiento', daysLeft: 'Días restantes',
    affected: 'Equipos afectados', figure: 'Indicador', thisMonth: 'Este mes', lastMonth: 'Mes anterior',
  },
  outbreaks: 'Brotes',
  outdatedDefinitions: 'Equipos con firmas desactualizadas',
  notConnected: 'Equipos sin conexión con la consola',
  noneInMonth: 'Ninguno en el período.',
  noTicketData: 'Sin datos de casos de soporte para este período.',
  noAdvisoryData: 'Sin datos de avisos de seguridad para este período.',
  noHeartbeatData: 'Sin datos de disponibilidad del agente para este período.',
  ticketsSummary: (p) => `${p.opened} casos abiertos: ${p.met} respondidos dentro del objetivo, ${p.missed} fuera ` +
    'de él.' + (p.median && p.average ? ` Primera respuesta: mediana ${p.median}, promedio ${p.average}.` : ''),
  metYes: 'Cumplido',
  metNo: 'Superado',
  availabilityLine: (pct) => `Disponibilidad del agente (minutos con señal de vida): ${pct}.`,
  maintenance: 'Mantenimiento de licencias',
  noMaintenance: 'Ninguna licencia vence en los próximos 60 días.',
  expired: 'vencido',
  moreRows: (n) => `… y ${n} más`,
  quote: (text) => quoteConsole(text, 'es', NAME_MAX),
  eventTypes: {
    'threat-detected': 'Amenaza detectada', 'threat-not-cleaned': 'Amenaza no eliminada', outbreak: 'Brote',
    ransomware: 'Ransomware', 'firewall-attack': 'Ataque de red', hips: 'HIPS', 'web-filtered': 'Web bloqueada',
    'blocked-file': 'Archivo bloqueado', 'definitions-outdated': 'Firmas desactualizadas',
    'client-not-connected': 'Equipo sin conexión', licence: 'Licencia', 'server-health': 'Estado del servidor',
    'authentication-failure': 'Fallo de autenticación', audit: 'Auditoría', 'edr-alert': 'Alerta EDR',
    unclassified: 'Sin clasificar',
  },
  severities: { critical: 'Crítica', high: 'Alta', medium: 'Media', low: 'Baja', info: 'Informativa' },
  actions: { cleaned: 'Limpiada', quarantined: 'En cuarentena', deleted: 'Eliminada', blocked: 'Bloqueada',
    'left-alone': 'Sin acción', failed: 'Falló', unknown: 'Desconocida' },
  caseKinds: { 'threat-incident': 'Incidente de amenaza', 'severity-1': 'Severidad 1', 'severity-2': 'Severidad 2',
    'severity-3': 'Severidad 3', 'severity-4': 'Severidad 4', other: 'Otro' },
  recommendation: (r, f) => {
    switch (r.code) {
      case 'ransomware': return `Se detectó ransomware (${f.int(r.count)} eventos). Aísle los equipos afectados, ` +
        'verifique las copias de seguridad y contacte al CAS para el análisis de la muestra.';
      case 'failed-actions': return (r.count === 1 ? 'Una amenaza no fue resuelta' : `${f.int(r.count)} amenazas no ` +
        'fueron resueltas') + ' por el producto. Revise los equipos afectados o abra un caso para su remediación remota.';
      case 'repeated-infection': return (r.total === 1 ? 'Un equipo registró' : `${f.int(r.total)} equipos registraron`) +
        ' amenazas en varios días, una reinfección probable: ' +
        list(r.computers.map((c) => `${quoteConsole(c.name, 'es', 80)} (${f.int(c.occurrences)} en ${f.int(c.days)} días)`), r.total,
          (n) => ` y ${n} más`) + '. Analice el origen (medios extraíbles, carpetas compartidas, correo).';
      case 'outbreak': return (r.count === 1 ? 'Hubo un brote' : `Hubo ${f.int(r.count)} brotes`) +
        ' en el mes. Revise las políticas de la consola y la segmentación de la red.';
      case 'outdated-definitions': return (r.total === 1 ? 'Un equipo reportó' : `${f.int(r.total)} equipos reportaron`) +
        ' firmas desactualizadas ' +
        `(${list(r.computers.map((c) => quoteConsole(c, 'es', 80)), r.total, (n) => ` y ${n} más`)}). Verifique la conexión a los servidores de ` +
        'actualización.';
      case 'not-connected': return (r.total === 1 ? 'Un equipo no se conecta' : `${f.int(r.total)} equipos no se ` +
        'conectan') + ' con la consola ' +
        `(${list(r.computers.map((c) => quoteConsole(c, 'es', 80)), r.total, (n) => ` y ${n} más`)}). Confirme si siguen en uso y reinstale el agente.`;
      case 'maintenance-expired': return `El mantenimiento de ${r.product} venció el ${f.date(r.expires)}: el ` +
        'soporte del fabricante ya no cubre el producto. Contacte a su CAM para renovarlo.';
      case 'maintenance-expiring': return `El mantenimiento de ${r.product} vence el ${f.date(r.expires)} ` +
        `(en ${f.int(r.daysLeft)} días). Coordine la renovación con su CAM.`;
      case 'response-missed': return `${f.int(r.missed)} de ${f.int(r.opened)} casos ` +
        `${r.missed === 1 ? 'superó' : 'superaron'} el tiempo de ` +
        'respuesta objetivo. Su TAM revisará las causas con usted.';
      case 'low-availability': return `La disponibilidad del agente fue ${f.pct(r.ratio, 1)}. Verifique el ` +
        'servidor donde corre el agente y su salida a Internet.';
    }
  },
  noRecommendations: 'No hay recomendaciones para este mes: el entorno funcionó sin observaciones.',
};
