/**
 * The local Sonar server (dev/sonar-server) is written independently of lib/api.ts, so that a wrong path in
 * the app's table fails the e2e suite instead of being mirrored. This test keeps the two in step the other
 * way: every endpoint of the API table must be routed by the server.
 */
import { API_PREFIX, ENDPOINTS } from '../lib/api.js';
import { ROUTES, matchRoute } from '../dev/sonar-server/server.ts';

describe('local Sonar server routes', () => {
  it.each(Object.entries(ENDPOINTS))('routes %s', (_name, endpoint) => {
    const path = `${API_PREFIX}${endpoint.path.replace(/:[a-z_]+/g, '42')}`;
    const match = matchRoute(endpoint.method, path);
    expect(match).toBeDefined();
    expect(match?.route.devOnly).toBeFalsy();
  });

  it('routes nothing else of Sonar (each server route is in the API table)', () => {
    const table = Object.values(ENDPOINTS).map((e) => `${e.method} ${e.path}`);
    const served = ROUTES.filter((r) => !r.devOnly).map((r) => `${r.method} ${r.path}`);
    expect(served.sort()).toEqual(table.sort());
  });

  it('does not route a path that is not in the table', () => {
    expect(matchRoute('GET', `${API_PREFIX}/customer`)).toBeUndefined();
    expect(matchRoute('PUT', `${API_PREFIX}/customers`)).toBeUndefined();
    expect(matchRoute('DELETE', `${API_PREFIX}/webhooks`)).toBeUndefined();
  });
});
