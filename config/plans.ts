// The plan catalogue: what each support plan promises. Basic and Managed targets are the manuals' own
// (seed 001, 002); Advanced and Premium are not published, so their defaults are documented assumptions
// (docs/decisions.md) and every value can be overridden in the collector's configuration.

/** The support plans sold (seed 000). */
export const PLAN_IDS = ['basic', 'advanced', 'managed', 'premium'] as const;
export type PlanId = (typeof PLAN_IDS)[number];

/** The cases a response target is given for: a threat incident and the four severities. */
export const CASE_KINDS = ['threat-incident', 'severity-1', 'severity-2', 'severity-3', 'severity-4'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** What one plan promises. */
export interface Plan {
  id: PlanId;
  /** Name as the provider sells it. */
  name: string;
  /** Response target per case, in minutes of business time (or of clock time when `allHours`). */
  responseMinutes: Record<CaseKind, number>;
  /** Premium: 7x24 attention, the target clock never stops. */
  allHours: boolean;
  /** Designated contacts allowed per software title. */
  contactsPerProduct: number;
  /** The monthly technical report is part of the plan. */
  monthlyReport: boolean;
}

/** The shipped catalogue. */
export const DEFAULT_PLANS: Readonly<Record<PlanId, Plan>> = Object.freeze({
  basic: {
    id: 'basic', name: 'Basic', allHours: false, contactsPerProduct: 2, monthlyReport: false,
    // Seed 002 (ESET, Basic): 1 h, 2 h, 6 h, 12 h, 24 h.
    responseMinutes: { 'threat-incident': 60, 'severity-1': 120, 'severity-2': 360, 'severity-3': 720, 'severity-4': 1440 },
  },
  advanced: {
    id: 'advanced', name: 'Advanced', allHours: false, contactsPerProduct: 3, monthlyReport: false,
    // Assumption: between Basic and Managed (not published).
    responseMinutes: { 'threat-incident': 45, 'severity-1': 90, 'severity-2': 240, 'severity-3': 480, 'severity-4': 1200 },
  },
  managed: {
    id: 'managed', name: 'Managed Services', allHours: false, contactsPerProduct: 4, monthlyReport: true,
    // Seed 001 (Symantec, Managed Services): 30 min, 1 h, 3 h, 6 h, 16 h.
    responseMinutes: { 'threat-incident': 30, 'severity-1': 60, 'severity-2': 180, 'severity-3': 360, 'severity-4': 960 },
  },
  premium: {
    id: 'premium', name: 'Premium', allHours: true, contactsPerProduct: 6, monthlyReport: true,
    // Assumption: Managed's targets, counted 7x24 (Premium is Managed plus 7x24 attention).
    responseMinutes: { 'threat-incident': 30, 'severity-1': 60, 'severity-2': 180, 'severity-3': 360, 'severity-4': 960 },
  },
});

/** Partial overrides of the catalogue, as the configuration gives them. */
export type PlanOverrides = Partial<Record<PlanId, Partial<Omit<Plan, 'id' | 'responseMinutes'>> & {
  responseMinutes?: Partial<Record<CaseKind, number>>;
}>>;

/** The catalogue with the configuration's overrides applied. */
export function resolvePlans(overrides: PlanOverrides = {}): Readonly<Record<PlanId, Plan>> {
  const out = {} as Record<PlanId, Plan>;
  for (const [id, plan] of Object.entries(DEFAULT_PLANS) as [PlanId, Plan][]) {
    const o = overrides[id] ?? {};
    out[id] = { ...plan, ...o, id, responseMinutes: { ...plan.responseMinutes, ...(o.responseMinutes ?? {}) } };
  }
  return Object.freeze(out);
}
