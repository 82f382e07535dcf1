// The line boxes Chromium made, read out of a laid-out page for zhbook.tools.typography_check.
//
// zhbook.tools.typography_check writes a probe page that holds every page to check in an <iframe> of each width and
// loads this script; on load it reads, for each block of text (a paragraph, a list item, a table cell, a heading),
// its lines as the browser broke them: each line as a list of [character, in a citation mark, in a superscript],
// and the line-breaking properties in force for the page's first paragraph.
// The result is written as JSON into <pre id="typography-result">, which `chromium --dump-dom` prints.
"use strict";

const BLOCK_DISPLAYS = new Set(["block", "list-item", "table-cell", "table-caption", "flow-root", "inline-block"]);
const SKIPPED = "script, style, a.headerlink, .fn-bracket, nav, .sphinxsidebar, .related, .footer, .toctree-wrapper";

function blockOf(node, win) {
  for (let el = node.parentElement; el; el = el.parentElement) {
    if (BLOCK_DISPLAYS.has(win.getComputedStyle(el).display)) return el;
  }
  return null;
}

// What kind of block it is, for the report: "p", "li", "table cell", "caption", "heading", "list item".
function describe(el) {
  if (el.closest("td, th")) return "table cell";
  if (el.closest("caption, figcaption, .caption")) return "caption";
  if (/^H[1-6]$/.test(el.tagName) || el.closest(".rubric, .admonition-title")) return "heading";
  if (el.closest("li, dd")) return "list item";
  if (el.closest(".citation, [role=doc-biblioentry]")) return "reference";
  return el.tagName.toLowerCase() === "p" ? "paragraph" : el.tagName.toLowerCase();
}

function linesOf(doc, win) {
  const root = doc.querySelector("div.body") || doc.body;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const blocks = new Map();
  const range = doc.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(SKIPPED)) continue;
    const block = blockOf(node, win);
    if (!block) continue;
    if (!blocks.has(block)) blocks.set(block, []);
    const chars = blocks.get(block);
    const mark = !!parent.closest(".bibtex-citation, a.footnote-reference");
    const sup = !!parent.closest("sup");
    const text = node.data;
    for (let i = 0; i < text.length; i++) {
      const code = text.codePointAt(i);
      const ch = String.fromCodePoint(code);
      const width = ch.length;
      range.setStart(node, i);
      range.setEnd(node, i + width);
      i += width - 1;
      if (/\s/.test(ch)) { chars.push({ch: " ", space: true}); continue; }
      const rects = range.getClientRects();
      if (!rects.length || rects[0].width === 0) continue;
      const r = rects[0];
      chars.push({ch, mark, sup, left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    }
  }
  const result = [];
  for (const [block, chars] of blocks) {
    const lines = [];
    let line = null;
    let last = null;
    for (const c of chars) {
      if (c.space) { if (line) line.push([" ", false, false]); continue; }
      // A new line box: the text goes back to the left and further down (a superscript only rises a little).
      if (!last || (c.left < last.left - 1 && c.top > last.top + 4)) {
        line = [];
        lines.push(line);
      }
      line.push([c.ch, c.mark, c.sup]);
      last = c;
    }
    const kept = lines.map((l) => {
      while (l.length && l[l.length - 1][0] === " ") l.pop();
      while (l.length && l[0][0] === " ") l.shift();
      return l;
    }).filter((l) => l.length);
    if (kept.length) result.push({block: describe(block), lines: kept});
  }
  return result;
}

window.addEventListener("load", () => {
  const out = [];
  for (const frame of document.querySelectorAll("iframe")) {
    const doc = frame.contentDocument;
    // the line-breaking properties in force for a paragraph, as the engine understood them ("" if unknown)
    const p = doc && (doc.querySelector("div.body p, section p, body p") || doc.body);
    const style = p ? frame.contentWindow.getComputedStyle(p) : null;
    const properties = ["line-break", "text-wrap-style", "text-spacing-trim", "text-autospace", "white-space"];
    out.push({file: frame.dataset.file, width: Number(frame.dataset.width),
              style: style ? Object.fromEntries(properties.map((name) => [name, style.getPropertyValue(name)])) : {},
              blocks: doc ? linesOf(doc, frame.contentWindow) : null});
  }
  document.getElementById("typography-result").textContent = JSON.stringify(out);
});
