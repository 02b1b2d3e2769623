"""kehoach: Vietnamese government plans (Kế hoạch) to structured data.

>>> from kehoach import parse_file
>>> doc = parse_file("samples/ke-hoach-dang-uy.txt")  # doctest: +SKIP
>>> doc.tasks[0].owners.lead  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Document", "KehoachError", "__version__", "parse_bytes", "parse_file", "parse_text",
           "to_data", "to_json"]

if TYPE_CHECKING:
    from .errors import KehoachError
    from .exporters import to_data, to_json
    from .models import Document
    from .pipeline import parse_bytes, parse_file, parse_text


def __getattr__(name: str) -> Any:
    # Lazy: `kehoach --version` must not pay for the pipeline and the readers.
    if name in ("parse_file", "parse_text", "parse_bytes"):
        from . import pipeline

        return getattr(pipeline, name)
    if name in ("to_data", "to_json"):
        from . import exporters

        return getattr(exporters, name)
    if name == "KehoachError":
        from .errors import KehoachError

        return KehoachError
    if name == "Document":
        from .models import Document

        return Document
    raise AttributeError(name)
