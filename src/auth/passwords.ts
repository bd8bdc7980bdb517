import { Algorithm, hash, verify } from '@node-rs/argon2';
import { COMMON_PASSWORDS } from './common-passwords.ts';

export const MIN_PASSWORD_LENGTH = 12;

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane)
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

/** How many password hashes this process has checked (the sign-in race test and the probes read it). */
export const hashChecks = { count: 0 };

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  hashChecks.count += 1;
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

// A real hash to verify against when the email is unknown, so timing does not tell whether it exists.
let dummy: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword('not-a-real-password-' + Math.random());
  await verifyPassword(await dummy, password);
  return false;
}

/** The password policy; returns a message for the person, or null when the password is fine. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 256) return 'must be at most 256 characters';
  const folded = password.toLowerCase();
  if (COMMON_PASSWORDS.has(folded) || /^(.)\1+$/.test(password)) return 'is one of the most common passwords; choose another';
  return null;
}
