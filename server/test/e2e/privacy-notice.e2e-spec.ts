// GET /api/privacy/notice: the deployment's facts the privacy notice names (PIPL Art. 17):
// the handler and its contact, and the retention periods the jobs apply.
import { createTestApp, type TestApp } from '../create-test-app';

describe('the privacy notice facts, over HTTP', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('names the configured handler, contact and retention periods, without a login', async () => {
    t = await createTestApp({ OPERATOR_NAME: '西宁市城中区人民街街道党工委', OPERATOR_CONTACT: '0971-8123456', RETENTION_DAYS: '90', UPLOAD_ORPHAN_HOURS: '12' });
    const r = await t.http.get('/api/privacy/notice');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      version: '2026-12-01',
      operator: { name: '西宁市城中区人民街街道党工委', contact: '0971-8123456' },
      retention: { closedWishDays: 90, endedRegistrationDays: 90, unattachedUploadHours: 12 },
    });
  });

  it('says null where the deployment has not named them, with the default periods', async () => {
    t = await createTestApp();
    const r = await t.http.get('/api/privacy/notice');
    expect(r.body).toEqual({ version: '2026-12-01', operator: { name: null, contact: null }, retention: { closedWishDays: 180, endedRegistrationDays: 180, unattachedUploadHours: 24 } });
  });
});
