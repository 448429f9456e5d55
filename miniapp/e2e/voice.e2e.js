// Voice notes in the H5 build (issue 15, "Elderly first"): H5 cannot record one (WeChat's recorder
// does) and says so on the form, in both text sizes; a voice note recorded in WeChat (sent here
// through the API, as the mini-program's upload would) plays on the resident's wish page and on
// the committee's desk.
const { useH5Session } = require('./harness');

const s = useH5Session();
const { P, shot, loginAs, openApp } = s;

/** Five seconds of silent MPEG-1 Layer III at 32 kbps, frame by frame, as an encoder writes it. */
function mp3(seconds) {
  const frame = Buffer.alloc(104);
  frame.set([0xff, 0xfb, 0x10, 0xc4]);
  return Buffer.concat(Array.from({ length: Math.round((seconds * 44100) / 1152) }, () => frame));
}

async function apiAs(openid) {
  const call = await s.apiAs(openid);
  return { token: call.token, call };
}

test('H5 says recording is done in WeChat (large text too); a recorded voice note plays for the resident and on the desk', async () => {
  // --- the form: the hint, at both text sizes ---
  await loginAs('居民 · 王秀兰');
  await P().getByRole('button', { name: /^提交心愿/ }).click();
  const hint = P().getByText(/语音留言请在微信小程序中录制/);
  await hint.waitFor();
  const normal = await hint.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  await hint.scrollIntoViewIfNeeded();
  await shot('voice-01-form-h5');
  await s.page.goBack();
  await P().getByRole('button', { name: /^设置/ }).click();
  await P().getByRole('switch', { name: /大字模式/ }).click();
  await P().getByRole('switch', { name: /大字模式/, checked: true }).waitFor();
  await s.page.goBack();
  await P().getByRole('button', { name: /^提交心愿/ }).click();
  const large = await P().getByText(/语音留言请在微信小程序中录制/).evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  expect(large).toBeGreaterThan(normal);
  process.stdout.write(`voice note hint: ${normal}px, large-text mode ${large}px\n`);

  // --- a wish with a voice note, as the WeChat build sends it ---
  const resident = await apiAs('demo-resident');
  const me = await resident.call('GET', '/me');
  const communityId = me.roles.find((g) => g.role === 'resident').orgId;
  const [compound] = await resident.call('GET', `/orgs?kind=compound&parentId=${communityId}`);
  const form = new FormData();
  form.append('file', new Blob([mp3(5)], { type: 'audio/mpeg' }), 'voice.mp3');
  const up = await fetch(`${s.server.base}/api/voice-notes`, { method: 'POST', headers: { authorization: `Bearer ${resident.token}` }, body: form });
  expect(up.status).toBe(201);
  const note = await up.json();
  const wish = await resident.call('POST', '/wishes', { communityId, compoundId: compound.id, category: 'elderly_care', title: '想请人帮忙取药', description: '（语音留言）', beneficiaryName: '王秀兰', beneficiaryPhone: '13897001111', address: '2号楼3单元402', forSelf: true, voiceNoteId: note.id });

  // --- the resident plays it on the wish's page ---
  await openApp(`/pages/wish/detail/index?id=${wish.id}`);
  const play = P().getByRole('button', { name: '▶ 播放语音 0:05' });
  await play.click();
  await P().getByRole('button', { name: '■ 停止播放 0:05' }).waitFor();
  await shot('voice-02-detail-playing');
  // The browser fetched the recording through its signed URL, and nothing says it failed.
  await s.page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /\/api\/photos\/[0-9a-f-]{36}\/content/.test(e.name)));
  expect(await P().getByText('语音播放失败，请稍后再试').count()).toBe(0);
  await P().getByRole('button', { name: /播放语音 0:05/ }).waitFor({ timeout: 10000 });

  // --- the committee hears it on its desk ---
  await loginAs('社区党委 · 北小街社区党委');
  await openApp(`/subpackages/committee/pages/wish/index?id=${wish.id}`);
  await P().getByRole('button', { name: '▶ 播放语音 0:05' }).waitFor();
  await shot('voice-03-desk');
});
