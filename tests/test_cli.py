"""zhbook.cli: Sphinx's crash report becomes one line, worded for who has to act on it (issue 18)."""
from zhbook.cli import crash_summary

REPORT = """
{header}

Versions
========

* Sphinx version:   9.0.4

Last Messages
=============

    reading sources...

Traceback
=========

      File "/x/sphinx/events.py", line 415, in emit
        raise ExtensionError(
    {exception}


The full traceback has been saved in:
/tmp/sphinx-err-abc.log

To report this error to the developers, please open an issue at <https://github.com/sphinx-doc/sphinx/issues/>.
"""


def summary(header: str, exception: str) -> str:
    return crash_summary(REPORT.format(header=header, exception=exception).splitlines(keepends=True))


def test_an_error_raised_on_purpose_is_its_own_message():
    assert summary("Bibliography error!", "zhbook.ext.citations.BibliographyError: 2 problem(s) in the bib files") == \
        "error: 2 problem(s) in the bib files"
    assert summary("Configuration error!", "zhbook.metadata.MetadataError: source/book.toml:3: year: must be …") == \
        "source/book.toml:3: year: must be …"


def test_a_bug_names_the_extension_handler_and_how_to_see_the_traceback():
    line = summary("Extension error (zhbook.ext.timeline)!",
                   "sphinx.errors.ExtensionError: Handler <function load_and_check at 0x7f> for event "
                   "'builder-inited' threw an exception (exception: list index out of range)")
    assert line == ("error: Sphinx crashed in zhbook.ext.timeline (in load_and_check, handling builder-inited: list index "
                    "out of range); a bug in the pipeline, not in the book: `make DEBUG=1` shows the traceback "
                    "(report: /tmp/sphinx-err-abc.log)")
    assert summary("", "KeyError: 'figures/flow.svg'").startswith("error: Sphinx crashed (KeyError: 'figures/flow.svg')")
