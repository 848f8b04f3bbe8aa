/** Field types shared by several sections of the configuration schema. */
import { z } from 'zod';
import { isAddressOrCidr } from './address-syntax.js';

export const SLUG_PATTERN = /^[a-z0-9-]{1,40}$/;

export const slug = z
  .string()
  .regex(SLUG_PATTERN, 'must be 1–40 characters of a–z, 0–9 and "-"');

export const port = z
  .int('must be a whole number')
  .min(1, 'must be 1–65535')
  .max(65535, 'must be 1–65535');

export const positiveSeconds = z.int('must be a whole number of seconds').min(1, 'must be at least 1 second');

/** An IP address or a CIDR range, IPv4 or IPv6. */
export const addressOrCidr = z.string().refine(isAddressOrCidr, 'must be an IP address or CIDR range such as 10.0.0.0/8 or fd00::/8');
