// The mail that carries the monthly report to each designated contact, in the contact's language.
import { defineTemplate } from '../../collector/notify/template.js';

/** The monthly report mail; the PDF goes as an attachment. */
export const monthlyReportMail = defineTemplate({
  id: 'reports/monthly',
  variables: ['contact.name', 'customer.name', 'month.label', 'provider', 'figures.occurrences', 'figures.threats',
    'figures.unhandled', 'attachment'],
  es: {
    subject: 'Informe técnico mensual de {{month.label}} — {{customer.name}}',
    text: `Hola, {{contact.name}}:

Adjuntamos el informe técnico mensual de {{customer.name}} correspondiente a {{month.label}} ({{attachment}}).

En resumen: {{figures.occurrences}} eventos registrados, {{figures.threats}} amenazas detectadas y {{figures.unhandled}} sin resolver por el producto. El informe detalla los eventos por día, tipo y severidad, los equipos y amenazas más frecuentes, los casos de soporte, los avisos de seguridad enviados y nuestras recomendaciones.

Ante cualquier consulta, responda a este correo o abra un caso en el CAS.

Saludos,
{{provider}}
`,
  },
  en: {
    subject: 'Monthly technical report for {{month.label}} — {{customer.name}}',
    text: `Hello {{contact.name}},

Please find attached the monthly technical report of {{customer.name}} for {{month.label}} ({{attachment}}).

In short: {{figures.occurrences}} events recorded, {{figures.threats}} threats detected and {{figures.unhandled}} left unresolved by the product. The report details events per day, type and severity, the most frequent computers and threats, support cases, the security advisories sent and our recommendations.

For any question, reply to this e-mail or open a case with the help desk.

Best regards,
{{provider}}
`,
  },
});

/** Every template of the reports module, for the notification template registry (registerTemplates). */
export const reportTemplates = [monthlyReportMail] as const;
