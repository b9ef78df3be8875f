// The words of the console's Customers pages, in Spanish (es-AR, the default) and English, and the sentence for
// each registry refusal (collector/registry/validate.ts), so a lead reads why an edit was refused in their language.
// Kept beside the pages so the shared catalogues only carry the navigation entry.
import type { Language } from '../../notify/types.js';
import type { Refusal, RefusalReason } from '../../registry/validate.js';

const es = {
  title: 'Clientes', customer: 'Cliente', plan: 'Plan', products: 'Productos', contacts: 'Contactos designados', agents: 'Agentes',
  limit: 'hasta {n} contactos por producto', expiring: 'vence en menos de 60 días', expired: 'mantenimiento vencido',
  id: 'Id', name: 'Nombre', language: 'Idioma', zone: 'Zona horaria', delivery: 'Avisos de riesgo bajo', digest: 'resumen diario', immediate: 'al momento',
  vendor: 'Fabricante', productTitle: 'Producto (título del fabricante)', maintenance: 'Fin del mantenimiento', email: 'Correo', phone: 'Teléfono',
  designated: 'Designado para', general: 'contacto general (ningún producto)', enrolled: 'Enrolado', revoked: 'revocado {at}', active: 'activo',
  newCustomer: 'Nuevo cliente', create: 'Crear cliente', settings: 'Datos y plan', save: 'Guardar', addProduct: 'Agregar producto', add: 'Agregar',
  setMaintenance: 'Cambiar vencimiento', removeProduct: 'Quitar producto', addContact: 'Agregar contacto designado', editContact: 'Guardar contacto',
  removeContact: 'Quitar contacto', enrol: 'Enrolar un agente', revoke: 'Revocar agente', edit: 'Editar',
  planNote: 'Cambiar el plan rige para los tickets que se abran desde ahora; los abiertos conservan su vencimiento (un cambio de severidad lo recalcula con el plan vigente).',
  productNote: 'Elija un título conocido de la lista o escriba otro; quitar un producto quita también las designaciones de sus contactos.',
  contactNote: 'Sin productos marcados, un contacto nuevo queda designado para todos; uno existente pasa a contacto general.',
  idHint: 'minúsculas, dígitos y guiones', noCustomers: 'Todavía no hay clientes.', none: '(ninguno)', back: 'Volver a clientes',
  readOnly: 'Su rol puede ver esta página; los cambios corresponden a los líderes.',
  tokenOnce: 'El token del agente se muestra una sola vez (solo se guarda su hash): cópielo ahora en la configuración del agente.',
  'done.customer': 'Cliente creado.', 'done.settings': 'Datos del cliente guardados.', 'done.product': 'Producto agregado.',
  'done.maintenance': 'Vencimiento cambiado.', 'done.productRemoved': 'Producto quitado.', 'done.contact': 'Contacto agregado.',
  'done.contactUpdated': 'Contacto guardado.', 'done.contactRemoved': 'Contacto quitado.', 'done.revoked': 'Agente revocado: su token dejó de valer.',
  refused: 'No se guardó: {why}',
  'why.customerId': 'el id "{id}" no sirve: use minúsculas, dígitos y guiones (hasta 64).',
  'why.customerExists': 'ya existe un cliente con el id "{id}".', 'why.customerNotFound': 'no hay un cliente con el id "{id}".',
  'why.name': 'el nombre debe tener entre 1 y {max} caracteres.', 'why.plan': 'el plan "{plan}" no existe (planes: {plans}).',
  'why.language': 'el idioma debe ser es o en.', 'why.timezone': '"{zone}" no es una zona horaria IANA (por ejemplo America/Argentina/Buenos_Aires).',
  'why.vendor': 'el fabricante debe ser uno de: {vendors}.', 'why.title': 'el título del producto debe tener entre 1 y {max} caracteres.',
  'why.date': '"{date}" no es una fecha (AAAA-MM-DD).', 'why.productSpec': 'el producto no se entiende.',
  'why.productExists': 'el cliente ya tiene "{title}".', 'why.productNotHeld': 'el cliente no tiene "{title}".',
  'why.noProducts': 'el cliente todavía no tiene productos: agregue uno primero.', 'why.email': '"{email}" no es una dirección de correo.',
  'why.phone': '"{phone}" no es un número de teléfono.',
  'why.contactLimit': 'el plan {plan} permite {limit} contactos designados para "{title}" y ya hay {count}; quite uno primero.',
  'why.planLimit': 'el plan {plan} permite {limit} contactos designados para "{title}" y hay {count}; quite contactos antes de cambiar el plan.',
  'why.contactNotFound': 'no hay un contacto con el id "{id}".', 'why.agentNotFound': 'este cliente no tiene un agente "{id}".',
  'why.locked': 'otra persona está editando el registro; intente de nuevo.', 'why.delivery': 'la entrega debe ser resumen diario o al momento.',
} as const;

