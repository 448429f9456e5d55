// Issue 15, "Photos that survive phones" and "Elderly first", in Chromium on a phone-sized screen:
// large-text mode on the submit form (the text area's computed font size in both modes), a large
// phone photo compressed in the browser and uploaded upright, a failed upload holding the form back
// until it is retried or removed, and H5's title bar with its back button.
const fs = require('node:fs');
const path = require('node:path');
const { useH5Session } = require('./harness');

const s = useH5Session();
const { P, shot, openApp, loginAs } = s;

const FIGURES = path.join(__dirname, 'screenshots', 'photos.json');
const figures = {};
afterAll(() => fs.writeFileSync(FIGURES, JSON.stringify(figures, null, 2) + '\n'));

const button = (name) => P().getByRole('button', { name, exact: true });

async function openSubmitForm() {
  await P().getByRole('button', { name: /^提交心愿/ }).click();
  await P().getByRole('radio', { name: '康乐小区' }).waitFor();
}

/** Font sizes (px) the person reads on the submit form: the real <textarea>, the real <input>, a photo tile's words. */
async function formSizes() {
  const px = (loc) => loc.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  return {
    textarea: await px(P().getByLabel('具体情况', { exact: true })),
    input: await px(P().getByLabel('心愿标题', { exact: true })),
    photoTile: await px(P().getByRole('button', { name: /添加照片/ }).getByText('添加照片')),
  };
}

test('large-text mode reaches the text area, the inputs and the photo tiles of the submit form', async () => {
  await loginAs('居民 · 王秀兰');
  await openSubmitForm();
  const normal = await formSizes();
  await openApp();
  await P().getByRole('button', { name: /^设置/ }).click();
  await P().getByRole('switch', { name: /大字模式/ }).click();
  await P().locator('.xy-page--large').waitFor();
  await openApp();
  await P().locator('.xy-page--large').waitFor();
  await openSubmitForm();
  await P().getByLabel('具体情况', { exact: true }).fill('家里老人腿脚不便，想请人帮忙把阳台的旧柜子搬下楼。');
  const large = await formSizes();
  await shot('photos-01-submit-large-text');
  figures.fontSizePx = { normal, large };
  process.stdout.write(`submit form font sizes (px): ${JSON.stringify(figures.fontSizePx)}\n`);
  // The browser's bare <textarea> is 13.3px: the field's size (20px, 26px in large-text mode) must reach it.
  expect(normal.textarea).toBeGreaterThanOrEqual(17);
  expect(large.textarea).toBeGreaterThan(normal.textarea * 1.2);
  expect(large.input).toBeGreaterThan(normal.input * 1.2);
  expect(large.photoTile).toBeGreaterThan(normal.photoTile * 1.2);
  // Back to the normal size for the next tests.
  await openApp();
  await P().getByRole('button', { name: /^设置/ }).click();
  await P().getByRole('switch', { name: /大字模式/, checked: true }).click();
  await P().locator('.xy-page--large').waitFor({ state: 'detached' });
});

/**
 * A ~7 MB photo as a phone takes it: 4032 × 3024 JPEG stored sideways with EXIF orientation 6
 * ("turn right to view"), so upright it is portrait. The stored top-left quarter is red: upright,
 * red is at the top right.
 */
