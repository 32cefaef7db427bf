import { describe, expect, it } from 'vitest';
import { authorize, isMutation, type PodAction, RBAC_ATTRIBUTES } from './authorize';
import type { Principal } from './principal';

const ciBot: Principal = { name: 'ci-bot', role: 'view', namespaces: ['staging'], via: 'token' };
const editor: Principal = { name: 'dev', role: 'edit', namespaces: ['default'], via: 'jwt' };
const admin: Principal = { name: 'root', role: 'admin', namespaces: '*', via: 'token' };
const ALL = Object.keys(RBAC_ATTRIBUTES) as PodAction[];

describe('authorize', () => {
  it('lets view read and nothing more, in its namespaces', () => {
    const allowed = ALL.filter((a) => authorize(ciBot, a, 'staging').allowed);
    expect(allowed).toEqual([
      'get',
      'list',
      'watch',
      'log',
      'get-events',
      'list-events',
      'watch-events',
    ]);
  });

  it('lets edit do everything in its namespaces only', () => {
    expect(ALL.every((a) => authorize(editor, a, 'default').allowed)).toBe(true);
    expect(ALL.some((a) => authorize(editor, a, 'staging').allowed)).toBe(false);
  });

  it('lets admin do everything everywhere, including across namespaces', () => {
    for (const ns of ['default', 'staging', 'anything', undefined]) {
      expect(ALL.every((a) => authorize(admin, a, ns).allowed)).toBe(true);
    }
  });

  it('words a refused patch as the apiserver does', () => {
    expect(authorize(ciBot, 'patch', 'staging')).toEqual({
      allowed: false,
      reason:
        'User "ci-bot" cannot patch resource "pods" in API group "" in the namespace "staging"',
    });
  });

  it('refuses a grant for namespace A used on B', () => {
    expect(authorize(editor, 'get', 'staging')).toEqual({
      allowed: false,
      reason: 'User "dev" cannot get resource "pods" in API group "" in the namespace "staging"',
    });
  });

  it('needs a cluster-wide grant to list every namespace', () => {
    expect(authorize(editor, 'list', undefined)).toEqual({
      allowed: false,
      reason: 'User "dev" cannot list resource "pods" in API group "" at the cluster scope',
    });
    const everywhere: Principal = { ...ciBot, namespaces: '*' };
    expect(authorize(everywhere, 'list', undefined).allowed).toBe(true);
  });

  it('names subresources in refusals', () => {
    const outsider: Principal = { ...ciBot, namespaces: [] };
    expect(authorize(outsider, 'log', 'staging')).toMatchObject({
      reason:
        'User "ci-bot" cannot get resource "pods/log" in API group "" in the namespace "staging"',
    });
    expect(authorize(ciBot, 'exec', 'staging')).toMatchObject({
      reason:
        'User "ci-bot" cannot create resource "pods/exec" in API group "" in the namespace "staging"',
    });
    expect(authorize(ciBot, 'attach', 'staging')).toMatchObject({
      reason:
        'User "ci-bot" cannot create resource "pods/attach" in API group "" in the namespace "staging"',
    });
    expect(authorize(ciBot, 'stop', 'staging')).toMatchObject({
      reason:
        'User "ci-bot" cannot create resource "pods/stop" in API group "" in the namespace "staging"',
    });
  });

  it('calls exactly the writing actions mutations (exec and attach too: they are audited)', () => {
    expect(ALL.filter(isMutation)).toEqual([
      'create',
      'update',
      'patch',
      'delete',
      'deletecollection',
      'start',
      'stop',
      'exec',
      'attach',
    ]);
  });
});
