/**
 * Who is calling, once authentication has succeeded.
 *
 * A principal carries its grant with it: a role and the namespaces the role applies to.
 * `admin` always applies to every namespace (`'*'`).
 */

export const ROLES = ['view', 'edit', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** The user name shown in 403 messages and audit lines: a token's name or the JWT's user claim. */
  name: string;
  role: Role;
  /** `'*'` for every namespace, otherwise the namespaces the role applies to. */
  namespaces: '*' | readonly string[];
  via: 'token' | 'jwt';
}

/** The namespaces a role and a configured list grant: admin is cluster-wide whatever the list says. */
export function grantedNamespaces(role: Role, namespaces: readonly string[]): '*' | string[] {
  if (role === 'admin' || namespaces.includes('*')) return '*';
  return [...new Set(namespaces)];
}
