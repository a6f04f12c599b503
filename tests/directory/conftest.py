"""Fixtures for the directory tests: sample files in tmp_path and the import command."""

from pathlib import Path

import pytest
from click.testing import Result

from . import samples


@pytest.fixture
def write(tmp_path):
    """Write ``text`` to ``tmp_path/name`` (UTF-8 unless bytes are given) and return the path."""

    def write_file(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write_file


@pytest.fixture
def sample_files(write):
    """The GV-ISys and Zensus samples, written to files."""
    return write("gv-isys.csv", samples.gvisys_text()), write("zensus.csv", samples.zensus_text())


@pytest.fixture
def run_import(app):
    """Run ``flask directory import`` on the given paths; assert it never shows a traceback."""

    def run(*paths: Path) -> Result:
        result = app.test_cli_runner().invoke(args=["directory", "import", *map(str, paths)])
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        return result

    return run
