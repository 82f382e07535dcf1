"""The module names of zhbook 0.1 still import for one release (zhbook._compat), as the same modules."""
import importlib
import sys
import warnings

import pytest

from zhbook._compat import RENAMED


@pytest.mark.parametrize("old", sorted(RENAMED))
def test_an_old_name_gives_the_module_under_its_new_name(old):
    sys.modules.pop(f"zhbook.{old}", None)
    with pytest.warns(DeprecationWarning, match=f"zhbook.{RENAMED[old]}"):
        module = importlib.import_module(f"zhbook.{old}")
    assert module is importlib.import_module(f"zhbook.{RENAMED[old]}")


def test_sphinx_loads_an_extension_by_its_old_name(make_app, tmp_path):
    (tmp_path / "conf.py").write_text('extensions = ["zhbook.chapter_numbers"]\n', encoding="utf-8")
    (tmp_path / "index.md").write_text("# 标题\n", encoding="utf-8")
    sys.modules.pop("zhbook.chapter_numbers", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        app = make_app("html", srcdir=tmp_path)
    assert "zhbook.chapter_numbers" in app.extensions
    assert sys.modules["zhbook.chapter_numbers"] is sys.modules["zhbook.ext.chapter_numbers"]
