# zhbook/book.mk — the make rules of every zhbook course book. A book's Makefile sets a few variables and includes
# this file; `make` then installs what is missing and builds every deliverable into dist/, `make test` runs the
# book's tests, `make help` lists every target.
#
# The book is the folder of the Makefile that includes this file, and make runs in it: source/ (book.toml,
# conf.py, the chapters in source/chapters/), bib/, _static/, pyproject.toml (which installs zhbook into .venv).
#
# Variables a book's Makefile may set before the include (all optional):
#   TESTS        the test paths `make test` gives pytest                       (default: tests)
#   APT_EXTRA    Debian packages the book needs beyond zhbook's own
#   PIP_INSTALL  what pip installs into .venv when pyproject.toml changes       (default: .)
#   VENV         the Python environment                                         (default: .venv; given on the
#                command line or in the environment, it is used as it is and nothing is installed into it)
#   ACE_DIR      a folder with DAISY Ace's package.json and lock: `make test` installs it there first
#   AXE_DIR      a folder with axe-core's and puppeteer-core's package.json and lock (the HTML edition's
#                accessibility tests): `make test` installs them there first
#   BENCH        the benchmark script `make bench` runs; FUZZ_TESTS the test file `make fuzz` runs at length
#
# Everything is built under build/ first; dist/ changes only by one atomic swap after a whole build succeeded
# (zhbook/tools/publish.py), so a failed or interrupted build leaves the last good dist/ as it was. Every input is
# checked before Sphinx reads it (zhbook/tools/inputs.py) and every output after it is written (zhbook/tools/output_scan.py).

SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

# The book's Makefile (the first one make read) and zhbook's folder (this file's): make runs in the book's folder.
BOOK_MAKEFILE := $(firstword $(MAKEFILE_LIST))
ZHBOOK_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
ifneq ($(abspath $(dir $(BOOK_MAKEFILE))),$(CURDIR))
$(error run make in the book's folder: make -C $(patsubst %/,%,$(dir $(BOOK_MAKEFILE))))
endif

# make -n, -q and -t only look (the single-letter flags are the first word of MAKEFLAGS, unless it starts with a
# long option).
MAKE_LETTERS := $(filter-out -%,$(firstword $(MAKEFLAGS)))
NOT_REALLY := $(findstring n,$(MAKE_LETTERS))$(findstring q,$(MAKE_LETTERS))$(findstring t,$(MAKE_LETTERS))

# One make at a time in this folder (an editor's save hook and a manual run): the first one takes a lock on the
# folder and runs the real build as a sub-make; a second one waits for it. make -n/-q/-t only look, and a make
# started from inside the locked one (the tests' `make -q`) is already covered by its lock.
# `make serve` alone runs for hours in its own build folder: it takes no lock.
ONLY_SERVE := $(if $(filter-out serve,$(MAKECMDGOALS)),,$(filter serve,$(MAKECMDGOALS)))
ifeq ($(NOT_REALLY)$(filter $(CURDIR),$(ZHBOOK_LOCK_HELD))$(ONLY_SERVE),)
LOCKED_GOALS := $(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))
.PHONY: $(LOCKED_GOALS)
$(firstword $(LOCKED_GOALS)):
	@exec 9<.; flock -n 9 || { echo "  another make is running in $(CURDIR): waiting for it to finish" >&2; flock 9; }; \
	$(MAKE) --no-print-directory ZHBOOK_LOCK_HELD=$(CURDIR) $(MAKECMDGOALS)
$(wordlist 2,$(words $(LOCKED_GOALS)),$(LOCKED_GOALS)):
	@:
else
export ZHBOOK_LOCK_HELD

TESTS ?= tests
PIP_INSTALL ?= .
VENV ?= .venv
PY := $(VENV)/bin/python
# Every zhbook tool runs through zhbook.cli: a crash is one line, its traceback only with `make DEBUG=1`.
ZHBOOK := $(PY) -m zhbook.cli
BUILD := build
STAGE := $(BUILD)/stage
METADATA := source/book.toml
# A Python environment made elsewhere (VENV=… on the command line or in the environment) is used as it is.
ifneq ($(filter command line environment,$(origin VENV)),)
INSTALLED := $(PY)
else
INSTALLED := $(VENV)/.installed
endif

