// Review page of an imported plan: in-place corrections through the import API, and the
// highlight of where each item came from in the source text. No framework: a page of inputs.
(function () {
  "use strict";
  const review = document.getElementById("review");
  if (!review) return;
  const api = review.dataset.api;
  const csrf = review.dataset.csrf;
  const source = document.getElementById("source");
  const toast = document.getElementById("toast");

  function say(message, isError) {
    toast.textContent = message;
    toast.className = isError ? "show error" : "show";
    clearTimeout(say.timer);
    say.timer = setTimeout(() => { toast.className = ""; }, isError ? 6000 : 1500);
  }

  async function call(method, url, body) {
    const response = await fetch(url, {
      method: method,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      const detail = data && (data.detail || Object.values(data).flat().join(" ")) || response.statusText;
      throw new Error(detail);
    }
    return data;
  }

  // Highlight a [start, end) range of the source text (UTF-16 offsets) and bring it into view.
  function highlight(start, end) {
    const node = source.firstChild;
    if (!node) return;
    const range = document.createRange();
    range.setStart(node, Math.min(start, node.length));
    range.setEnd(node, Math.min(end, node.length));
    if (window.CSS && CSS.highlights && window.Highlight) {
      CSS.highlights.set("source-item", new Highlight(range));
    }
    source.querySelectorAll("mark").forEach((m) => m.replaceWith(...m.childNodes));
    const box = range.getBoundingClientRect();
    const pane = source.getBoundingClientRect();
    source.scrollTop += box.top - pane.top - pane.height / 3;
    source.dataset.highlight = start + "-" + end;
  }

  document.addEventListener("focusin", onPick);
  document.addEventListener("click", onPick);
  function onPick(event) {
    const item = event.target.closest("[data-start]");
    if (item && review.contains(item)) {
      highlight(Number(item.dataset.start), Number(item.dataset.end));
      document.querySelectorAll(".picked").forEach((el) => el.classList.remove("picked"));
      item.classList.add("picked");
    }
  }

  review.addEventListener("change", async (event) => {
    const input = event.target.closest("[data-path]");
    if (!input) return;
    input.classList.remove("saved", "invalid");
    try {
      const data = await call("PATCH", api, { path: input.dataset.path, value: input.value });
      if (Array.isArray(data.value)) input.value = data.value.join("、");
      else input.value = data.value === null ? "" : data.value;
      input.classList.add("saved");
      input.title = "";
      say(review.dataset.saved || "✓");
    } catch (error) {
      input.classList.add("invalid");
      input.title = error.message;
      say(error.message, true);
    }
  });

  async function act(url, body) {
    try {
      await call("POST", url, body);
      window.location.reload();
    } catch (error) {
      say(error.message, true);
    }
  }

  review.addEventListener("click", (event) => {
    const remove = event.target.closest("[data-remove]");
    const split = event.target.closest("[data-split]");
    const append = event.target.closest("[data-append]");
    if (remove) act(api + "remove/", { path: remove.dataset.remove });
    if (split) act(api + "split/", { index: Number(split.dataset.split) });
    if (append) act(api + "append/", { list: append.dataset.append });
  });
})();
