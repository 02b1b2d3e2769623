from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples"
SEED = SHARED / "seeds" / "000_8d238ed86161bb55.txt"
CORPUS = SHARED / "corpus"


def shared_file(path: Path) -> Path:
    """A file of ../shared, or skip the test cleanly where shared/ is absent."""
    if not path.exists():
        pytest.skip(f"{path.name} is not available (../shared absent)")
    return path
