"""Sphinx extension: the book's schema.org ``Book`` JSON-LD in the head of every HTML page.

The record is built by :func:`zhbook.tools.catalog.book_jsonld` from the metadata file named by the config value
``zhbook_metadata_file`` (relative to the folder of conf.py), so search engines and reference managers read the
same title, creators, language and ISBNs as the library records. EPUB pages get no script: EPUB content documents
with scripts must be declared "scripted", and the OPF already carries the metadata.

In conf.py::

    extensions = [..., "zhbook.ext.schema_org"]
    zhbook_metadata_file = "book.toml"
"""
from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from zhbook import metadata
from zhbook.tools.catalog import jsonld_script

HTML_BUILDERS = ("html", "dirhtml", "singlehtml")


def _check_metadata(app: Sphinx, config: Config) -> None:
    """Read the metadata at start-up, so a bad file stops the build before anything is written."""
    try:
        metadata.from_app(app)
    except FileNotFoundError:
        raise ConfigError(f"{metadata.CONFIG_NAME}: {metadata.metadata_path(app.confdir, config)} "
                          "does not exist") from None
    except metadata.MetadataError as exc:
        raise ConfigError(str(exc)) from None


def _add_jsonld(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.name not in HTML_BUILDERS:
        return
    script = f'<script type="application/ld+json">\n{jsonld_script(metadata.from_app(app))}\n</script>\n'
    context["metatags"] = context.get("metatags", "") + script


def setup(app: Sphinx) -> dict:
    metadata.add_config_value(app)  # zhbook_metadata_file, shared with the other zhbook extensions
    app.connect("config-inited", _check_metadata)
    app.connect("html-page-context", _add_jsonld)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
