import { fireEvent, screen, within } from '@testing-library/react';

/**
 * Answers the H5 yes/no question (utils/dialog.ts, what confirmDialog opens in H5): finds the
 * alert dialog by its title and presses the button named `answer`. Returns the dialog's text.
 */
export async function answerDialog(title: string, answer: string): Promise<string> {
  const dialog = await screen.findByRole('alertdialog', { name: title });
  const text = document.getElementById(dialog.getAttribute('aria-describedby') ?? '')?.textContent ?? '';
  fireEvent.click(within(dialog).getByRole('button', { name: answer }));
  return text;
}
