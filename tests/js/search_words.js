// Runs queries through Sphinx's own searchtools.js and the language's query code (language_data.js), with the
// scripts search.html loads, in its order, as a browser would:
//   node search_words.js <html dir> <words.json> [<texts.json>]
// prints {query: [docnames of the results]} as JSON. With texts.json ({docname: the page's main text}) the
// results also go through the language's last check of the page text (Search.zhKeepPagesHolding), which the
// browser makes on the fetched page.
const vm = require("vm");
const { searchContext } = require("./search_context");
const fs = require("fs");

const [htmlDir, wordsFile, textsFile] = process.argv.slice(2);
const context = searchContext(htmlDir);
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
