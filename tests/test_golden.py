"""Committed outputs for every sample, compared byte for byte.

Regenerate with ``KEHOACH_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and review the
diff like code; ``test_update_flag_is_off`` fails while the flag is set, so it never lands on.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kehoach import parse_file
from kehoach.exporters import to_json, to_yaml

from .conftest import ROOT, SAMPLES

GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("KEHOACH_UPDATE_GOLDEN") == "1"
SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md", ".docx", ".pdf"))


def _check(path: Path, text: str) -> None:
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden {path.name}: run with KEHOACH_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
def test_golden(sample: Path) -> None:
    doc = parse_file(sample)
    _check(GOLDEN / f"{sample.name}.json", to_json(doc))
    _check(GOLDEN / f"{sample.name}.yaml", to_yaml(doc))


def test_update_flag_is_off() -> None:
    assert not UPDATE, "KEHOACH_UPDATE_GOLDEN is set: goldens were rewritten, not compared"
