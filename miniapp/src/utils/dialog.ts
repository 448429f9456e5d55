// The yes/no question of the H5 build. Taro's own H5 showModal draws plain divs: no dialog
// role, its buttons are not keyboard controls and focus stays behind it on the page. This one
// follows the WAI-ARIA alert dialog pattern (APG "Alert Dialog"): role="alertdialog",
// aria-modal, named by its title and described by its text; focus moves to the confirm button
// when it opens and goes back to where it was when it closes; Escape cancels; Tab and
// Shift+Tab stay between its two buttons. Plain DOM (no React root): it is opened from event
// handlers anywhere, like Taro.showModal. The WeChat build keeps Taro.showModal (nav.ts).

import { settings } from '../stores/settings';

export interface ConfirmOptions {
  title: string;
  content: string;
  confirmText: string;
  cancelText: string;
}

let seq = 0;

/** Opens the dialog; resolves true on confirm, false on cancel (button, Escape). */
export function openConfirmDialog({ title, content, confirmText, cancelText }: ConfirmOptions): Promise<boolean> {
  const id = `xy-dialog-${++seq}`;
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;

  const mask = document.createElement('div');
  // It sits outside every page's .xy-page: large-text mode is carried here by its own class.
  mask.className = settings.get().largeText ? 'xy-dialog xy-dialog--large' : 'xy-dialog';
  const box = document.createElement('div');
  box.className = 'xy-dialog__box';
  box.setAttribute('role', 'alertdialog');
  box.setAttribute('aria-modal', 'true');
  box.setAttribute('aria-labelledby', `${id}-title`);
  box.setAttribute('aria-describedby', `${id}-text`);

  const heading = document.createElement('h2');
  heading.className = 'xy-dialog__title';
  heading.id = `${id}-title`;
  heading.textContent = title;
  const text = document.createElement('p');
  text.className = 'xy-dialog__text';
  text.id = `${id}-text`;
  text.textContent = content;

  const actions = document.createElement('div');
  actions.className = 'xy-dialog__actions';
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.className = 'xy-dialog__btn xy-dialog__btn--cancel';
  cancel.textContent = cancelText;
  const confirm = document.createElement('button');
  confirm.type = 'button';
  confirm.className = 'xy-dialog__btn xy-dialog__btn--confirm';
  confirm.textContent = confirmText;
  actions.append(cancel, confirm);
  box.append(heading, text, actions);
  mask.append(box);

  return new Promise<boolean>((resolve) => {
    const close = (answer: boolean) => {
      document.removeEventListener('keydown', onKey, true);
      mask.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(answer);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' || e.key === 'Esc') {
        e.preventDefault();
        e.stopPropagation();
        close(false);
      } else if (e.key === 'Tab') {
        // Focus stays inside: from the last button to the first and back.
        e.preventDefault();
        const order = [cancel, confirm];
        const at = order.indexOf(document.activeElement as HTMLButtonElement);
        const next = e.shiftKey ? (at <= 0 ? order.length - 1 : at - 1) : at === -1 || at === order.length - 1 ? 0 : at + 1;
        order[next].focus();
      }
    };
    cancel.addEventListener('click', () => close(false));
    confirm.addEventListener('click', () => close(true));
    // A click on the mask outside the box does nothing, as in WeChat: the question wants an answer.
    document.addEventListener('keydown', onKey, true);
    document.body.append(mask);
    confirm.focus();
  });
}
