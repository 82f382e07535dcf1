# 《构建服务型政府》 — `make` installs what is missing and builds every deliverable into dist/;
# `make test` runs the tests. `make help` lists every target.
#
# The rules are zhbook's, for any course book (zhbook/book.mk); this repository is also zhbook's own home, so its
# tests are the machinery's (tests/) and this book's (book_tests/), and it has the benchmark and the fuzz test.

# The machinery's tests (tests/: test roots, the small book, fixtures; never this book) and this book's (book_tests/).
TESTS := tests book_tests
PIP_INSTALL := -e '.[test]'
ACE_DIR := tools/ace
AXE_DIR := tools/axe
BENCH := bench/run.py
FUZZ_TESTS := tests/test_fuzz.py

include zhbook/book.mk
