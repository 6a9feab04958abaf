import { describe, expect, it } from 'vitest';
import { ClientError } from '../../api/client';
import { remoteAppsProblem } from './remoteApps';

describe('remoteAppsProblem', () => {
  it('a 401 names the profile and says to renew the token', () => {
    const m = remoteAppsProblem('inaf', new ClientError({ code: 'jobs.authFailed', message: 'GET /apps: 401 Unauthorized' }));
    expect(m).toMatch(/profile 'inaf'/);
    expect(m).toMatch(/refused the credentials/);
    expect(m).toMatch(/Paste a new token/);
    expect(m).toMatch(/GET \/apps: 401/);
  });

  it('an unreachable service says to check the URL', () => {
    const m = remoteAppsProblem('inaf', new ClientError({ code: 'jobs.backendUnreachable', message: 'connect ECONNREFUSED 127.0.0.1:9' }));
    expect(m).toMatch(/could not be reached/);
    expect(m).toMatch(/Check the profile URL/);
    expect(m).toMatch(/ECONNREFUSED/);
  });
});
