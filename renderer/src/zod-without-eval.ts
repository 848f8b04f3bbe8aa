/**
 * Imported first by the page's entry (main.tsx): zod otherwise probes `new Function` the first time
 * an object schema parses, which the dashboard's Content-Security-Policy (no 'unsafe-eval')
 * reports as a violation.
 */
import { config } from 'zod';

config({ jitless: true });
