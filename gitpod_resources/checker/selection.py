"""``--select`` and ``--ignore``: which checks a run reports, by code or code prefix (as ruff).

``--select`` keeps the codes that start with one of its entries (every code when not given);
``--ignore`` then removes the codes that start with one of its. CFG100 (input that could not be
checked) is always reported: it is not a finding about the config but the reason there is none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from . import UNUSABLE, FileResult, all_checks

#: A code (``REG214``) or a prefix of one (``REG``, ``REG2``).
FORM = re.compile(r"[A-Z]+[0-9]{0,3}")
ALLOWED = "codes or prefixes separated by commas, such as REG214 or REG,STO107"


def parse(text: str) -> tuple[str, ...]:
    """The entries of one ``--select``/``--ignore`` value; ValueError says what is wrong."""
    entries = [e.strip().upper() for e in text.split(",")]
    codes = {c.code for c in all_checks()}
    for entry in entries:
        if not FORM.fullmatch(entry):
            raise ValueError(f"{entry or 'an empty entry'!r} is not a code; expected {ALLOWED}")
        if not any(code.startswith(entry) for code in codes):
            raise ValueError(f"no check code starts with {entry!r}; expected {ALLOWED}")
        if entry == UNUSABLE:
            raise ValueError(f"{UNUSABLE} (unusable input) is always reported; expected {ALLOWED}")
    return tuple(entries)


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def of(cls, select: Iterable[Sequence[str]], ignore: Iterable[Sequence[str]]) -> Selection:
        return cls(tuple(e for s in select for e in s), tuple(e for i in ignore for e in i))

    def __call__(self, code: str) -> bool:
        """Whether findings of ``code`` are reported."""
        if code == UNUSABLE:
            return True
        if self.select and not code.startswith(self.select):
            return False
        return not code.startswith(self.ignore) if self.ignore else True

    def apply(self, result: FileResult) -> FileResult:
        """``result`` with the findings (and suppressed findings) of deselected codes left out."""
        if not self.select and not self.ignore:
            return result
        return replace(
            result,
            findings=[f for f in result.findings if self(f.code)],
            suppressed=[f for f in result.suppressed if self(f.code)],
        )
