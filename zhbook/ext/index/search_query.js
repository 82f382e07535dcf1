/* zhbook.ext.index.search, the query side (appended to language_data.js, which search.html loads after
 * searchtools.js): what the reader types is split the way the index was built.
 * - a run of Chinese (Japanese, Korean) characters becomes its overlapping pairs (one character stays itself);
 * - Latin words and numbers are whole tokens; numbers are kept (Sphinx 9.0.4 drops every all-digit word);
 * - every term is required (Sphinx lets a page through without the short terms when it holds the long ones);
 * - a page that holds every pair of a longer word but not the word itself is dropped before it is shown;
 * - highlighting and summaries use the reader's own words (乡村振兴), not the pairs. */
/* the characters indexed by pairs: zhbook.core.chinese's Han and kana, put here by search.py */
const ZH_CJK_RUN = new RegExp(`[${__ZH_CJK_CLASS__}]+`, "gu");
const ZH_LATIN_TOKEN = /[0-9A-Za-z\u00c0-\u024f]+(?:_[0-9A-Za-z\u00c0-\u024f]+)*/gu;

/** 乡村振兴 → 乡村, 村振, 振兴 (a page that holds every pair may hold the word); 税 → 税. */
const zhPairs = (run) => {
  if (run.length < 2) return [run];
  const pairs = [];
  for (let i = 0; i + 2 <= run.length; i++) pairs.push(run.slice(i, i + 2));
  return pairs;
};

/** The reader's words in the order typed: runs of CJK characters and Latin tokens (numbers included). */
const zhWords = (text) => {
  const words = [];
  const pattern = new RegExp(`${ZH_CJK_RUN.source}|${ZH_LATIN_TOKEN.source}`, "gu");
  for (const match of text.matchAll(pattern)) words.push(match[0]);
  return words;
};
const zhIsCJK = (word) => new RegExp(`^(?:${ZH_CJK_RUN.source})$`, "u").test(word);

/** The index term of a Latin word, as the Python side stems it (an acronym is not stemmed to under 3 letters). */
const zhStem = (stemmer, word) => {
  const lower = word.toLowerCase();
  if (/^\d+$/.test(lower)) return lower;
  const stemmed = stemmer.stemWord(lower);
  return word.length >= 3 && stemmed.length < 3 ? lower : stemmed;
};

var splitQuery = (query) => zhWords(query).flatMap((word) => (zhIsCJK(word) ? zhPairs(word) : [word]));

Search._parseQuery = (query) => {
  const stemmer = new Stemmer();
  const searchTerms = new Set();
  const excludedTerms = new Set();
  const highlightTerms = new Set();
  const objectTerms = new Set(splitQuery(query.toLowerCase().trim()));
  for (const piece of query.trim().split(/\s+/)) {
    const excluded = piece.startsWith("-") && piece.length > 1;
    for (const word of zhWords(piece)) {
      const lower = word.toLowerCase();
      if (stopwords.has(lower)) continue;
      const terms = zhIsCJK(word) ? zhPairs(word) : [zhStem(stemmer, word)];
      for (const term of terms) (excluded ? excludedTerms : searchTerms).add(term);
      if (!excluded) highlightTerms.add(lower);
    }
  }
  if (typeof SPHINX_HIGHLIGHT_ENABLED !== "undefined" && SPHINX_HIGHLIGHT_ENABLED) {
    localStorage.setItem("sphinx_highlight_terms", [...highlightTerms].join(" "));
  }
  return [query, searchTerms, excludedTerms, highlightTerms, objectTerms];
};

/** Does the page (its number in the index) hold the term, as Sphinx looks terms up (a term of 3+ letters also
 * inside a longer one)? */
const zhPageHolds = (term, file) => {
  const holds = (files) => files === file || (Array.isArray(files) && files.includes(file));
  const { terms, titleterms } = Search._index;
  for (const mapping of [terms, titleterms]) {
    if (Object.hasOwn(mapping, term)) {
      if (holds(mapping[term])) return true;
    } else if (term.length > 2) {
      for (const [key, files] of Object.entries(mapping)) if (key.includes(term) && holds(files)) return true;
    }
  }
  return false;
};

const zhSphinxTermsSearch = Search.performTermsSearch;
Search.performTermsSearch = (searchTerms, excludedTerms) => {
  const docNames = Search._index.docnames;
  return zhSphinxTermsSearch(searchTerms, excludedTerms).filter((result) => {
    const file = docNames.indexOf(result[0]);
    return [...searchTerms].every((term) => zhPageHolds(term, file));
  });
};

/** The words a page found through their pairs must hold as they were typed (longer than one pair). */
Search.zhWordsToCheck = (highlightTerms) => [...highlightTerms].filter((word) => zhIsCJK(word) && word.length > 2);

/** Keep the results whose page text (as Sphinx reads it for the summary) holds every word; other kinds of result
 * (titles, index entries) matched the whole query already. */
Search.zhKeepPagesHolding = (results, words, pageText) =>
  Promise.all(results.map((result) => (result[6] !== SearchResultKind.text ? true
    : pageText(result[0]).then((text) => {
      const flat = text.replace(/\s+/g, " ").toLowerCase();
      return words.every((word) => flat.includes(word));
    }, () => true)))).then((keep) => results.filter((_, i) => keep[i]));

const zhPageText = (docName) => {
  const root = document.documentElement.dataset.content_root;
  let url = root + docName + DOCUMENTATION_OPTIONS.FILE_SUFFIX;
  if (DOCUMENTATION_OPTIONS.BUILDER === "dirhtml") url = root + (docName === "index" ? "" : docName.replace(/\/?index$/, "") + "/");
  return fetch(url).then((response) => response.text()).then((html) => Search.htmlToText(html));
};

Search.query = (query) => {
  const [searchQuery, searchTerms, excludedTerms, highlightTerms, objectTerms] = Search._parseQuery(query);
  const results = Search._performSearch(searchQuery, searchTerms, excludedTerms, highlightTerms, objectTerms);
  const words = Search.zhWordsToCheck(highlightTerms);
  const show = (kept) => _displayNextItem(kept, kept.length, searchTerms, highlightTerms);
  if (!words.length) show(results);
  else Search.zhKeepPagesHolding(results, words, zhPageText).then(show);
};
