/** The logs section of the configuration: where log files go, and which are kept for how long. */
import { z } from 'zod';

const retentionDays = z.int('must be a whole number of days').min(1, 'must be 1–3650 days').max(3650, 'must be 1–3650 days');

export const logsSchema = z.strictObject({
  /** Folder for log files; a `logs` folder next to the config file when omitted. */
  directory: z.string().min(1, 'must name a folder').optional(),
  accessLog: z
    .strictObject({
      enabled: z.boolean('must be true or false').default(false),
      retentionDays: retentionDays.default(30),
    })
    .default({ enabled: false, retentionDays: 30 }),
  eventLog: z
    .strictObject({
      enabled: z.boolean('must be true or false').default(true),
      retentionDays: retentionDays.default(30),
    })
    .default({ enabled: true, retentionDays: 30 }),
});
