/* Copy buttons and keyboard scrolling of code blocks, set up for every block at once (issue 9).
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
 *
 * Loaded at the end of the body by overrides/main.html, right before Material's bundle.
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
