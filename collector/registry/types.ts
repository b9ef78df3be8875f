// The registry's shapes: customers, their products and designated contacts, and their agents.
import type { Language } from '../../lib/people.js';
import type { PlanId } from '../../config/plans.js';

/** The support plans sold (seed 000): defined with the plan catalogue (config/plans.ts). */
export { PLAN_IDS, type PlanId } from '../../config/plans.js';

/** The vendors whose products a customer may hold. */
export const PRODUCT_VENDORS = ['eset', 'symantec'] as const;
export type ProductVendor = (typeof PRODUCT_VENDORS)[number];

/** A vendor product the customer holds, with the date its maintenance with the vendor ends (support ends then). */
export interface ProductHolding {
  vendor: ProductVendor;
  /** The software title, e.g. "ESET PROTECT Entry", "Symantec Endpoint Protection". */
  product: string;
  /** YYYY-MM-DD, last day of maintenance. */
  maintenanceExpires: string;
}

/** A designated contact: receives alerts, ticket mail and reports for the titles listed. */
export interface Contact {
  id: string;
  name: string;
  email: string;
  phone?: string;
  language: Language;
  /** The software titles (ProductHolding.product) this person is designated for. */
  products: string[];
}

/** A customer of the provider. */
export interface Customer {
  id: string;
  name: string;
  plan: PlanId;
  /** IANA zone; default America/Argentina/Buenos_Aires. */
  timezone: string;
  products: ProductHolding[];
  contacts: Contact[];
  /** Low-risk advisories: gathered in a daily digest (default) or sent at once. */
  advisoryDelivery: 'digest' | 'immediate';
  /** Language of documents addressed to the account as a whole (the monthly report). */
  language: Language;
  createdAt: string;
}

/** An agent enrolled for a customer. Only the token's hash is kept. */
export interface AgentRecord {
  id: string;
  customerId: string;
  name: string;
  tokenHash: string;
  enrolledAt: string;
  revokedAt?: string;
  lastSeenAt?: string;
  /** The last heartbeat, as received. */
  lastHeartbeat?: {
    receivedAt: string;
    agentVersion: string;
    hostname: string;
    outboxDepth: number;
    oldestAgeSeconds: number | null;
    deadLettered: number;
    refusing: boolean;
    receivers: { name: string; healthy: boolean; listening: string; received: number; rejected: number; lastError: string | null }[];
  };
  /** Where content cannot tell, the vendor this customer's console is. */
  vendorHint?: ProductVendor;
}

/** Read access to the registry, as the collector's stages, advisories and reports use it. */
export interface RegistryReader {
  getCustomer(id: string): Customer | undefined;
  listCustomers(): Customer[];
  getAgent(id: string): AgentRecord | undefined;
  listAgents(customerId?: string): AgentRecord[];
}
