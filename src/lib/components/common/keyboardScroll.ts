// A box that scrolls its content must take keyboard focus, or a keyboard user cannot scroll it
// (WCAG 2.1.1). The box joins the tab order only while its content overflows it.
import type { Attachment } from 'svelte/attachments';

export const scrollsByKeyboard: Attachment<HTMLElement> = (box) => {
  const update = () => {
    const overflows = box.scrollHeight > box.clientHeight || box.scrollWidth > box.clientWidth;
    if (overflows) box.tabIndex = 0;
    else box.removeAttribute('tabindex');
  };
  update();
  // The box resizes with the window and when a closed <details> around it opens; its content
  // changes without resizing it once it has reached its max-height.
  const resized = new ResizeObserver(update);
  resized.observe(box);
  const changed = new MutationObserver(update);
  changed.observe(box, { childList: true, characterData: true, subtree: true });
  return () => {
    resized.disconnect();
    changed.disconnect();
  };
};