# Reproducible and offline: dates come from the last commit that changed the book or its machinery, never the
# clock; Python's hash order is fixed. (zhbook counts when it lives in the book's repository, as in its own.)
# A book not (yet) in git is dated by its metadata file's last change: not 1970, and an edit of a chapter does
# not move the date (which would rebuild everything).
BUILD_INPUTS := source bib _static $(filter-out /%,$(ZHBOOK_DIR)) pyproject.toml $(BOOK_MAKEFILE)
export SOURCE_DATE_EPOCH ?= $(or $(shell git log -1 --format=%ct -- $(BUILD_INPUTS) 2>/dev/null),$(shell date -r $(METADATA) +%s 2>/dev/null),0)
export FORCE_SOURCE_DATE := 1
export PYTHONHASHSEED := 0

# Debian packages the build needs (installed by apt-get when run as root).
APT_PACKAGES := python3 python3-venv python3-pip git make \
	texlive-xetex texlive-lang-chinese texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
	latexmk fonts-noto-cjk fonts-noto-core poppler-utils qpdf librsvg2-bin default-jre-headless \
	yaz libmarc-lint-perl nodejs chromium $(APT_EXTRA)

# Anything that can change an output: the book, its sources, the machinery (but for its make rules, the files
# `zhbook new` copies and the test helpers, which change no output).
SOURCES := $(shell find source bib _static $(ZHBOOK_DIR) -type f -not -name '*.pyc' -not -path '$(ZHBOOK_DIR)/book.mk' \
	-not -path '$(ZHBOOK_DIR)/scaffold/*' -not -path '$(ZHBOOK_DIR)/testing/*' 2>/dev/null) pyproject.toml
# Every output carries the epoch's dates, so a new epoch rebuilds them all: the stamp changes only when it does.
EPOCH_STAMP := $(BUILD)/source-date-epoch
$(shell mkdir -p $(BUILD) && [ "$$(cat $(EPOCH_STAMP) 2>/dev/null)" = "$(SOURCE_DATE_EPOCH)" ] \
	|| echo "$(SOURCE_DATE_EPOCH)" > $(EPOCH_STAMP))
SOURCES += $(EPOCH_STAMP)
# make sees a changed file by its date, never a deleted or renamed one: the list of input files is a prerequisite
# too, rewritten only when a file appears or disappears.
INPUT_LIST := $(BUILD)/inputs.list
$(shell printf '%s\n' $(sort $(SOURCES)) > $(INPUT_LIST).new && \
	{ cmp -s $(INPUT_LIST).new $(INPUT_LIST) && rm $(INPUT_LIST).new || mv $(INPUT_LIST).new $(INPUT_LIST); })
SOURCES += $(INPUT_LIST)
SPHINXOPTS := -W --keep-going -n -q

ifeq ($(DEBUG),1)
export ZHBOOK_DEBUG := 1
endif

# The slug names the output files. zhbook reads it from book.toml (a BOM or CRLF line ends are fine) into a
# fragment make includes, rewritten only when book.toml changes: a make with nothing to do starts no Python. A
# bad book.toml leaves the fragment as it was; the input check below then says what is wrong, at its line.
BOOK_VARS := $(BUILD)/book-vars.mk
ifeq ($(NOT_REALLY),)
ifneq ($(filter-out help clean,$(or $(MAKECMDGOALS),all)),)
$(BOOK_VARS): $(METADATA) | $(INSTALLED)
	@$(ZHBOOK) query --make --metadata $(METADATA) > $@.new 2>/dev/null && mv -f $@.new $@ || rm -f $@.new
endif
endif
-include $(BOOK_VARS)
# make -n/-q/-t before the first build write no fragment: they ask zhbook directly, so that they show real names.
ifeq ($(SLUG)$(if $(NOT_REALLY),,x),)
SLUG := $(shell $(PY) -m zhbook.cli query slug --metadata $(METADATA) 2>/dev/null)
endif

