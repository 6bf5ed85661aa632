from __future__ import annotations

import pytest

from provcheck.pair.comparer import Provcheck


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/*.json from the current output"
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def pc() -> Provcheck:
    """One comparison session for the whole test run (dictionaries load once)."""
    return Provcheck()