// Fails to compile when a registry rule has no sentence here.
type EveryRefusalSaid = { [R in RefusalReason]: (typeof es)[`why.${R}`] };
export type { EveryRefusalSaid };

/** A key of the pages' catalogue. */
export type CustomersKey = keyof typeof es;

const en: Record<CustomersKey, string> = {
  title: 'Customers', customer: 'Customer', plan: 'Plan', products: 'Products', contacts: 'Designated contacts', agents: 'Agents',
  limit: 'up to {n} contacts per product', expiring: 'ends within 60 days', expired: 'maintenance ended',
  id: 'Id', name: 'Name', language: 'Language', zone: 'Time zone', delivery: 'Low-risk advisories', digest: 'daily digest', immediate: 'at once',
  vendor: 'Vendor', productTitle: "Product (vendor's title)", maintenance: 'Maintenance ends', email: 'E-mail', phone: 'Phone',
  designated: 'Designated for', general: 'general contact (no product)', enrolled: 'Enrolled', revoked: 'revoked {at}', active: 'active',
  newCustomer: 'New customer', create: 'Create customer', settings: 'Details and plan', save: 'Save', addProduct: 'Add product', add: 'Add',
  setMaintenance: 'Change end date', removeProduct: 'Remove product', addContact: 'Add designated contact', editContact: 'Save contact',
  removeContact: 'Remove contact', enrol: 'Enrol an agent', revoke: 'Revoke agent', edit: 'Edit',
  planNote: 'A plan change applies to tickets opened from now on; open tickets keep their due time (a severity change recomputes it with the plan in force).',
  productNote: "Pick a known title from the list or type another; removing a product also removes its contacts' designations.",
  contactNote: 'With no product ticked, a new contact is designated for all of them; an existing one becomes a general contact.',
  idHint: 'lowercase letters, digits and dashes', noCustomers: 'No customers yet.', none: '(none)', back: 'Back to customers',
  readOnly: 'Your role may view this page; changes are for leads.',
  tokenOnce: "The agent's token is shown once (only its hash is kept): copy it into the agent's configuration now.",
  'done.customer': 'Customer created.', 'done.settings': "Customer's details saved.", 'done.product': 'Product added.',
  'done.maintenance': 'End date changed.', 'done.productRemoved': 'Product removed.', 'done.contact': 'Contact added.',
  'done.contactUpdated': 'Contact saved.', 'done.contactRemoved': 'Contact removed.', 'done.revoked': 'Agent revoked: its token no longer works.',
  refused: 'Not saved: {why}',
  'why.customerId': 'the id "{id}" will not do: use lowercase letters, digits and dashes (up to 64).',
  'why.customerExists': 'a customer with the id "{id}" exists already.', 'why.customerNotFound': 'no customer has the id "{id}".',
  'why.name': 'a name must have 1 to {max} characters.', 'why.plan': 'there is no plan "{plan}" (plans: {plans}).',
  'why.language': 'the language must be es or en.', 'why.timezone': '"{zone}" is not an IANA time zone (e.g. America/Argentina/Buenos_Aires).',
  'why.vendor': 'the vendor must be one of: {vendors}.', 'why.title': 'a product title must have 1 to {max} characters.',
  'why.date': '"{date}" is not a date (YYYY-MM-DD).', 'why.productSpec': 'the product is not understood.',
  'why.productExists': 'the customer holds "{title}" already.', 'why.productNotHeld': 'the customer does not hold "{title}".',
  'why.noProducts': 'the customer holds no product yet: add one first.', 'why.email': '"{email}" is not an e-mail address.',
  'why.phone': '"{phone}" is not a phone number.',
  'why.contactLimit': 'the {plan} plan allows {limit} designated contacts for "{title}", and there are {count} already; remove one first.',
  'why.planLimit': 'the {plan} plan allows {limit} designated contacts for "{title}", and there are {count}; remove contacts before changing the plan.',
  'why.contactNotFound': 'no contact has the id "{id}".', 'why.agentNotFound': 'this customer has no agent "{id}".',
  'why.locked': 'someone else is editing the registry; try again.', 'why.delivery': 'the delivery must be daily digest or at once.',
};

const CATALOGUES: Record<Language, Record<CustomersKey, string>> = { es, en };

/** A sentence of the Customers pages; `{name}` placeholders filled from params (escaped by the html`` that shows it). */
export function ct(language: Language, key: CustomersKey, params: Record<string, string | number> = {}): string {
  const text: string = CATALOGUES[language][key] ?? es[key];
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? `{${name}}`));
}

/** Why the registry refused an edit, in the reader's language. */
export function refusalText(language: Language, refusal: Refusal): string {
  const key: CustomersKey = `why.${refusal.reason}`;
  return ct(language, 'refused', { why: ct(language, key, refusal.params) });
}
