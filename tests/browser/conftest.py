"""What the browser tests share: the browser marker, and the demo behind a login with two planners (the editor's
tests: tests/browser/editor_session.py)."""

import pytest

from tests.browser.editor_session import planners_server
from tests.browser.harness import copy_demo


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def demo_dir(tmp_path):
    """A copy of the demo campaign for one test."""
    return copy_demo(tmp_path / "data")


@pytest.fixture
def planners(demo_dir, clock):
    """The demo behind a login on the test's clock, with planner1 (张规划) and planner2 (李规划)."""
    with planners_server(demo_dir, clock) as s:
        yield s
