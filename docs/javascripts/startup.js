/* Material for MkDocs' start-up, made cheap on long pages (issue 9). Loaded at the end of the
 * body by overrides/main.html, right before Material's bundle; overrides/README.md says why each
 * part is safe. Two parts, each measured with Chromium's style-invalidation tracing on /check/
 * (2,560 elements, each full style pass 30-80 ms on this machine, x4 in Lighthouse's mobile run).
 */

/* 1. Palette. On start-up Material's palette component raises `data-md-color-switching` on the
 * body (its CSS switches every transition off below it) and lowers it a tick later, sets every
 * `data-md-color-*` attribute again, and appends <meta name="theme-color"> and
 * <meta name="color-scheme"> and fills them in. Raising and lowering the guard each restyle the
 * whole page, and so does each change of a color-scheme or theme-color meta (Chromium: a
 * "platform color change"), although on a plain page load no colour changes at all. Here:
 * - the guard goes up only right before a colour attribute really changes (a reader's switch, or
 *   a stored or system palette that differs from the page as served), so transitions are still
 *   off for every real switch; an attribute set to the value it has is not written;
 * - the two metas are in the page from the start (overrides/main.html, the default palette's
 *   values); the ones Material creates stay detached and pass what it writes on to those, and
 *   only a changed value is written.
 */
(function () {
  "use strict";

  const body = document.body;
  const setAttribute = body.setAttribute;
  const removeAttribute = body.removeAttribute;
  const GUARD = "data-md-color-switching";
  // What the palette's CSS selects on (`data-md-color-media` only records the choice).
  const COLOURS = ["data-md-color-scheme", "data-md-color-primary", "data-md-color-accent"];
  let guardWanted = false;
  body.setAttribute = function (name, value) {
    if (name === GUARD) {
      guardWanted = true;
      return;
    }
    if (name.startsWith("data-md-color-") && this.getAttribute(name) === String(value)) return;
    if (COLOURS.includes(name) && guardWanted && !this.hasAttribute(GUARD)) {
      setAttribute.call(this, GUARD, "");
    }
    setAttribute.call(this, name, value);
  };
  body.removeAttribute = function (name) {
    if (name === GUARD) guardWanted = false;
    removeAttribute.call(this, name);
  };

  const head = document.head;
  const appendChild = head.appendChild;
  head.appendChild = function (node) {
    const name = node instanceof HTMLMetaElement ? node.name : "";
    const served =
      (name === "theme-color" || name === "color-scheme") &&
      head.querySelector('meta[name="' + name + '"][data-gp-served]');
    if (!served) return appendChild.call(this, node);
    Object.defineProperty(node, "content", {
      configurable: true,
      get: () => served.content,
      set: (value) => {
        if (served.content !== String(value)) served.content = value;
      },
    });
    return node;
  };
})();

/* 2. Code blocks: copy buttons and keyboard scrolling, set up for every block at once.
 *
 *
 * Material mounts code blocks one at a time: it inserts the copy button, then measures the block
 * (does it scroll sideways?), and each measurement after an insertion forces a style and layout
 * pass, once per block: on /check/ (80 blocks) most of the page's blocking time. With
 * `content.lazy` (mkdocs.yml) Material mounts a block only once it is on screen; this script
 * gives every block, on screen or not, what Material's mount would: the same copy button
 * (Material's markup, copied by Material's Clipboard.js listener on the document, which
 * announces "Copied to clipboard") and, on devices that hover, `tabindex="0"` on a block that
 * scrolls sideways, so the keyboard can scroll it (axe `scrollable-region-focusable`). All
 * insertions come first and all measurements after them: one layout in all. Blocks carry
 * Material's documented opt-out `no-copy`, so its own mount only re-measures them.
 */
(function () {
  "use strict";

  const configEl = document.getElementById("__config");
  if (!configEl) return;
  const config = JSON.parse(configEl.textContent);
  const blocks = Array.from(
    document.querySelectorAll('[data-md-component="content"] pre:not(.mermaid) > code')
  ).filter((code) => !code.closest(".no-copy, .copy")); // authors' choices stay Material's

  // Material's conditions for a copy button: the feature on, and Clipboard.js supported.
  const copy =
    (config.features || []).includes("content.code.copy") &&
    !!document.queryCommandSupported &&
    document.queryCommandSupported("copy") &&
    document.queryCommandSupported("cut");
  const title = (config.translations || {})["clipboard.copy"] || "Copy to clipboard";

  blocks.forEach((code, n) => {
    const pre = code.parentElement;
    pre.classList.add("no-copy");
    if (!copy) return;
    const key = "gp-copy-" + n;
    pre.setAttribute("data-gp-copy", key);
    const nav = document.createElement("nav");
    nav.className = "md-code__nav";
    const button = document.createElement("button");
    button.className = "md-code__button";
    button.title = title;
    button.setAttribute("data-clipboard-target", '[data-gp-copy="' + key + '"] > code');
    button.setAttribute("data-md-type", "copy");
    nav.append(button);
    pre.insertBefore(nav, code);
  });

  // Material's rule: focusable when the code is wider than its box, on a device that hovers.
  if (!matchMedia("(hover)").matches) return;
  const scrollable = blocks.map((code) => code.scrollWidth > code.offsetWidth);
  blocks.forEach((code, n) => {
    if (scrollable[n]) code.setAttribute("tabindex", "0");
  });
})();
