// The wire paths an agent posts to: shared by the agent's client and the collector's routes.

/** Where an agent posts a batch of envelopes (body: envelopeBatchSchema). */
export const ENVELOPES_PATH = '/v1/envelopes';

/** Where an agent posts its heartbeat (body: heartbeatSchema). */
export const HEARTBEATS_PATH = '/v1/heartbeats';
