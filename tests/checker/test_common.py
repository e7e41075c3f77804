"""The helpers the section checks share (``gitpod_resources/checker/common.py``) are not a check
module: discovery never loads them as one, they register nothing, and every code stays where it
was."""

from __future__ import annotations

import re
import subprocess
import sys

from gitpod_resources import checker
from gitpod_resources.checker import checks
from gitpod_resources.checker.model import Severity
from tests.conftest import ROOT

#: Every code the checker had when the shared helpers moved out of the check modules, by module
#: and severity (E = error, W = warning): the published codes users may filter on.
CODES_BY_MODULE = {
    "structure": {
        **{f"CFG{n}": "E" for n in range(100, 106)},
        **{"CFG106": "W", "CFG107": "W", "CFG108": "W"},
    },
    "container_registry": {
        **{f"REG{n}": "E" for n in range(202, 214)},
        **{"REG201": "W", "REG214": "W", "REG215": "W", "REG216": "W", "REG217": "W"},
        "REG222": "W",
        **{f"REG{n}": "E" for n in range(218, 222)},
        **{"KOTS301": "W", "KOTS302": "E", "KOTS303": "E", "KOTS304": "W"},
    },
    "object_storage": {
        **{f"STO{n}": "E" for n in range(101, 107)},
        **{"STO107": "W", "STO108": "W", "STO109": "W", "STO110": "E", "STO111": "W"},
        **{"STO114": "W", "STO115": "W", "STO116": "E"},
        **{"STO112": "E", "STO113": "E"},
    },
    "database": {
        **{"DB101": "E", "DB102": "E", "DB103": "E", "DB104": "E"},
        **{"DB105": "W", "DB107": "W", "DB108": "E", "DB109": "E", "DB110": "W"},
    },
}


def test_discovery_does_not_load_the_shared_module() -> None:
    names = checks.load_all()
    assert "common" not in names and "_shared" not in names
    assert set(names) == set(CODES_BY_MODULE)
    assert not (ROOT / "gitpod_resources/checker/checks/common.py").exists()


def test_the_shared_module_registers_no_check() -> None:
    """In a fresh interpreter: importing the helpers alone leaves the registry empty."""
    probe = (
        "from gitpod_resources.checker import model\n"
        "import gitpod_resources.checker.common\n"
        "assert list(model.registered()) == [], [c.code for c in model.registered()]\n"
        "import sys\n"
        "assert not [m for m in sys.modules if m.startswith('gitpod_resources.checker.checks.')]\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr


def test_every_code_is_where_it_was() -> None:
    """Each code is written, as the literal the reader greps for, in its section's module, whether
    the module registers it with ``@check`` or through a scaffold of the shared module."""
    severities = {
        chk.code: "E" if chk.severity is Severity.ERROR else "W" for chk in checker.all_checks()
    }
    found = {}
    for module in checks.load_all():
        source = (ROOT / f"gitpod_resources/checker/checks/{module}.py").read_text()
        codes = re.findall(r'(?:^ +|\()"([A-Z]+[0-9]{3})"[,)]', source, re.MULTILINE)
        assert len(codes) == len(set(codes)), module
        found[module] = {code: severities[code] for code in codes}
    assert found == CODES_BY_MODULE
    assert set(severities) == {code for codes in found.values() for code in codes}
