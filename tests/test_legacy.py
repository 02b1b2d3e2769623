"""Issue 6: TCVN3/VNI detected from content and decoded; Unicode and English never touched."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest

from kehoach.legacy import repair
from kehoach.readers import Line, read_bytes

from .conftest import CORPUS, SAMPLES, SEED

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("C¨n cø NghÞ ®Þnh sè 15/CP", "Căn cứ Nghị định số 15/CP"),
        ("quyÕt ®Þnh cña Bé tr\u00adëng", "quyết định của Bộ trưởng"),
        ("Tr\u2212¬ng", "Trương"),
        ("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("B¸o c¸o tµi chÝnh quý II n¨m 2026", "Báo cáo tài chính quý II năm 2026"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("ñöôïc nhöõng Chæ thò", "được những Chỉ thị"),
        ("Xin chaøo caùc baïn", "Xin chào các bạn"),
        ("Ke\u0302\u0301 hoa\u0323ch", "Kế hoạch"),  # NFD / cp1258-style combining marks
    ],
)
def test_legacy_text_is_decoded(legacy: str, unicode: str) -> None:
    assert repair(legacy) == unicode


@pytest.mark.parametrize(
    "text",
    [
        "Herr Müller und Jürgen",
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "hoàn thành các việc",
        "The committee's café menu: crème brûlée, 5 €",
        "Số: 134 /KH-UBND   Lào Cai, ngày 26 tháng 3 năm 2026",
    ],
)
def test_unicode_and_english_are_unchanged(text: str) -> None:
    assert repair(text) == text


def _sample_lines() -> list[str]:
    files = sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("*.md"))
    files += [SEED] if SEED.exists() else []
    return [line for f in files for line in f.read_text(encoding="utf-8").splitlines()]


def _docx_runs(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return [unicodedata.normalize("NFC", t) for t in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)]


def test_samples_and_corpus_docx_pass_through_byte_identical() -> None:
    texts = _sample_lines()
    if CORPUS.exists():
        for path in sorted(CORPUS.glob("*.docx")):
            texts += _docx_runs(path)
            texts += [b.text for b in read_bytes(path.read_bytes(), path.name).blocks
                      if isinstance(b, Line)]
    assert len(texts) > (200 if CORPUS.exists() else 100)  # the samples alone give ~130
    assert [t for t in texts if repair(t) != t] == []


def _docx(runs: list[tuple[str, str]]) -> bytes:
    """A minimal DOCX: one paragraph per (font, text), the font set on the run."""
    body = "".join(
        f'<w:p><w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>'
        f'<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
        for font, text in runs
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
            '/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
            'application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
            'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas'
            '.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/'
            'document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}'
            "</w:body></w:document>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


def _texts(data: bytes) -> list[str]:
    return [b.text for b in read_bytes(data, "t.docx").blocks if isinstance(b, Line)]


def test_docx_with_tcvn3_runs_in_vntime() -> None:
    data = _docx([(".VnTimeH", "CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM"),
                  (".VnTime", "Céng hoµ x· héi chñ nghÜa ViÖt Nam")])
    assert _texts(data) == ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                            "Cộng hoà xã hội chủ nghĩa Việt Nam"]


def test_docx_with_vni_runs() -> None:
    data = _docx([("VNI-Times", "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam")])
    assert _texts(data) == ["Cộng hòa xã hội chủ nghĩa Việt Nam"]


def test_docx_declaring_vntime_but_holding_unicode_is_unchanged() -> None:
    lines = ["Cộng hoà xã hội chủ nghĩa Việt Nam", "Độc lập - Tự do - Hạnh phúc",
             "KẾ HOẠCH triển khai năm 2026", "Plan for 2026 (draft)"]
    assert _texts(_docx([(".VnTime", t) for t in lines])) == lines


def test_nfd_text_file_is_composed() -> None:
    nfd = unicodedata.normalize("NFD", "Kế hoạch số 12/KH-UBND\nCộng hòa xã hội\n")
    raw = read_bytes(nfd.encode("utf-8"), "nfd.txt")
    assert [b.text for b in raw.blocks if isinstance(b, Line)] == [
        "Kế hoạch số 12/KH-UBND", "Cộng hòa xã hội"]
