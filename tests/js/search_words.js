// Runs queries through Sphinx's own searchtools.js and the language's query code (language_data.js), with the
// scripts search.html loads, in its order, as a browser would:
//   node search_words.js <html dir> <words.json> [<texts.json>]
// prints {query: [docnames of the results]} as JSON. With texts.json ({docname: the page's main text}) the
// results also go through the language's last check of the page text (Search.zhKeepPagesHolding), which the
// browser makes on the fetched page.
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [htmlDir, wordsFile, textsFile] = process.argv.slice(2);
const noop = () => {};
const context = {
  console,
  URLSearchParams,
  document: {
    readyState: "loading", // scripts wait for DOMContentLoaded, which never comes: nothing runs on its own
    addEventListener: noop,
    getElementById: () => null,
    documentElement: { dataset: {} },
  },
  localStorage: { setItem: noop, getItem: () => null, removeItem: noop },
  location: { search: "" },
};
context.window = context;
vm.createContext(context);

const page = fs.readFileSync(path.join(htmlDir, "search.html"), "utf8");
for (const [, src] of page.matchAll(/<script src="([^"?]+)[^"]*"/g)) {
  vm.runInContext(fs.readFileSync(path.join(htmlDir, src), "utf8"), context, { filename: src });
}
context.__texts = textsFile ? JSON.parse(fs.readFileSync(textsFile, "utf8")) : null;

(async () => {
  const out = {};
  for (const word of JSON.parse(fs.readFileSync(wordsFile, "utf8"))) {
    context.__q = word;
    const results = await vm.runInContext(`(() => {
      const parsed = Search._parseQuery(__q);
      const results = Search._performSearch(...parsed);
      const words = Search.zhWordsToCheck ? Search.zhWordsToCheck(parsed[3]) : [];
      if (!__texts || !Search.zhKeepPagesHolding || !words.length) return results;
      return Search.zhKeepPagesHolding(results, words, (doc) => Promise.resolve(__texts[doc] ?? ""));
    })()`, context);
    out[word] = [...new Set(results.map((result) => result[0]))];
  }
  console.log(JSON.stringify(out));
})();
