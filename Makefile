# 《构建服务型政府》 — `make` installs what is missing and builds every deliverable into dist/;
# `make test` runs the tests. `make help` lists every target.
#
# Everything is built under build/ first; dist/ changes only by one atomic swap after a whole build succeeded
# (zhbook/publish.py), so a failed or interrupted build leaves the last good dist/ as it was.

SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

SLUG := $(shell sed -n 's/^slug *= *"\(.*\)"/\1/p' source/book.toml)
VENV := .venv
PY := $(VENV)/bin/python
BUILD := build
STAGE := $(BUILD)/stage
INSTALLED := $(VENV)/.installed

# Reproducible and offline: dates come from the last commit that changed the book or its machinery, never the
# clock; Python's hash order is fixed.
BUILD_INPUTS := source bib _static zhbook pyproject.toml Makefile
export SOURCE_DATE_EPOCH ?= $(or $(shell git log -1 --format=%ct -- $(BUILD_INPUTS) 2>/dev/null),0)
export FORCE_SOURCE_DATE := 1
export PYTHONHASHSEED := 0

# Debian packages the build needs (installed by apt-get when run as root).
APT_PACKAGES := python3 python3-venv python3-pip git make \
	texlive-xetex texlive-lang-chinese texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
	latexmk fonts-noto-cjk fonts-noto-core poppler-utils qpdf librsvg2-bin default-jre-headless \
	yaz libmarc-lint-perl nodejs chromium

# Anything that can change an output: the book, its sources, the machinery.
SOURCES := $(shell find source bib _static zhbook -type f -not -name '*.pyc' 2>/dev/null) pyproject.toml
# Every output carries the epoch's dates, so a new epoch rebuilds them all: the stamp changes only when it does.
EPOCH_STAMP := $(BUILD)/source-date-epoch
$(shell mkdir -p $(BUILD) && [ "$$(cat $(EPOCH_STAMP) 2>/dev/null)" = "$(SOURCE_DATE_EPOCH)" ] \
	|| echo "$(SOURCE_DATE_EPOCH)" > $(EPOCH_STAMP))
SOURCES += $(EPOCH_STAMP)
SPHINXOPTS := -W --keep-going -n -q

PDF := $(STAGE)/$(SLUG).pdf
EPUB := $(STAGE)/$(SLUG).epub
# What Sphinx writes, before the print page list (zhbook.epub_pages) is added from the PDF.
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
define sphinx
	@$(PY) -m zhbook.stages run "sphinx $(1)" -- $(VENV)/bin/sphinx-build -b $(1) $(SPHINXOPTS) \
		$(if $(filter zhbook/% pyproject.toml,$?),-E) -d $(BUILD)/doctrees/$(1) source $(BUILD)/$(1) \
		|| { rm -f $(BUILD)/doctrees/$(1)/environment.pickle; exit 1; }
endef

.PHONY: all install html epub pdf press handouts booklet catalog test bench clean help

all: dist/.complete ## build every deliverable into dist/ (installs what is missing first)

dist/.complete: $(DELIVERABLES)
	@touch $(STAGE)/.complete
	@$(PY) -m zhbook.publish $(STAGE) dist
	@$(PY) -m zhbook.stages summary
	@echo "  dist/ updated"

html: $(HTML) ## build the HTML edition into dist/html/
	@$(PY) -m zhbook.publish $(STAGE) dist html
	@$(PY) -m zhbook.stages summary

# make runs a recipe line that names $(MAKE) even under -n, -q and -t; such a line must then do nothing. The
# single-letter flags are the first word of MAKEFLAGS, unless it starts with a long option.
MAKE_LETTERS := $(filter-out -%,$(firstword $(MAKEFLAGS)))
NOT_REALLY := $(findstring n,$(MAKE_LETTERS))$(findstring q,$(MAKE_LETTERS))$(findstring t,$(MAKE_LETTERS))

