import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
SHARED = ROOT.parent / "shared" / "data"
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def need_shared() -> Path:
    """../shared/data, which CI has: missing there is a failure, elsewhere a skip."""
    if SHARED.is_dir():
        return SHARED
    if IN_CI:
        pytest.fail(f"{SHARED} is missing in CI")
    pytest.skip("../shared/data is not beside this checkout")
