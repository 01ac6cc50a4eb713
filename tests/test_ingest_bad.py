"""Bad input: a clear error from errors.py, naming the file and the reason, in bounded time."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from reportanalysis.errors import (
    CorruptFileError,
    DecodingError,
    EmptyReportError,
    EncryptedFileError,
    InputError,
    MissingFileError,
    NoTextLayerError,
    UnsafeFileError,
    UnsupportedFormatError,
)
from reportanalysis.ingest import Limits, read_report, read_reports


def _docx_bytes(text: str = "De samenwerking verloopt goed.") -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pdf_bytes(text: str | None = "Een gewone zin.", **encryption: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.add_page()
    if text is None:
        pdf.rect(20, 20, 80, 40, style="F")  # a page with only a drawing: no text layer
    else:
        pdf.cell(0, 10, text)
    return bytes(pdf.output())


def _raises(path: Path, kind: type[InputError], *words: str) -> InputError:
    with pytest.raises(kind) as info:
        read_report(path)
    err = info.value
    assert err.path == str(path)
    assert str(path) in str(err)
    for word in words:
        assert word in err.reason
    return err


def test_missing_path(tmp_path):
    _raises(tmp_path / "weg.txt", MissingFileError, "does not exist")


def test_unknown_extension(tmp_path):
    (tmp_path / "verslag.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    _raises(tmp_path / "verslag.doc", UnsupportedFormatError, ".docx")
    (tmp_path / "foto.png").write_bytes(b"\x89PNG")
    _raises(tmp_path / "foto.png", UnsupportedFormatError, ".png")


@pytest.mark.parametrize("content", [b"", b"   \r\n\t\n", "\ufeff  \n".encode()])
def test_empty_text(tmp_path, content):
    (tmp_path / "leeg.txt").write_bytes(content)
    _raises(tmp_path / "leeg.txt", EmptyReportError, "no text")


def test_empty_docx(tmp_path):
    (tmp_path / "leeg.docx").write_bytes(_docx_bytes(""))
    _raises(tmp_path / "leeg.docx", EmptyReportError)


def test_random_bytes_named_txt(tmp_path):
    rng = random.Random(7)
    (tmp_path / "ruis.txt").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    _raises(tmp_path / "ruis.txt", DecodingError)
    # without NUL bytes, the share of control characters gives it away
    noise = bytes(rng.choice([b for b in range(1, 256)]) for _ in range(4096))
    (tmp_path / "ruis2.txt").write_bytes(noise)
    _raises(tmp_path / "ruis2.txt", DecodingError)


def test_binary_file_named_txt(tmp_path):
    (tmp_path / "verslag.txt").write_bytes(_docx_bytes())
    _raises(tmp_path / "verslag.txt", DecodingError)


def test_truncated_docx(tmp_path):
    data = _docx_bytes()
    (tmp_path / "kapot.docx").write_bytes(data[: len(data) // 2])
    _raises(tmp_path / "kapot.docx", CorruptFileError, "truncated")


def test_text_file_named_docx(tmp_path):
    (tmp_path / "nep.docx").write_text("gewoon tekst", encoding="utf-8")
    _raises(tmp_path / "nep.docx", CorruptFileError)


def test_password_protected_docx(tmp_path):
    """Word saves an encrypted .docx as an OLE compound file, not a zip."""
    cfb = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"EncryptedPackage" * 32
    (tmp_path / "geheim.docx").write_bytes(cfb)
    _raises(tmp_path / "geheim.docx", EncryptedFileError, "password")


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_broken_pdf(tmp_path, damage):
    garbage = b"%PDF-1.7\n" + random.Random(3).randbytes(2000)
    data = garbage if damage == "garbage" else _pdf_bytes()[:300]
    (tmp_path / "kapot.pdf").write_bytes(data)
    _raises(tmp_path / "kapot.pdf", CorruptFileError)


def test_password_protected_pdf(tmp_path):
    (tmp_path / "geheim.pdf").write_bytes(_pdf_bytes(owner_password="a", user_password="b"))
    _raises(tmp_path / "geheim.pdf", EncryptedFileError, "password")


def test_pdf_without_text_layer(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(_pdf_bytes(None))
    _raises(tmp_path / "scan.pdf", NoTextLayerError, "OCR")


def _write_bomb(path: Path, member: str, megabytes: int) -> None:
    """A zip whose one member unpacks to ``megabytes`` MB of zeros, written streaming."""
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open(member, "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><w:document>')
            for _ in range(megabytes):
                fh.write(chunk)


@pytest.mark.timeout(120)
def test_zip_bomb_docx(tmp_path):
    path = tmp_path / "bom.docx"
    _write_bomb(path, "word/document.xml", 300)
    assert path.stat().st_size < 2 * 1024 * 1024
    err = _raises(path, UnsafeFileError, "zip bomb")
    assert "word/document.xml" in err.reason


def test_zip_bomb_by_ratio_and_total(tmp_path):
    path = tmp_path / "klein.zip"
    _write_bomb(path, "a.txt", 8)  # 8 MB of zeros: under the size cap, far over the ratio
    _raises(path, UnsafeFileError, "compressed")
    with pytest.raises(UnsafeFileError, match="unpacks to"):
        read_report(path, limits=Limits(max_member_bytes=4 * 1024 * 1024))


def test_lying_declared_size_is_caught(tmp_path):
    """A member that declares fewer bytes than it holds is refused, never read past its claim."""
    path = tmp_path / "leugen.zip"
    body = ("Dit is een echt verslag over de samenwerking. " * 2000).encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("verslag.txt", body)
    data = bytearray(path.read_bytes())
    # patch the declared size (local header and central directory) to 100 bytes
    real = len(body).to_bytes(4, "little")
    fake = (100).to_bytes(4, "little")
    assert data.count(real) == 2
    path.write_bytes(bytes(data).replace(real, fake))
    result = read_reports(path)
    assert not result.reports
    assert isinstance(result.skipped[0], CorruptFileError | UnsafeFileError)


def test_docx_with_external_entity(tmp_path):
    src = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    path = tmp_path / "xxe.docx"
    with zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(
                    b"?>",
                    b'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                    1,
                ).replace(b"verloopt goed", b"verloopt &x;")
            out.writestr(info, data)
    _raises(path, UnsafeFileError, "entities")


def test_html_with_entity_declaration(tmp_path):
    html = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "http://example.nl/x">]>'
        "<html><body><p>&x;</p></body></html>"
    )
    (tmp_path / "xxe.html").write_text(html, encoding="utf-8")
    _raises(tmp_path / "xxe.html", UnsafeFileError, "entities")


def test_zip_slip_member(tmp_path):
    path = tmp_path / "slip.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("goed.txt", "Een goed verslag.")
        zf.writestr("../../buiten.txt", "Kwaadaardig.")
    result = read_reports(path)
    assert not result.reports
    assert isinstance(result.skipped[0], UnsafeFileError)
    assert "outside the archive" in result.skipped[0].reason
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("/etc/abs.txt", "Kwaadaardig.")
    assert isinstance(read_reports(path).skipped[0], UnsafeFileError)


def test_too_many_members(tmp_path):
    path = tmp_path / "veel.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(12):
            zf.writestr(f"v{i}.txt", f"Verslag nummer {i}.")
    assert len(read_reports(path).reports) == 12
    result = read_reports(path, limits=Limits(max_members=10))
    assert isinstance(result.skipped[0], UnsafeFileError) and "12 members" in str(result.skipped[0])


def test_file_over_size_limit(tmp_path):
    (tmp_path / "groot.txt").write_text("tekst " * 1000, encoding="utf-8")
    with pytest.raises(UnsafeFileError, match="limit"):
        read_report(tmp_path / "groot.txt", limits=Limits(max_file_bytes=1000))


def test_collect_reads_the_rest(tmp_path):
    good = tmp_path / "goed.txt"
    good.write_text("Verslag bezoek 1 – De Tuin\nAlles ging goed.\n", encoding="utf-8")
    (tmp_path / "leeg.txt").write_bytes(b"")
    (tmp_path / "kapot.docx").write_bytes(_docx_bytes()[:500])
    (tmp_path / "kapot.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    paths = [tmp_path / "weg.txt", tmp_path, tmp_path / "x.xyz"]
    result = read_reports(paths)
    assert [r.id for r in result.reports] == ["goed"]
    kinds = sorted(type(e).__name__ for e in result.skipped)
    assert kinds == [
        "CorruptFileError",
        "CorruptFileError",
        "EmptyReportError",
        "MissingFileError",
        "MissingFileError",
    ]
    with pytest.raises(MissingFileError):
        read_reports(paths, errors="raise")


@pytest.mark.parametrize(
    "text",
    [
        "De\u00a0gemeente\u00a0belt\u00a0Karin\u00a0elke\u00a0week.\u00a0Zij\u00a0is\u00a0blij.",
        "Ge\u00admeen\u00adte\u200bbelt\u2009elke\u202fweek\u200e en\u2060 Karin\u00a0is blij.",
    ],
)
def test_no_break_spaces_and_format_characters_are_text(tmp_path, text):
    """Word and web pages put no-break spaces, soft hyphens and zero-width characters in text."""
    for encoding in ("utf-8", "utf-16"):
        path = tmp_path / f"verslag-{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        assert read_report(path).text == text


def test_a_password_protected_zip_member_is_called_encrypted(tmp_path):
    import shutil
    import subprocess

    from reportanalysis.ingest import read_reports

    if shutil.which("zip") is None:
        pytest.skip("the zip command makes the encrypted archive")
    (tmp_path / "geheim.txt").write_text("Een verslag over de gemeente.\n", encoding="utf-8")
    subprocess.run(
        ["zip", "-q", "-P", "wachtwoord", "enc.zip", "geheim.txt"], cwd=tmp_path, check=True
    )
    (err,) = read_reports(tmp_path / "enc.zip").skipped
    assert type(err).__name__ == "EncryptedFileError" and "password" in err.reason
