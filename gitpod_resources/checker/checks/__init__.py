"""Check modules: each module here registers its checks with
:func:`gitpod_resources.checker.model.check`.

:func:`load_all` imports every module in this package, so a new section's checks are one new file
(codes by section: ``CFG`` structure, ``REG`` container registry and ``KOTS`` its admin console
items, ``STO`` object storage, ``DB`` database).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache


@cache
def load_all() -> tuple[str, ...]:
    """Import every check module once; return their names."""
    names = tuple(sorted(m.name for m in pkgutil.iter_modules(__path__)))
    for name in names:
        importlib.import_module(f"{__name__}.{name}")
    return names
