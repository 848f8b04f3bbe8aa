/**
 * Imported before the configuration schema: zod otherwise probes `new Function` when the schema
 * is built, which the dashboard's Content-Security-Policy (no 'unsafe-eval') reports as a violation.
 */
import { config } from 'zod';

config({ jitless: true });
