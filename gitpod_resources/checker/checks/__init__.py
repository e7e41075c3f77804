"""Check modules: each module here registers the function of each of its codes with
:func:`gitpod_resources.checker.model.check`; what a code says is its entry of ``checks.yaml``.

:func:`load_all` imports every module in this package, so a new section's checks are one new file
and their entries in ``checks.yaml`` (codes by section: ``CFG`` structure, ``REG`` container
registry and ``KOTS`` its admin console items, ``STO`` object storage, ``DB`` database).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from .. import model


@cache
def load_all() -> tuple[str, ...]:
    """Import every check module once; return their names. Every code ``checks.yaml`` describes
    then has its function."""
    names = tuple(sorted(m.name for m in pkgutil.iter_modules(__path__)))
    for name in names:
        importlib.import_module(f"{__name__}.{name}")
    left = sorted(set(model.described()) - {c.code for c in model.registered()})
    if left:
        raise RuntimeError(f"{model.CHECKS_FILE.name}: no check module registers {', '.join(left)}")
    return names
