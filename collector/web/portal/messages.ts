// The portal's texts in Spanish (es-AR, the default) and English: a contact reads the language of her registry entry,
// or the one she picks in the portal's header. The Spanish table is the reference; the English one must have every key.
import type { Language } from '../../../lib/people.js';

const es = {
  'site': 'Portal del CAS', 'brand': 'Xpears — Portal del CAS', 'switch': 'English',
  'nav.cases': 'Mis casos', 'nav.new': 'Nuevo caso', 'nav.reports': 'Informes', 'nav.advisories': 'Avisos', 'nav.logout': 'Salir',
  'state.open': 'Abierto', 'state.acknowledged': 'En curso', 'state.resolved': 'Resuelto', 'state.closed': 'Cerrado',
  'signin.title': 'Ingresar', 'signin.email': 'Correo electrónico', 'signin.sendLink': 'Enviarme el enlace',
  'signin.sent': 'Si la dirección corresponde a un contacto designado, le enviamos un enlace para ingresar. Vence en pocos minutos y sirve una sola vez.',
  'signin.byLink': 'Ingresar con un enlace por correo', 'signin.byPassword': 'Ingresar con contraseña',
  'signin.password': 'Contraseña', 'signin.submit': 'Ingresar',
  'signin.failed': 'Correo o contraseña incorrectos.', 'signin.throttled': 'Demasiados intentos fallidos. Espere unos minutos.',
  'signin.setTitle': '¿No tiene contraseña o la olvidó?', 'signin.sendSetLink': 'Enviarme un enlace para fijarla',
  'signin.setSent': 'Si la dirección corresponde a un contacto designado, le enviamos un enlace para fijar su contraseña. Vence en pocos minutos y sirve una sola vez.',
  'password.title': 'Fijar la contraseña', 'password.new': 'Nueva contraseña', 'password.repeat': 'Repítala',
  'password.submit': 'Guardar e ingresar', 'password.short': 'La contraseña debe tener al menos {n} caracteres.',
  'password.mismatch': 'Las contraseñas no coinciden.',
  'link.expiredTitle': 'Enlace vencido', 'link.expired': 'El enlace venció o ya se usó.', 'link.again': 'Pida otro',
  'notFound.title': 'No encontrado', 'notFound.case': 'No hay un caso con ese número entre los suyos.',
  'notFound.report': 'No hay un informe con ese número entre los suyos.',
  'forbidden.title': 'Prohibido', 'forbidden.csrf': 'El formulario venció; vuelva a intentarlo.',
  'cases.title': 'Mis casos', 'cases.open': 'Abiertos', 'cases.closed': 'Cerrados', 'cases.none': 'Ninguno.',
  'col.case': 'Caso', 'col.subject': 'Asunto', 'col.state': 'Estado', 'col.priority': 'Prioridad', 'col.opened': 'Abierto',
  'level': 'Nivel {n}', 'level.critical': 'Nivel 1 (crítica)',
  'case.state': 'Estado', 'case.product': 'Producto', 'case.os': 'Sistema operativo', 'case.due': 'Primera respuesta antes de',
  'case.description': 'Descripción', 'case.attachments': 'Adjuntos', 'case.fileFacts': '{size} bytes, SHA-256 {sha}',
  'case.conversation': 'Conversación', 'case.answer': 'Responder', 'case.send': 'Enviar respuesta', 'case.close': 'Cerrar el caso',
  'case.reopen': 'Reabrir el caso', 'case.attach': 'Adjuntar archivos (hasta {size} cada uno; no se aceptan ejecutables)',
  'new.title': 'Nuevo caso', 'new.vendor': 'Fabricante', 'new.subject': 'Asunto', 'new.description': 'Descripción',
  'new.product': 'Producto', 'new.version': 'Versión', 'new.os': 'Sistema operativo', 'new.osVersion': 'Versión del SO',
  'new.priority': 'Prioridad', 'new.submit': 'Abrir el caso',
  'refused.title': 'No registramos nada: estos archivos no se aceptan.', 'refused.hint': 'Quítelos (o envíe un ZIP sin ejecutables) y vuelva a enviar.',
  'reports.title': 'Informes mensuales', 'reports.none': 'Todavía no hay informes.',
  'advisories.title': 'Avisos de seguridad', 'advisories.none': 'No le enviamos avisos todavía.',
};

