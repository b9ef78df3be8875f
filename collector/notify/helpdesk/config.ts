// Settings of the provider's help-desk mailbox (the CAS's soporte@…), where a case e-mail opens a case.
import { z } from 'zod';

/** The CAS mailbox that case e-mails go to. */
export const helpdeskConfigSchema = z.strictObject({
  mailbox: z.email(),
});

/** Validated help-desk settings. */
export type HelpdeskConfig = z.infer<typeof helpdeskConfigSchema>;
