"""Hostile exchange files are refused with an error naming the file and the member."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from reportanalysis.errors import CorruptFileError, UnsafeFileError
from reportanalysis.interop import import_qdpx, import_segments, read_qdc
from reportanalysis.interop.safety import Limits
from reportanalysis.project import Project

MB = 1024 * 1024
QDE = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="test">'
    '<Sources><TextSource guid="11111111-1111-4111-8111-111111111111" name="verslag" '
    'plainTextPath="internal://11111111-1111-4111-8111-111111111111.txt"/></Sources></Project>'
)
TEXT = "Initiatief: Het Anker\nDe buurt is blij met de nieuwe speeltuin.\n"


def _qdpx(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _good_members() -> dict[str, bytes | str]:
    return {"project.qde": QDE, "sources/11111111-1111-4111-8111-111111111111.txt": TEXT}


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project.create(tmp_path / "p.ra")
    yield p
    p.close()


def test_a_well_formed_archive_imports(tmp_path: Path, project: Project) -> None:
    summary = import_qdpx(_qdpx(tmp_path / "ok.qdpx", _good_members()), project)
    assert summary.reports == 1
    assert project.reports()[0].text == TEXT


def test_external_entity_is_refused(tmp_path: Path, project: Project) -> None:
    xxe = QDE.replace(
        "<Project ",
        '<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Project ',
    ).replace('name="verslag"', 'name="&xxe;"')
    path = _qdpx(tmp_path / "xxe.qdpx", {**_good_members(), "project.qde": xxe})
    with pytest.raises(UnsafeFileError) as err:
        import_qdpx(path, project)
    assert err.value.path == str(path)
    assert "'project.qde'" in str(err.value) and "entities" in str(err.value)
    assert project.reports() == []


def test_entities_in_utf16_xml_and_an_external_dtd_are_refused(tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE CodeBook [<!ENTITY a "ha">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><CodeBook><Codes><Code guid="x" name="&b;" '
        'isCodable="true"/></Codes></CodeBook>'
    )
    (tmp_path / "lach.qdc").write_bytes(laughs.encode("utf-16"))  # with a BOM
    with pytest.raises(UnsafeFileError, match="lach.qdc"):
        read_qdc(tmp_path / "lach.qdc")
    external = (
        '<!DOCTYPE CodeBook SYSTEM "http://example.org/evil.dtd"><CodeBook><Codes/></CodeBook>'
    )
    (tmp_path / "dtd.qdc").write_text(external, encoding="utf-8")
    with pytest.raises(UnsafeFileError, match="external DTD"):
        read_qdc(tmp_path / "dtd.qdc")


@pytest.mark.parametrize("member", ["../../evil.txt", "/etc/evil.txt", "sources/..\\..\\evil.txt"])
def test_members_leaving_the_archive_are_refused(
    tmp_path: Path, project: Project, member: str
) -> None:
    path = _qdpx(tmp_path / "pad.qdpx", {**_good_members(), member: "x"})
    with pytest.raises(UnsafeFileError) as err:
        import_qdpx(path, project)
    assert repr(member) in str(err.value) and "outside the archive" in str(err.value)


def test_symlink_member_is_refused(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "link.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in _good_members().items():
            zf.writestr(name, data)
        info = zipfile.ZipInfo("sources/link.txt")
        info.create_system = 3
        info.external_attr = 0o120777 << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(UnsafeFileError, match="'sources/link.txt' is a symbolic link"):
        import_qdpx(path, project)


def _bomb(path: Path, member: str, size_mb: int) -> Path:
    """A zip whose ``member`` unpacks to ``size_mb`` MB of zeros, written block by block: the
    same independently flushed deflate block repeated (fast: nothing is compressed twice)."""
    block = b"\0" * MB
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block
    crc = 0
    for _ in range(size_mb):
        crc = zlib.crc32(block, crc)
    size, csize = size_mb * MB, len(chunk) * size_mb + len(tail)
    members = [("project.qde", QDE.replace("11111111-1111-4111-8111-111111111111.txt", member))]
    with open(path, "wb") as fh:
        central = b""
        name_b = member.encode()
        offset = fh.tell()
        fh.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, csize, size, len(name_b), 0
            )
            + name_b
        )
        for _ in range(size_mb):
            fh.write(chunk)
        fh.write(tail)
        central += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                csize,
                size,
                len(name_b),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name_b
        )
        for name, text in members:
            data = zlib.compressobj(6, zlib.DEFLATED, -15)
            raw = text.encode()
            body = data.compress(raw) + data.flush()
            name_b = name.encode()
            offset = fh.tell()
            fh.write(
                struct.pack(
                    "<IHHHHHIIIHH",
                    0x04034B50,
                    20,
                    0,
                    8,
                    0,
                    0,
                    zlib.crc32(raw),
                    len(body),
                    len(raw),
                    len(name_b),
                    0,
                )
                + name_b
                + body
            )
            central += (
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    0,
                    8,
                    0,
                    0,
                    zlib.crc32(raw),
                    len(body),
                    len(raw),
                    len(name_b),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + name_b
            )
        start = fh.tell()
        fh.write(central)
        fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(central), start, 0))
    return path


def test_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, project: Project) -> None:
    path = _bomb(tmp_path / "bom.qdpx", "sources/bom.txt", 400)
    assert path.stat().st_size < 2 * MB
    with zipfile.ZipFile(path) as zf:  # a real archive: it does unpack to 400 MB of zeros
        assert zf.getinfo("sources/bom.txt").file_size == 400 * MB
        with zf.open("sources/bom.txt") as fh:
            assert fh.read(4096) == b"\0" * 4096
    with pytest.raises(UnsafeFileError) as err:
        import_qdpx(path, project)
    assert "'sources/bom.txt'" in str(err.value) and "zip bomb" in str(err.value)
    # with the ratio check off, the read cap still stops it
    with pytest.raises(UnsafeFileError, match="'sources/bom.txt' unpacks to 400 MB"):
        import_qdpx(path, project, limits=Limits(max_ratio=10**9))
    assert project.reports() == []


def test_member_count_and_read_limits(tmp_path: Path, project: Project) -> None:
    many = {**_good_members(), **{f"sources/extra{i}.txt": "x" for i in range(20)}}
    path = _qdpx(tmp_path / "veel.qdpx", many)
    with pytest.raises(UnsafeFileError, match="22 members"):
        import_qdpx(path, project, limits=Limits(max_members=10))
    long_text = TEXT + "De vrijwilligers koken elke vrijdag voor de buurt.\n" * 40
    members = {**_good_members(), "sources/11111111-1111-4111-8111-111111111111.txt": long_text}
    path = _qdpx(tmp_path / "groot.qdpx", members)
    with pytest.raises(UnsafeFileError, match="111111111111.txt' unpacks to 2,104 bytes"):
        import_qdpx(path, project, limits=Limits(max_read_bytes=1000))


def test_broken_files_are_corrupt_not_crashes(tmp_path: Path, project: Project) -> None:
    (tmp_path / "kapot.qdpx").write_bytes(b"PK\x03\x04 dit is geen zip")
    with pytest.raises(CorruptFileError, match="kapot.qdpx"):
        import_qdpx(tmp_path / "kapot.qdpx", project)
    path = _qdpx(tmp_path / "leeg.qdpx", {"sources/a.txt": "tekst"})
    with pytest.raises(CorruptFileError, match="no project.qde"):
        import_qdpx(path, project)
    path = _qdpx(tmp_path / "half.qdpx", {"project.qde": QDE[:80]})
    with pytest.raises(CorruptFileError, match="not well-formed"):
        import_qdpx(path, project)


def test_excel_bomb_is_refused(tmp_path: Path, project: Project) -> None:
    path = _bomb(tmp_path / "bom.xlsx", "xl/worksheets/sheet1.xml", 50)
    with pytest.raises(UnsafeFileError, match="sheet1.xml"):
        import_segments(path, project)
