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

// A running import: follow it through the JSON API and show the summary when it is ready
// (without scripts the page reloads itself through a <noscript> refresh instead).
const importJob = document.querySelector('[data-import-job]');
if (importJob) {
  const id = importJob.getAttribute('data-import-job');
  const read = importJob.querySelector('[data-field="read"]');
  const bar = importJob.querySelector('progress');
  const poll = async () => {
    try {
      const res = await fetch(`/api/import/jobs/${encodeURIComponent(id)}`, {
        headers: { accept: 'application/json' },
      });
      if (!res.ok) return;
      const job = await res.json();
      if (job.status === 'done' || job.status === 'failed') {
        window.location.reload();
        return;
      }
      if (read) read.textContent = job.progress.read.toLocaleString('en');
      if (bar && job.progress.totalBytes) {
        bar.max = 100;
        bar.value = Math.round((100 * job.progress.bytesRead) / job.progress.totalBytes);
      }
    } catch {
      // A network hiccup: the next tick tries again.
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
}

// An author page whose "possibly the same person" suggestions are still being looked for in the
// background: ask every two seconds (for a minute at most) and show the page again when they are in.
const pendingSuggestions = document.querySelector('[data-suggestions-pending]');
if (pendingSuggestions) {
  const id = pendingSuggestions.getAttribute('data-suggestions-pending');
  let tries = 0;
  const poll = async () => {
    try {
      const res = await fetch(`/api/authors/${encodeURIComponent(id)}/suggestions?wait=0`, {
        headers: { accept: 'application/json' },
      });
      if (res.ok && !(await res.json()).pending) {
        window.location.reload();
        return;
      }
    } catch {
      // A network hiccup: the next tick tries again.
    }
    if (++tries < 30) setTimeout(poll, 2000);
  };
  setTimeout(poll, 2000);
}
