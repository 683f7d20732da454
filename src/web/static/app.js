// Paperscope's one script: it only improves pages that already work without it.
// "/" moves the focus to the search box, as on many sites researchers use.
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
  const box = document.getElementById('site-q');
  if (box) {
    event.preventDefault();
    box.focus();
  }
});