epub: $(EPUB_UNPAGED) ## build the EPUB 3 into dist/<slug>.epub (print page list included once the PDF is current)
	@if [ -n "$(NOT_REALLY)" ]; then exit 0; fi; \
	if $(MAKE) --no-print-directory -q $(PDF) 2>/dev/null; then \
		$(MAKE) --no-print-directory -s $(EPUB) && $(PY) -m zhbook.publish $(STAGE) dist $(SLUG).epub; \
	else \
		rm -rf $(BUILD)/unpaged && mkdir -p $(BUILD)/unpaged && cp $(EPUB_UNPAGED) $(BUILD)/unpaged/ && \
		$(PY) -m zhbook.publish $(BUILD)/unpaged dist $(SLUG).epub && \
		echo "  dist/$(SLUG).epub has no print page list yet: the PDF is out of date (make builds both)"; \
	fi
	@$(PY) -m zhbook.stages summary

pdf: $(PDF) ## build the book PDF into dist/<slug>.pdf
	@$(PY) -m zhbook.publish $(STAGE) dist $(SLUG).pdf
	@$(PY) -m zhbook.stages summary

press: $(PRESS) ## the print-shop PDF (3 mm bleed, crop marks, TrimBox/BleedBox) into dist/<slug>-press.pdf
	@$(PY) -m zhbook.publish $(STAGE) dist $(SLUG)-press.pdf
	@$(PY) -m zhbook.stages summary

handouts: $(HANDOUTS) ## one A4 handout per chapter into dist/handouts/ (in parallel under make -j)
	@$(PY) -m zhbook.publish $(STAGE) dist handouts
	@$(PY) -m zhbook.stages summary

booklet: $(BOOKLETS) ## each handout as an A5 booklet on A4 sheets (duplex, flip on short edge) into dist/booklets/
	@$(PY) -m zhbook.publish $(STAGE) dist booklets
	@$(PY) -m zhbook.stages summary

catalog: $(CATALOG) ## write the MARC 21, MARCXML, Dublin Core and CIP records into dist/catalog/
	@$(PY) -m zhbook.publish $(STAGE) dist catalog
	@$(PY) -m zhbook.stages summary

# A bad metadata file stops the build before Sphinx, with one line naming the file, line and field.
$(BUILD)/metadata.ok: source/book.toml | $(INSTALLED)
	@$(PY) -m zhbook.metadata $<
	@touch $@

$(HTML): $(SOURCES) $(BUILD)/metadata.ok
	$(call sphinx,html)
	@rm -rf $(STAGE)/html && mkdir -p $(STAGE) && cp -r $(BUILD)/html $(STAGE)/html && rm -f $(STAGE)/html/.buildinfo

$(EPUB_UNPAGED): $(SOURCES) $(BUILD)/metadata.ok
	$(call sphinx,epub)

# The EPUB's print page list follows the book PDF's folios, so the published EPUB waits for the PDF; `make epub`
# alone does not (see the epub target), so that an editor's preview stays quick.
$(EPUB): $(EPUB_UNPAGED) $(PDF)
	@mkdir -p $(STAGE)
	@$(PY) -m zhbook.stages run "epub page list" -- $(PY) -m zhbook.epub_pages $(EPUB_UNPAGED) $(PDF) $@ \
		--metadata source/book.toml

$(BUILD)/latex/$(SLUG).tex: $(SOURCES) $(BUILD)/metadata.ok
	$(call sphinx,latex)
	@touch $@

$(PDF): $(BUILD)/latex/$(SLUG).tex
	@$(PY) -m zhbook.texrun $<
	@$(PY) -m zhbook.pdf_finish $(BUILD)/latex/$(SLUG).pdf $@ --metadata source/book.toml

$(PRESS): $(PDF)
	@$(PY) -m zhbook.stages run "press $(notdir $@)" -- $(PY) -m zhbook.press $< $@