/** A portal message key. */
export type PortalKey = keyof typeof es;

const en: Record<PortalKey, string> = {
  'site': 'CAS portal', 'brand': 'Xpears — CAS portal', 'switch': 'Español',
  'nav.cases': 'My cases', 'nav.new': 'New case', 'nav.reports': 'Reports', 'nav.advisories': 'Advisories', 'nav.logout': 'Sign out',
  'state.open': 'Open', 'state.acknowledged': 'In progress', 'state.resolved': 'Resolved', 'state.closed': 'Closed',
  'signin.title': 'Sign in', 'signin.email': 'E-mail address', 'signin.sendLink': 'Send me the link',
  'signin.sent': 'If the address belongs to a designated contact, we sent it a sign-in link. It expires in a few minutes and works once.',
  'signin.byLink': 'Sign in with a link by mail', 'signin.byPassword': 'Sign in with a password',
  'signin.password': 'Password', 'signin.submit': 'Sign in',
  'signin.failed': 'Wrong e-mail address or password.', 'signin.throttled': 'Too many failed attempts. Wait a few minutes.',
  'signin.setTitle': 'No password yet, or forgot it?', 'signin.sendSetLink': 'Send me a link to set it',
  'signin.setSent': 'If the address belongs to a designated contact, we sent it a link to set the password. It expires in a few minutes and works once.',
  'password.title': 'Set your password', 'password.new': 'New password', 'password.repeat': 'Repeat it',
  'password.submit': 'Save and sign in', 'password.short': 'The password must have at least {n} characters.',
  'password.mismatch': 'The passwords do not match.',
  'link.expiredTitle': 'Link expired', 'link.expired': 'The link expired or was used already.', 'link.again': 'Ask for another',
  'notFound.title': 'Not found', 'notFound.case': 'None of your cases has that number.',
  'notFound.report': 'None of your reports has that number.',
  'forbidden.title': 'Forbidden', 'forbidden.csrf': 'The form expired; try again.',
  'cases.title': 'My cases', 'cases.open': 'Open', 'cases.closed': 'Closed', 'cases.none': 'None.',
  'col.case': 'Case', 'col.subject': 'Subject', 'col.state': 'State', 'col.priority': 'Priority', 'col.opened': 'Opened',
  'level': 'Level {n}', 'level.critical': 'Level 1 (critical)',
  'case.state': 'State', 'case.product': 'Product', 'case.os': 'Operating system', 'case.due': 'First response due by',
  'case.description': 'Description', 'case.attachments': 'Attachments', 'case.fileFacts': '{size} bytes, SHA-256 {sha}',
  'case.conversation': 'Conversation', 'case.answer': 'Answer', 'case.send': 'Send the answer', 'case.close': 'Close the case',
  'case.reopen': 'Reopen the case', 'case.attach': 'Attach files (up to {size} each; no executables)',
  'new.title': 'New case', 'new.vendor': 'Vendor', 'new.subject': 'Subject', 'new.description': 'Description',
  'new.product': 'Product', 'new.version': 'Version', 'new.os': 'Operating system', 'new.osVersion': 'OS version',
  'new.priority': 'Priority', 'new.submit': 'Open the case',
  'refused.title': 'Nothing was recorded: these files are not accepted.', 'refused.hint': 'Remove them (or send a ZIP without executables) and send again.',
  'reports.title': 'Monthly reports', 'reports.none': 'No reports yet.',
  'advisories.title': 'Security advisories', 'advisories.none': 'We have not sent you advisories yet.',
};

const TABLES: Record<Language, Record<PortalKey, string>> = { es, en };

/** Every key, for the tests that check both tables. */
export const PORTAL_KEYS = Object.keys(es) as PortalKey[];

/** A portal text in a language; `{name}` placeholders filled from params (escaped by the html`` that renders it). */
export function pt(language: Language, key: PortalKey, params: Record<string, string | number> = {}): string {
  return TABLES[language][key].replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? `{${name}}`));
}

/** The language a form or query names ('en' or the default 'es'). */
export function portalLanguage(value: unknown): Language {
  return value === 'en' ? 'en' : 'es';
}