async function phonePhoto() {
  const jpeg = await s.page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 4032;
    c.height = 3024;
    const ctx = c.getContext('2d');
    const img = ctx.createImageData(c.width, c.height);
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) {
        const i = (y * c.width + x) * 4;
        const red = x < c.width / 2 && y < c.height / 2;
        const n = rnd() * 90;
        img.data[i] = red ? 200 + n / 3 : 40 + n;
        img.data[i + 1] = red ? 20 : 90 + n;
        img.data[i + 2] = red ? 30 : 150 + n;
        img.data[i + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
    const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.95));
    // Base64 in chunks: 7 MB as a JSON array of numbers would take a minute to cross over.
    const b = new Uint8Array(await blob.arrayBuffer());
    let bin = '';
    for (let i = 0; i < b.length; i += 0x8000) bin += String.fromCharCode.apply(null, b.subarray(i, i + 0x8000));
    return btoa(bin);
  });
  const raw = Buffer.from(jpeg, 'base64');
  // APP1 "Exif": big-endian TIFF, one IFD entry, Orientation (0x0112) SHORT = 6.
  const exif = Buffer.from([0xff, 0xe1, 0x00, 0x22, 0x45, 0x78, 0x69, 0x66, 0, 0, 0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([raw.subarray(0, 2), exif, raw.subarray(2)]);
}

async function pickPhoto(buffer, name = 'IMG_20261202_081500.jpg') {
  const [chooser] = await Promise.all([s.page.waitForEvent('filechooser'), P().getByRole('button', { name: '添加照片' }).click()]);
  await chooser.setFiles({ name, mimeType: 'image/jpeg', buffer });
}

const apiAs = (openid) => s.apiAs(openid);

/** Fills the rest of the submit form for a wish of one's own. */
async function fillWish(title) {
  await P().getByRole('radio', { name: '康乐小区' }).click();
  await P().getByRole('radio', { name: '维修改造' }).click();
  await P().getByLabel('心愿标题', { exact: true }).fill(title);
  await P().getByLabel('具体情况', { exact: true }).fill('阳台的旧柜子太重，想请人帮忙搬下楼。');
  await P().getByRole('radio', { name: /^(✓ )?本人$/ }).click();
  await P().getByLabel('联系电话', { exact: true }).fill('13897001111');
  await P().getByLabel('楼栋门牌', { exact: true }).fill('2号楼3单元402');
  await P().getByRole('checkbox', { name: /我已阅读并同意/ }).click();
}

test('a 7 MB phone photo is compressed in the browser, uploaded under the limit and stored upright', async () => {
  await loginAs('居民 · 王秀兰');
  await openSubmitForm();
  const photo = await phonePhoto();
  figures.phonePhoto = { bytes: photo.length, width: 4032, height: 3024, exifOrientation: 6 };
  expect(photo.length).toBeGreaterThan(5 * 1024 * 1024); // over the server's 5 MB cap as it is
  const uploaded = s.page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/photos');
  const answered = s.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/photos');
  // What the page posts: the file inside the multipart body (DevTools cannot see a Blob body's size).
  await s.page.evaluate(() => {
    window.__sentPhotoBytes = [];
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (body) {
      if (body instanceof FormData) for (const [, v] of body.entries()) if (v instanceof Blob) window.__sentPhotoBytes.push(v.size);
      return send.call(this, body);
    };
  });
  const t0 = Date.now();
  await pickPhoto(photo);
  const res = await answered;
  await uploaded;
  const sent = (await s.page.evaluate(() => window.__sentPhotoBytes))[0];
  expect(res.status()).toBe(201);
  const stored = await res.json();
  await P().getByText('✓ 已上传').waitFor();
  figures.phonePhoto.sentBytes = sent;
  figures.phonePhoto.pickToUploadedMs = Date.now() - t0;
  expect(sent).toBeLessThan(2.2 * 1024 * 1024);
  await P().getByText('可选，最多6张（将提交1张）').waitFor();
  await shot('photos-02-large-photo-uploaded');

  // The stored photo is upright (portrait, red at the top right) at the server's 2048 px.
  const look = await s.page.evaluate(async (url) => {
    const img = new Image();
    img.src = url;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const at = (x, y) => Array.from(ctx.getImageData(Math.floor(x * c.width), Math.floor(y * c.height), 1, 1).data.slice(0, 3));
    return { width: img.naturalWidth, height: img.naturalHeight, topRight: at(0.75, 0.25), topLeft: at(0.25, 0.25), bottomRight: at(0.75, 0.75) };
  }, stored.url);
  figures.phonePhoto.stored = { width: look.width, height: look.height, bytes: stored.size };
  process.stdout.write(`phone photo: ${JSON.stringify(figures.phonePhoto)}\n`);
  expect([look.width, look.height]).toEqual([1536, 2048]);
  const isRed = ([r, g, b]) => r > 150 && g < 80 && b < 80;
  expect(isRed(look.topRight)).toBe(true);
  expect(isRed(look.topLeft)).toBe(false);
  expect(isRed(look.bottomRight)).toBe(false);

  await fillWish('帮忙搬旧柜子');
  await button('提交心愿').click();
  await P().getByText('✓ 心愿已提交').waitFor();
  const resident = await apiAs('demo-resident');
  const mine = await resident('GET', '/wishes/mine');
  const wish = await resident('GET', `/wishes/${mine.items.find((w) => w.title === '帮忙搬旧柜子').id}`);
  expect(wish.photos.map((p) => p.id)).toEqual([stored.id]);
});

test('a failed upload holds the form back until it is retried or removed; the count says what will be sent', async () => {
  await loginAs('居民 · 王秀兰');
  await openSubmitForm();
  // The server fails every upload for now (as a dropped connection or a restart would).
  const fail = (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ code: 'INTERNAL', message: '服务暂时出了点问题，请稍后再试' }) });
  await s.page.route('**/api/photos', fail);
  const { makePng } = require('./png');
  await pickPhoto(makePng(96, 96, [200, 22, 29]), 'a.png');
  await P().getByRole('button', { name: '重试上传心愿照片1' }).waitFor();
  await pickPhoto(makePng(96, 96, [20, 120, 60]), 'b.png');
  await P().getByRole('button', { name: '重试上传心愿照片2' }).waitFor();
  await fillWish('楼下路灯不亮');
  await P().getByText('可选，最多6张（将提交0张，2张未上传成功）').waitFor();
  await P().getByText('有2张照片没有上传成功，请点照片上的“重试”或“移除”').waitFor();
  const submit = P().getByRole('button', { name: '有照片未上传成功' });
  expect(await submit.getAttribute('aria-disabled')).toBe('true');
  await P().locator('.xy-photos').evaluate((e) => e.scrollIntoView({ block: 'center' }));
  await shot('photos-03-upload-failed');
  // Pressing it anyway sends nothing.
  const posts = [];
  s.page.on('request', (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/wishes' && posts.push(r));
  await submit.click({ force: true });
  await s.page.waitForTimeout(300);
  expect(posts).toHaveLength(0);

  // One is removed, the other retried once the server is back.
  await P().getByRole('button', { name: '移除心愿照片2' }).click();
  await P().getByText('可选，最多6张（将提交0张，1张未上传成功）').waitFor();
  await s.page.unroute('**/api/photos', fail);
  // A pointer tap, as a finger gives it (it bubbles up through the tile, which must not remove the photo).
  await P().getByRole('button', { name: '重试上传心愿照片1' }).click();
  await P().getByText('✓ 已上传').waitFor();
  await P().getByText('可选，最多6张（将提交1张）').waitFor();
  await P().locator('.xy-photos').evaluate((e) => e.scrollIntoView({ block: 'center' }));
  await shot('photos-04-upload-retried');
  await button('提交心愿').click();
  await P().getByText('✓ 心愿已提交').waitFor();
  expect(posts).toHaveLength(1);
  expect(posts[0].postDataJSON().photoIds).toHaveLength(1);
});

test("H5 has a title bar with the page's title, and a back button that goes back", async () => {
  await loginAs('居民 · 王秀兰');
  const bar = s.page.locator('#taro-navigation-bar');
  await bar.getByText('心愿', { exact: true }).waitFor();
  // Home: no back button.
  expect(await s.page.getByRole('button', { name: '返回' }).isVisible()).toBe(false);
  await openSubmitForm();
  await bar.getByText('提交心愿', { exact: true }).waitFor();
  const back = s.page.getByRole('button', { name: '返回' });
  await back.waitFor();
  const box = await back.boundingBox();
  expect(box.width).toBeGreaterThanOrEqual(44);
  await shot('photos-05-title-bar');
  await back.click();
  await P().locator('.xy-home').waitFor();
  await bar.getByText('心愿', { exact: true }).waitFor();
  // Opened directly on an inner page: a home button instead.
  await openApp('/pages/wish/submit/index');
  await s.page.getByRole('button', { name: '回到首页' }).waitFor();
});