# One Sphinx run writes every handout's .tex (only changed files are rewritten); XeLaTeX then runs per handout,
# and latexmk does nothing for a handout whose .tex did not change.
$(BUILD)/handouts/.written: $(SOURCES) $(BUILD)/metadata.ok
	$(call sphinx,handouts)
	@touch $@

# Sphinx rewrites only the handouts' .tex files that changed, so XeLaTeX and the finishing step run only for
# those (and for all of them when SOURCE_DATE_EPOCH changed); an unchanged handout is just marked up to date.
$(STAGE)/handouts/%.pdf: $(BUILD)/handouts/.written
	@if [ ! -e $@ ] || [ $(BUILD)/handouts/$*.tex -nt $@ ] || [ $(EPOCH_STAMP) -nt $@ ]; then \
		$(PY) -m zhbook.texrun $(BUILD)/handouts/$*.tex && \
		$(PY) -m zhbook.pdf_finish $(BUILD)/handouts/$*.pdf $@ --metadata source/book.toml --keep-title; \
	else touch $@; fi

# A booklet follows its handout, but only when XeLaTeX really rewrote the handout (the rule above touches an
# unchanged one) or when the imposition code changed.
$(STAGE)/booklets/%.pdf: $(STAGE)/handouts/%.pdf zhbook/booklet.py
	@if [ ! -e $@ ] || [ $(BUILD)/handouts/$*.pdf -nt $@ ] || [ zhbook/booklet.py -nt $@ ]; then \
		$(PY) -m zhbook.stages run "booklet $*" -- $(PY) -m zhbook.booklet $< $@; \
	else touch $@; fi

# The catalogue records count the PDF's pages and the book's references, so they follow the PDF.
$(CATALOG): $(PDF) source/book.toml
	@rm -rf $(STAGE)/catalog
	@$(PY) -m zhbook.stages run "catalog" -- $(PY) -m zhbook.catalog --metadata source/book.toml --pdf $(PDF) \
		--references-from $(BUILD)/latex/$(SLUG).tex --out $(STAGE)/catalog

.PHONY: typography
typography: dist/.complete ## report line-breaking faults (孤字, 避头尾, 寡行, letter-spaced lines) of the PDF, HTML, EPUB
	@$(PY) -m zhbook.typography_check pdf $(PDF:$(STAGE)/%=dist/%) $(HANDOUTS:$(STAGE)/%=dist/%)
	@$(PY) -m zhbook.typography_check html dist/html
	@$(PY) -m zhbook.typography_check epub $(EPUB:$(STAGE)/%=dist/%)

install: $(INSTALLED) ## install what is missing: Debian packages (as root) and .venv from pyproject.toml

$(BUILD)/.apt-ok: Makefile
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

$(INSTALLED): pyproject.toml | $(BUILD)/.apt-ok
	@echo "  python packages -> $(VENV)"
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

# DAISY Ace, the EPUB accessibility checker the tests run, pinned in tools/ace; it drives Debian's Chromium.
ACE := tools/ace/node_modules/.bin/ace-cli

$(ACE): tools/ace/package.json tools/ace/package-lock.json | $(BUILD)/.apt-ok
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; } \
		|| { echo "npm is missing. Run: sudo apt-get install -y npm"; exit 1; }
	@echo "  DAISY Ace -> tools/ace"
	@PUPPETEER_SKIP_DOWNLOAD=true npm ci --prefix tools/ace --no-audit --no-fund --silent
	@touch $@

test: all $(ACE) ## run the test suite on freshly built outputs (builds what is missing first)
	@$(PY) -m pytest -q

bench: | $(INSTALLED) ## time clean, no-op and one-paragraph builds against plain Sphinx into bench/RESULTS.md (~12 min)
	@$(PY) bench/run.py

clean: ## remove build/ and dist/ (the .venv stays)
	rm -rf $(BUILD) dist dist.new dist.old

help: ## list the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12
