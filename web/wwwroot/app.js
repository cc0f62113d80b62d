// Focus helpers for the dialogs: keyboard users land in the dialog and stay there.
window.portal = {
  focus: (selector) => document.querySelector(selector)?.focus(),
  focusFirst: (selector) => {
    const dialog = document.querySelector(selector);
    dialog?.querySelector('button, [href], input, select, textarea')?.focus();
  },
};
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Tab') return;
  const dialog = document.querySelector('.dialog');
  if (!dialog) return;
  const items = [...dialog.querySelectorAll('button:not([disabled]), [href], input:not([disabled]), select, textarea')];
  if (items.length === 0) return;
  const first = items[0], last = items[items.length - 1];
  if (e.shiftKey && document.activeElement === first) { last.focus(); e.preventDefault(); }
  else if (!e.shiftKey && document.activeElement === last) { first.focus(); e.preventDefault(); }
});
