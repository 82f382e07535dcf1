"""The synthetic longer book: every chapter copied with each label, name and chapter file renamed, references inside
a copy pointing at the same copy.
"""
from __future__ import annotations

import re

from copies import Book

LABEL_DEF = re.compile(r"^\(([^)\s]+)\)=[ \t]*$", re.M)


NAME_OPT = re.compile(r"^(:(?:name|label):[ \t]+)(\S+)[ \t]*$", re.M)


REF_ROLE = re.compile(r"\{(ref|numref|doc|eq|term)\}`([^`]*)`")


def multiply(book: Book, copies: int) -> tuple[int, int]:
    """Add ``copies - 1`` copies of every chapter to the book, every label, name and file renamed (-xK).

    References inside a copy point at the same copy's targets; references to targets outside the chapters (the
    timeline, the glossary) are left alone. Returns the number of chapter files and labels copied.
    """
    chapters = book.chapters()
    texts = {p: p.read_text(encoding="utf-8") for p in chapters}
    labels = set()
    for text in texts.values():
        labels.update(LABEL_DEF.findall(text))
        labels.update(m.group(2) for m in NAME_OPT.finditer(text))
    stems = {p.stem for p in chapters}

    def rename(text: str, suffix: str) -> str:
        text = LABEL_DEF.sub(lambda m: f"({m.group(1)}{suffix})=", text)
        text = NAME_OPT.sub(lambda m: f"{m.group(1)}{m.group(2)}{suffix}" if m.group(2) in labels else m.group(0),
                            text)

        def ref(m: re.Match) -> str:
            role, body = m.group(1), m.group(2)
            if role == "term":
                return m.group(0)
            explicit = re.match(r"^(.*<)([^>]+)(>)$", body, re.S)
            head, target, tail = explicit.groups() if explicit else ("", body, "")
            if role == "doc":
                stem = target.rsplit("/", 1)[-1]
                if stem in stems:
                    target = target[: len(target) - len(stem)] + stem + suffix
            elif target in labels:
                target += suffix
            return f"{{{role}}}`{head}{target}{tail}`"

        return REF_ROLE.sub(ref, text)

    index_path = book.root / "source" / "index.md"
    index = index_path.read_text(encoding="utf-8")
    last = f"chapters/{chapters[-1].stem}"
    extra = []
    for k in range(1, copies):
        suffix = f"-x{k}"
        for path, text in texts.items():
            path.with_name(f"{path.stem}{suffix}.md").write_text(rename(text, suffix), encoding="utf-8")
            extra.append(f"chapters/{path.stem}{suffix}")
    index = re.sub(rf"^{re.escape(last)}$", "\n".join([last, *extra]), index, count=1, flags=re.M)
    index_path.write_text(index, encoding="utf-8")
    return len(chapters), len(labels)
