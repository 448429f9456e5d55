// Stand-ins for @tarojs/components: plain DOM elements with Taro's event shapes.
import { createElement, forwardRef, type ReactNode } from 'react';

type Props = Record<string, unknown> & { children?: ReactNode };

/** Keeps the props a DOM element understands (class, role, aria-*, data-*, style, id, tabIndex, click, keys). */
function domProps(p: Props): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === 'className' || k === 'style' || k === 'id' || k === 'role' || k === 'tabIndex' || k === 'onClick' || k === 'onKeyDown' || k.startsWith('aria-') || k.startsWith('data-')) out[k] = v;
  }
  return out;
}

/** H5's Taro fields and images put `nativeProps` on the real <input>/<textarea>/<img> inside: so do these. */
const native = (p: Props): Record<string, unknown> => (p.nativeProps as Record<string, unknown> | undefined) ?? {};

function box(tag: string, name: string) {
  const C = forwardRef<HTMLElement, Props>((p, ref) => createElement(tag, { ...domProps(p), ref }, p.children as ReactNode));
  C.displayName = name;
  return C;
}

export const View = box('div', 'View');
export const Text = box('span', 'Text');
export const ScrollView = box('div', 'ScrollView');
export const Label = box('label', 'Label');

/** WeChat's open-type events, fired in tests as DOM CustomEvents of these names with the event's detail. */
const OPEN_TYPE_EVENTS: Record<string, string> = { onGetPhoneNumber: 'getphonenumber', onAgreePrivacyAuthorization: 'agreeprivacyauthorization' };

export const Button = forwardRef<HTMLButtonElement, Props>((p, ref) => {
  const listen = (el: HTMLButtonElement | null) => {
    if (typeof ref === 'function') ref(el);
    else if (ref) ref.current = el;
    if (!el) return;
    for (const [prop, name] of Object.entries(OPEN_TYPE_EVENTS)) {
      const h = p[prop] as ((e: { detail: unknown }) => void) | undefined;
      const key = `__${name}`;
      const prev = (el as unknown as Record<string, EventListener | undefined>)[key];
      if (prev) el.removeEventListener(name, prev);
      if (!h) continue;
      const l: EventListener = (e) => h({ detail: (e as CustomEvent).detail });
      (el as unknown as Record<string, EventListener>)[key] = l;
      el.addEventListener(name, l);
    }
  };
  return createElement('button', { ...domProps(p), ref: listen, type: 'button', disabled: !!p.disabled, 'data-open-type': p.openType as string | undefined }, p.children as ReactNode);
});
Button.displayName = 'Button';

function field(tag: 'input' | 'textarea', name: string) {
  const C = forwardRef<HTMLElement, Props>((p, ref) => {
    const onInput = p.onInput as ((e: { detail: { value: string } }) => void) | undefined;
    return createElement(tag, {
      ...domProps(p),
      ...native(p),
      ref,
      name: p.name as string | undefined,
      value: (p.value as string | undefined) ?? '',
      placeholder: p.placeholder as string | undefined,
      maxLength: typeof p.maxlength === 'number' && p.maxlength >= 0 ? p.maxlength : undefined,
      disabled: !!p.disabled,
      onChange: (e: { target: { value: string } }) => onInput?.({ detail: { value: e.target.value } }),
    });
  });
  C.displayName = name;
  return C;
}

export const Input = field('input', 'Input');
export const Textarea = field('textarea', 'Textarea');

export const Image = forwardRef<HTMLImageElement, Props>((p, ref) => createElement('img', { alt: '', ...domProps(p), ...native(p), ref, src: p.src as string }));
Image.displayName = 'Image';
