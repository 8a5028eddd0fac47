// Small progressive enhancement; every page works without it.
"use strict";

document.addEventListener("click", (event) => {
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) event.preventDefault();
  if (event.target.closest("[data-print]")) window.print();
});

// Video analysis progress: poll the job until it is done, then reload to show the results.
function watchJob(el) {
  const bar = el.querySelector("progress");
  const label = el.querySelector("[data-job-message]");
  const tick = async () => {
    try {
      const res = await fetch(`/api/jobs/${el.dataset.job}`, { headers: { accept: "application/json" } });
      if (res.ok) {
        const job = await res.json();
        bar.value = job.progress;
        bar.textContent = `${Math.round(job.progress * 100)}%`;
        label.textContent = `${job.message} (${Math.round(job.progress * 100)}%)`;
        if (job.status === "done" || job.status === "failed") { window.location.reload(); return; }
      }
    } catch (err) { label.textContent = "Waiting for the server..."; }
    setTimeout(tick, 700);
  };
  tick();
}
document.querySelectorAll("[data-job]").forEach(watchJob);
