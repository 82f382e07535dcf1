// Runs a query through Sphinx's own search code on a built HTML tree, as search.html would in a browser:
//   node search_probe.js <html dir> <query>   → prints the docnames of the results, best last, as JSON.
// The scripts are the ones search.html loads, in its order; the DOM is a stub with no search-result nodes.
const vm = require("vm");
const { searchContext } = require("./search_context");

const [htmlDir, query] = process.argv.slice(2);
const context = searchContext(htmlDir);
const results = vm.runInContext(
  `Search._performSearch(...Search._parseQuery(${JSON.stringify(query)}))`,
  context,
);
console.log(JSON.stringify(results.map((result) => result[0])));
