// Accessibility props for H5 (and the jsdom tests). WeChat's template passes none of these
// through, so the weapp build gets only the tap: nothing there changes.

/** A key press that activates a button: Enter or Space, on the element itself (not a field inside it). */
function activates(e: { key: string; target: unknown; currentTarget: unknown; preventDefault: () => void }): boolean {
  if (e.target !== e.currentTarget) return false;
  if (e.key !== 'Enter' && e.key !== ' ' && e.key !== 'Spacebar') return false;
  e.preventDefault(); // Space would scroll the page
  return true;
}

/**
 * Makes a View act as a control: a role, reachable by Tab (tabIndex 0; numbers are set as the
 * element's property, which H5's Taro components need), Enter and Space activate like a tap.
 * `role`: button (default), link, tab, radio, checkbox.
 */
export function pressable(onActivate: (() => void) | undefined, role = 'button'): Record<string, unknown> {
  if (process.env.TARO_ENV === 'weapp') return { onClick: onActivate };
  return {
    role,
    tabIndex: 0,
    onClick: onActivate,
    onKeyDown: (e: { key: string; target: unknown; currentTarget: unknown; preventDefault: () => void }) => {
      if (onActivate && activates(e)) onActivate();
    },
  };
}

/** A state attribute as text ("true"/"false"): H5's Taro components set only string props as attributes. */
export const ariaBool = (on: boolean | undefined): 'true' | 'false' => (on ? 'true' : 'false');
