/** The names of the files the access log and the event log write, e.g. to check their permissions. */
import { ACCESS_LOG_PREFIX } from './access-log.js';
import { EVENT_LOG_PREFIX } from './event-log.js';

export const GATEWAY_LOG_FILE_NAME = new RegExp(`^(${ACCESS_LOG_PREFIX}|${EVENT_LOG_PREFIX})_\\d{8}\\.log$`);
