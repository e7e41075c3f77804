"""The installer's loader, one running process for the session (tests/support/installer_oracle.py),
for every checker test that compares with it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import require
from tests.support import installer_oracle
from tests.support.installer_oracle import InstallerOracle


@pytest.fixture(scope="session")
def oracle() -> Iterator[InstallerOracle]:
    require(installer_oracle.available(), installer_oracle.MISSING)
    running = InstallerOracle(installer_oracle.build())
    yield running
    running.close()
