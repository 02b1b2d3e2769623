"""Real public documents in ../shared/corpus (skipped where absent): issue 4's facts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kehoach import parse_file
from kehoach.cli import main
from kehoach.errors import KehoachError
from kehoach.models import Document, Node

from .conftest import CORPUS, shared_file


def _parse(name: str) -> Document:
    return parse_file(shared_file(CORPUS / name))


def _walk(nodes: list[Node]) -> list[Node]:
    return [m for n in nodes for m in [n, *_walk(n.children)]]


def _node(doc: Document, node_id: str) -> Node:
    return next(n for n in _walk(doc.sections) if n.id == node_id)


def test_lam_dong_draft_plan() -> None:
    doc = _parse("kh-tuyen-truyen-cchc-lam-dong-2026.docx")
    assert [n.id for n in doc.sections if n.kind == "roman"] == ["I", "II", "III", "IV"]
    assert [c.marker for c in _node(doc, "II.2").children] == [
        "a)", "b)", "c)", "d)", "đ)", "e)", "g)"]
    table_tasks = [t for t in doc.tasks if t.origin == "table"]
    assert len(table_tasks) >= 19
    m = doc.metadata
    assert m.issuer is not None and "Lâm Đồng" in m.issuer
    assert m.number is None  # 'Số:           /KH-UBND': a draft's blank number
    assert m.signer is not None and m.signer.position == "PHÓ CHỦ TỊCH"
    assert "Bộ Nội vụ" in m.recipients
    assert (m.regime, m.doc_type, m.place) == ("state", "Kế hoạch", "Lâm Đồng")


def test_lao_cai_plan_with_appendix_table() -> None:
    doc = _parse("kh-ubnd-lao-cai-chi-thi-11-khoang-san.docx")
    assert [n.id for n in doc.sections if n.kind == "roman" and n.marker != "Phụ lục"] == [
        "I", "II", "III", "IV", "V"]
    appendix = [t for t in doc.tasks if t.origin == "table"]
    assert len(appendix) >= 12
    assert all(t.owners.lead for t in appendix)
    assert not any(t.text.startswith("(") for t in appendix)  # the '(1) (2) (3)' row
    q2 = [t for t in appendix if t.timeframe and t.timeframe.raw == "Xong trong Quý II/2026"]
    assert q2 and all((t.timeframe.start, t.timeframe.end) == ("2026-04-01", "2026-06-30")
                      for t in q2 if t.timeframe)
    assert "khoáng sản1" not in " ".join(n.text for n in _walk(doc.sections))
    assert doc.metadata.signer is not None
    assert doc.metadata.signer.name == "Nguyễn Thành Sinh"


def test_report_is_a_bao_cao() -> None:
    doc = _parse("bc-ubnd-lao-cai-khoang-san-2025.docx")
    assert (doc.metadata.doc_type, doc.metadata.doc_type_code) == ("Báo cáo", "BC")
    assert doc.sections


def test_submission_pdf_with_native_text() -> None:
    doc = _parse("ttr-176-snv-lam-dong.pdf")
    assert (doc.metadata.doc_type, doc.metadata.number) == ("Tờ trình", "176/TTr-SNV")
    assert doc.source.text_layer == "native" and doc.source.pages
    assert doc.metadata.date == "2026-03-17"
    assert all(n.span.page for n in _walk(doc.sections))


def test_legacy_doc_converts_where_libreoffice_is_installed() -> None:
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice is not installed")
    doc = _parse("ttr-05-snv-lam-dong.doc")
    assert doc.source.format == "doc" and doc.metadata.doc_type == "Tờ trình"


def test_docx_renamed_pdf_parses_as_docx(tmp_path: Path) -> None:
    renamed = tmp_path / "plan.pdf"
    renamed.write_bytes(shared_file(CORPUS / "kh-2242-kiem-tra-cap-gcn.docx").read_bytes())
    doc = parse_file(renamed)
    assert doc.source.format == "docx" and doc.source.name == "plan.pdf"
    # 'SỞ CÔNG THƯƠNG' in the header: both fields of the department's name capitalised
    assert (doc.metadata.issuer, doc.metadata.issuer_parent) == ("Sở Công Thương",
                                                                 "UBND tỉnh Lào Cai")


def test_truncated_pdf_is_one_line_exit_1(tmp_path: Path) -> None:
    data = shared_file(CORPUS / "ttr-176-snv-lam-dong.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 3])
    result = CliRunner().invoke(main, ["parse", str(cut)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cut.pdf: ") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("name", ["kh-1105-dkt-kiem-tra-vlncn.pdf",
                                  "kh-996-tctlntw-c04-scan.pdf"])
def test_broken_text_layers_never_yield_garbage(name: str) -> None:
    try:
        doc = _parse(name)
    except KehoachError as err:
        assert "\n" not in str(err)
        return
    text = " ".join(n.text for n in _walk(doc.sections))
    assert not any("\u0400" <= c <= "\u04ff" for c in text)
