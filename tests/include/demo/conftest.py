"""One generated demo per test session (default seed), shared by the demo tests."""

from __future__ import annotations

import pytest

from tests.include.demo.landing_files import SEED


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """(demo object, landing folder, truth dict) for the default seed."""
    from include.demo.build import build, truth_of, write_landing

    landing = tmp_path_factory.mktemp("demo") / "landing"
    demo = build(SEED)
    write_landing(demo, landing)
    return demo, landing, truth_of(demo)
