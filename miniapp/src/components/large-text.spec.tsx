// Issue 15, "Elderly first": large-text mode covers every text area, input and photo tile. This walks
// the mini-program's sources: every field goes through Field (sized by the large-text variables, with
// H5's inner elements reached), every font size is one of the variables .xy-page--large raises (or a
// glyph listed here), and the fields and photo tiles render inside the page that carries the mode.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { act, render } from '@testing-library/react';
import type { PhotoUploads } from '../hooks/usePhotoUploads';
import { setLargeText } from '../stores/settings';
import { TextAreaField, TextField } from './Field';
import PhotoPicker from './PhotoPicker';
import Screen from './Screen';

const SRC = join(__dirname, '..');
const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
const sources = walk(SRC).filter((f) => !/\.spec\.tsx?$/.test(f));
const rel = (f: string) => relative(SRC, f).split('\\').join('/');

/** Font sizes that are not type: glyphs and icons (＋, ✓, the sample 字), a report's figure, the dialog's two sizes. */
const FIXED_SIZES: Record<string, number> = {
  'components/StateView/index.scss': 1, // the empty-state icon
  'components/Report/index.scss': 1, // a report's big figure
  'components/Field/index.scss': 1, // the tick inside the check box
  'components/PhotoPicker/index.scss': 2, // the ＋ of 添加照片, in both modes
  'components/DeskEntry/index.scss': 1, // the desk icon
  'subpackages/me/pages/settings/index.scss': 1, // the sample 字 of the setting
  'app.scss': 7, // the dialog in both its sizes (outside .xy-page: .xy-dialog--large); H5's title bar, fixed like WeChat's own
};

describe('large-text mode reaches every field and tile', () => {
  it('every Input and Textarea in the mini-program is the one in Field', () => {
    const users = sources.filter((f) => /\.tsx$/.test(f) && /<(Input|Textarea)\b/.test(readFileSync(f, 'utf8'))).map(rel);
    expect(users).toEqual(['components/Field/index.tsx']);
  });

  it("Field sizes its boxes by the large-text variables and reaches H5's inner <input>/<textarea>", () => {
    const scss = readFileSync(join(SRC, 'components/Field/index.scss'), 'utf8');
    expect(scss).toMatch(/\.xy-field__input \{[^}]*font-size: var\(--xy-fs-large/);
    expect(scss).toMatch(/\.xy-field__textarea \{[^}]*font-size: var\(--xy-fs-large/);
    // Taro's H5 build renames the `textarea` tag selector; the browser keeps a bare <textarea> at 13.3px.
    expect(scss).toMatch(/\.xy-field__input \.weui-input,\s*\.xy-field__textarea \.taro-textarea \{[^}]*font-size: inherit/);
  });

  it('every other font size is a large-text variable', () => {
    const fixed: Record<string, number> = {};
    // The committee's desk-width screens (PC staff, print view, chart labels) are not the residents' screens.
    for (const f of sources.filter((x) => x.endsWith('.scss') && !rel(x).startsWith('subpackages/committee/'))) {
      const n = [...readFileSync(f, 'utf8').matchAll(/font-size:\s*([^;]+);/g)].filter((m) => !/^(var\(--xy-|inherit)/.test(m[1].trim())).length;
      if (n) fixed[rel(f)] = n;
    }
    expect(fixed).toEqual(FIXED_SIZES);
  });

  it('fields and photo tiles render inside the page that carries the mode', () => {
    const uploads = { items: [{ key: 'a', status: 'done', progress: 100, url: '/u', localPath: 'blob:a' }], done: [{ id: 'a', url: '/u' }], add: jest.fn(), remove: jest.fn(), retry: jest.fn(), reset: jest.fn() } as unknown as PhotoUploads;
    act(() => setLargeText(true));
    const { container } = render(
      <Screen>
        <TextField label="心愿标题" value="" onChange={jest.fn()} />
        <TextAreaField label="具体情况" value="" onChange={jest.fn()} maxLength={500} />
        <PhotoPicker uploads={uploads} max={6} />
      </Screen>,
    );
    const page = container.querySelector('.xy-page--large')!;
    expect(page).not.toBeNull();
    for (const sel of ['.xy-field__input', '.xy-field__textarea', '.xy-photo', '.xy-photo--add']) expect(page.querySelector(sel)).not.toBeNull();
    act(() => setLargeText(false));
    expect(container.querySelector('.xy-page--large')).toBeNull();
  });
});