PDF := $(STAGE)/$(SLUG).pdf
EPUB := $(STAGE)/$(SLUG).epub
# What Sphinx writes, before the print page list (zhbook.tools.epub_pages) is added from the PDF.
EPUB_UNPAGED := $(BUILD)/epub/$(SLUG).epub
HTML := $(STAGE)/html/index.html
PRESS := $(STAGE)/$(SLUG)-press.pdf
CATALOG := $(STAGE)/catalog/$(SLUG).mrc
# One A4 handout per chapter file: source/chapters/02-paths.md -> dist/handouts/02-paths.pdf
HANDOUT_NAMES := $(basename $(notdir $(wildcard source/chapters/*.md)))
HANDOUTS := $(HANDOUT_NAMES:%=$(STAGE)/handouts/%.pdf)
BOOKLETS := $(HANDOUT_NAMES:%=$(STAGE)/booklets/%.pdf)
DELIVERABLES := $(PDF) $(PRESS) $(HANDOUTS) $(BOOKLETS) $(EPUB) $(HTML) $(CATALOG)

# $(call sphinx,BUILDER): a warning fails the build; the environment is dropped then, so that the next run
# reads every document again and reports the same warnings instead of trusting a half-checked cache. Sphinx does
# not notice a change to the machinery (zhbook/, its theme and templates), so one makes it start afresh (-E).
# Sphinx never deletes what it wrote for a file that is gone, and the HTML and EPUB ship their whole output
# folder: when an input file was deleted or renamed since this builder last ran, its folder starts empty.
# The rendered text is then scanned for markup and unresolved references (zhbook.tools.output_scan).
define sphinx
	@if [ -e $(BUILD)/$(1).inputs ] && [ -n "$$(LC_ALL=C comm -23 $(BUILD)/$(1).inputs $(INPUT_LIST))" ] \
		&& [ "$(2)" = fresh ]; then rm -rf $(BUILD)/$(1) $(BUILD)/doctrees/$(1); fi
	@$(ZHBOOK) stages run "sphinx $(1)" -- $(ZHBOOK) sphinx-build -b $(1) $(SPHINXOPTS) \
		$(if $(filter $(ZHBOOK_DIR)/% pyproject.toml,$?),-E) -d $(BUILD)/doctrees/$(1) source $(BUILD)/$(1) \
		|| { rm -f $(BUILD)/doctrees/$(1)/environment.pickle; exit 1; }
	@cp $(INPUT_LIST) $(BUILD)/$(1).inputs
endef

# Before each publication: nothing in the staging folder that is no longer a deliverable (the handout of a
# chapter that was deleted or renamed, a PDF named after an old slug).
define prune_stage
	@find $(STAGE) -type f -name '*.pdf' $(foreach f,$(DELIVERABLES),-not -path '$(f)') -delete 2>/dev/null || true
endef

.PHONY: all install html epub epub-draft pdf press handouts booklet catalog test clean help

all: dist/.complete ## build every deliverable into dist/ (installs what is missing first)

dist/.complete: $(DELIVERABLES)
	$(prune_stage)
	@touch $(STAGE)/.complete
	@$(ZHBOOK) publish $(STAGE) dist
	@$(ZHBOOK) stages summary
	@echo "  dist/ updated"

html: $(HTML) ## build the HTML edition into dist/html/
	@$(ZHBOOK) publish $(STAGE) dist html
	@$(ZHBOOK) stages summary

epub: $(EPUB) ## build the EPUB 3, with the print edition's page list, into dist/<slug>.epub (builds the PDF too)
	@$(ZHBOOK) publish $(STAGE) dist $(SLUG).epub
	@$(ZHBOOK) stages summary

epub-draft: $(EPUB_UNPAGED) ## a quick EPUB for proofreading, without the page list: build/epub/ only, never dist/
	@echo "  draft EPUB (no print page list, not published): $(EPUB_UNPAGED)"
	@$(ZHBOOK) stages summary

pdf: $(PDF) ## build the book PDF into dist/<slug>.pdf
	@$(ZHBOOK) publish $(STAGE) dist $(SLUG).pdf
	@$(ZHBOOK) stages summary

press: $(PRESS) ## the print-shop PDF (3 mm bleed, crop marks, TrimBox/BleedBox) into dist/<slug>-press.pdf
	@$(ZHBOOK) publish $(STAGE) dist $(SLUG)-press.pdf
	@$(ZHBOOK) stages summary

handouts: $(HANDOUTS) ## one A4 handout per chapter into dist/handouts/ (in parallel under make -j)
	$(prune_stage)
	@$(ZHBOOK) publish $(STAGE) dist handouts
	@$(ZHBOOK) stages summary

booklet: $(BOOKLETS) ## each handout as an A5 booklet on A4 sheets (duplex, flip on short edge) into dist/booklets/
	$(prune_stage)
	@$(ZHBOOK) publish $(STAGE) dist booklets
	@$(ZHBOOK) stages summary

catalog: $(CATALOG) ## write the MARC 21, CNMARC, ONIX, Dublin Core and CIP records into dist/catalog/
	@$(ZHBOOK) publish $(STAGE) dist catalog
	@$(ZHBOOK) stages summary

# Every input file is decoded and checked before Sphinx reads any (zhbook.tools.inputs): invalid UTF-8, control
# characters, a truncated SVG, a metadata field of the wrong type each stop the build with `path:line: what`.
$(BUILD)/inputs.ok: $(SOURCES) | $(INSTALLED)
	@$(ZHBOOK) inputs --metadata $(METADATA) source bib _static
	@touch $@

$(HTML): $(SOURCES) $(BUILD)/inputs.ok
	$(call sphinx,html,fresh)
	@$(ZHBOOK) output_scan --srcdir source html $(BUILD)/html
	@rm -rf $(STAGE)/html && mkdir -p $(STAGE) && cp -r $(BUILD)/html $(STAGE)/html && rm -f $(STAGE)/html/.buildinfo*

$(EPUB_UNPAGED): $(SOURCES) $(BUILD)/inputs.ok
	$(call sphinx,epub,fresh)
	@$(ZHBOOK) output_scan --srcdir source epub $@

# The EPUB's print page list follows the book PDF's folios, so the published EPUB waits for the PDF
# (`make epub-draft` is the quick one, without the list, and is never published).
$(EPUB): $(EPUB_UNPAGED) $(PDF)
	@mkdir -p $(STAGE)
	@$(ZHBOOK) stages run "epub page list" -- $(ZHBOOK) epub_pages $(EPUB_UNPAGED) $(PDF) $@ \
		--metadata $(METADATA)

$(BUILD)/latex/$(SLUG).tex: $(SOURCES) $(BUILD)/inputs.ok
	$(call sphinx,latex)
	@touch $@

$(PDF): $(BUILD)/latex/$(SLUG).tex
	@$(ZHBOOK) texrun $<
	@$(ZHBOOK) output_scan --srcdir source pdf $(BUILD)/latex/$(SLUG).pdf
	@$(ZHBOOK) pdf_finish $(BUILD)/latex/$(SLUG).pdf $@ --metadata $(METADATA)

$(PRESS): $(PDF)
	@$(ZHBOOK) stages run "press $(notdir $@)" -- $(ZHBOOK) press $< $@

# One Sphinx run writes every handout's .tex (only changed files are rewritten); XeLaTeX then runs per handout,
# and latexmk does nothing for a handout whose .tex did not change.
$(BUILD)/handouts/.written: $(SOURCES) $(BUILD)/inputs.ok
	$(call sphinx,handouts)
	@touch $@

# Sphinx rewrites only the handouts' .tex files that changed, so XeLaTeX and the finishing step run only for
# those (and for all of them when SOURCE_DATE_EPOCH changed); an unchanged handout is just marked up to date.
$(STAGE)/handouts/%.pdf: $(BUILD)/handouts/.written
	@if [ ! -e $@ ] || [ $(BUILD)/handouts/$*.tex -nt $@ ] || [ $(EPOCH_STAMP) -nt $@ ]; then \
		$(ZHBOOK) texrun $(BUILD)/handouts/$*.tex && \
		$(ZHBOOK) output_scan --srcdir source pdf $(BUILD)/handouts/$*.pdf && \
		$(ZHBOOK) pdf_finish $(BUILD)/handouts/$*.pdf $@ --metadata $(METADATA) --keep-title; \
	else touch $@; fi

# A booklet follows its handout, but only when XeLaTeX really rewrote the handout (the rule above touches an
# unchanged one) or when the imposition code changed.
$(STAGE)/booklets/%.pdf: $(STAGE)/handouts/%.pdf $(ZHBOOK_DIR)/tools/booklet.py
	@if [ ! -e $@ ] || [ $(BUILD)/handouts/$*.pdf -nt $@ ] || [ $(ZHBOOK_DIR)/tools/booklet.py -nt $@ ]; then \
		$(ZHBOOK) stages run "booklet $*" -- $(ZHBOOK) booklet $< $@; \
	else touch $@; fi

# The catalogue records state the PDF's measures and the book's references, and ONIX the EPUB's accessibility,
# so they follow both.
$(CATALOG): $(PDF) $(EPUB) $(METADATA)
	@rm -rf $(STAGE)/catalog
	@$(ZHBOOK) stages run "catalog" -- $(ZHBOOK) catalog --metadata $(METADATA) --pdf $(PDF) \
		--references-from $(BUILD)/latex/$(SLUG).tex --epub $(EPUB) --out $(STAGE)/catalog

.PHONY: typography
typography: dist/.complete ## report line-breaking faults (孤字, 避头尾, 寡行, letter-spaced lines) of the PDF, HTML, EPUB
	@$(PY) -m zhbook.tools.typography_check pdf --page book $(PDF:$(STAGE)/%=dist/%)
	@$(PY) -m zhbook.tools.typography_check pdf --page handout $(HANDOUTS:$(STAGE)/%=dist/%)
	@$(PY) -m zhbook.tools.typography_check html dist/html
	@$(PY) -m zhbook.tools.typography_check epub $(EPUB:$(STAGE)/%=dist/%)

install: $(INSTALLED) ## install what is missing: Debian packages (as root) and .venv from pyproject.toml

$(BUILD)/.apt-ok: $(BOOK_MAKEFILE) $(ZHBOOK_DIR)/book.mk
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "  apt-get install $$missing"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing || exit 1; \
		else \
			echo "Missing Debian packages. Run this, then make again:"; \
			echo "  sudo apt-get install -y --no-install-recommends" $$missing; \
			exit 1; \
		fi; \
	fi
	@mkdir -p $(BUILD) && touch $@

ifeq ($(INSTALLED),$(PY))
$(INSTALLED): | $(BUILD)/.apt-ok
	@test -x $(PY) || { echo "VENV=$(VENV): there is no Python environment there (no $(PY))"; exit 1; }
else
$(INSTALLED): pyproject.toml | $(BUILD)/.apt-ok
	@echo "  python packages -> $(VENV)"
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check $(PIP_INSTALL)
	@touch $@
endif

# DAISY Ace, the EPUB accessibility checker, pinned in $(ACE_DIR) when the book's tests run it; it drives Debian's
# Chromium.
ifdef ACE_DIR
ACE := $(ACE_DIR)/node_modules/.bin/ace-cli

$(ACE): $(ACE_DIR)/package.json $(ACE_DIR)/package-lock.json | $(BUILD)/.apt-ok
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; } \
		|| { echo "npm is missing. Run: sudo apt-get install -y npm"; exit 1; }
	@echo "  DAISY Ace -> $(ACE_DIR)"
	@PUPPETEER_SKIP_DOWNLOAD=true npm ci --prefix $(ACE_DIR) --no-audit --no-fund --silent
	@touch $@
endif

# axe-core, the accessibility engine the HTML edition's tests run in Debian's Chromium through puppeteer-core,
# pinned in $(AXE_DIR) when the book's tests run it.
ifdef AXE_DIR
AXE := $(AXE_DIR)/node_modules/axe-core/axe.min.js

$(AXE): $(AXE_DIR)/package.json $(AXE_DIR)/package-lock.json | $(BUILD)/.apt-ok
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; } \
		|| { echo "npm is missing. Run: sudo apt-get install -y npm"; exit 1; }
	@echo "  axe-core -> $(AXE_DIR)"
	@PUPPETEER_SKIP_DOWNLOAD=true npm ci --prefix $(AXE_DIR) --no-audit --no-fund --silent
	@touch $@
endif

test: all $(ACE) $(AXE) ## run the test suite on freshly built outputs (builds what is missing first)
	@$(PY) -m pytest -q $(TESTS)

ifdef FUZZ_TESTS
.PHONY: fuzz
fuzz: | $(INSTALLED) ## the damaged-input fuzz test at length: FUZZ_EXAMPLES random damages (default 200, about 15 min)
	@ZHBOOK_FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),200) $(PY) -m pytest -q $(FUZZ_TESTS)
endif

ifdef BENCH
.PHONY: bench
bench: | $(INSTALLED) ## time clean, no-op and one-paragraph builds against plain Sphinx into bench/RESULTS.md (~12 min)
	@$(PY) $(BENCH)
endif

# The live preview (zhbook.tools.serve): its own build folder, never dist/; Ctrl-C stops it.
.PHONY: serve
serve: | $(INSTALLED) ## live preview of the HTML on http://127.0.0.1:PORT (PORT=8000 unless given), rebuilt and reloaded on every save
	@$(ZHBOOK) serve --port $(or $(PORT),8000) --builddir $(BUILD)/preview source bib _static

clean: ## remove build/ and dist/ (the .venv stays)
	rm -rf $(BUILD) dist dist.new dist.old

# The targets with a `## ` description, but for those this book does not have (no BENCH, no FUZZ_TESTS).
help: ## list the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | grep -vE '^($(if $(BENCH),,bench|)$(if $(FUZZ_TESTS),,fuzz|)-):' \
		| sed 's/:.*## /\t/' | expand -t 12

endif
