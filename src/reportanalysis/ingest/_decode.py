"""Bytes → text for plain-text formats: BOMs, UTF-8 first, then cp1252/latin-1, then a guess.

Binary data is refused: NUL bytes (outside UTF-16), a low share of printable characters, or no
coherent encoding at all.
"""

from __future__ import annotations

import codecs
import unicodedata

from ..errors import DecodingError, EmptyReportError

__all__ = ["decode_bytes"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MIN_PRINTABLE = 0.95
# Single-byte Western encodings charset-normalizer may propose for Dutch text; cp1252 is the
# superset that gets € ‘ ’ “ ” right, so it wins whenever it decodes cleanly.
_WESTERN = {"cp1252", "latin_1", "iso8859_15", "iso8859_1", "windows_1252", "cp850", "mac_roman"}


def _printable_share(text: str) -> float:
    """The share of characters that belong in text: printable ones, any whitespace (also
    no-break and other Unicode spaces) and format characters (soft hyphen, zero-width space,
    direction marks), which Word and web pages put in ordinary Dutch text.

    >>> _printable_share("Dit\u00a0is\u00a0tekst\u00ad\u200b."), _printable_share("a\x01\x02\x03")
    (1.0, 0.25)
    """
    if not text:
        return 1.0
    ok = sum(
        1 for ch in text if ch.isprintable() or ch.isspace() or unicodedata.category(ch) == "Cf"
    )
    return ok / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'-be' when NULs sit at every other position, as in ASCII-heavy UTF-16."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    odd = sample[1::2].count(0) / max(len(sample) // 2, 1)
    even = sample[0::2].count(0) / max(len(sample) // 2, 1)
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def _checked(text: str, encoding: str, source: str) -> tuple[str, str]:
    if not text.strip():
        raise EmptyReportError(source, "the file holds no text (empty or only whitespace)")
    if _printable_share(text) < _MIN_PRINTABLE:
        raise DecodingError(
            source, f"looks like binary data, not text (decoded as {encoding}); check the file"
        )
    return text, encoding


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 text with a few stray bytes (a pasted cp1252 quote): decoded as UTF-8, the stray
    bytes replaced by U+FFFD, rather than turning every é into Ã©.

    >>> _mostly_utf8("café, naïef, één ".encode() * 20 + b"\\x92")
    ... # doctest: +ELLIPSIS
    ('café, naïef, één ...\ufffd', 'utf-8 (1 undecodable byte replaced)')
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    # Valid multi-byte UTF-8 sequences hardly ever occur by chance in another encoding.
    if bad and multibyte >= max(2, bad) and bad <= max(2, len(text) // 100):
        noun = "byte" if bad == 1 else "bytes"
        return text, f"utf-8 ({bad} undecodable {noun} replaced)"
    return None


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """``(text, encoding)``: the text exactly as decoded, BOM stripped, line endings kept.

    >>> decode_bytes("Café € ‘ja’".encode("cp1252"), "x.txt")
    ('Café € ‘ja’', 'cp1252')
    >>> decode_bytes(b"\\xef\\xbb\\xbfHallo\\r\\n", "x.txt")
    ('Hallo\\r\\n', 'utf-8-sig')
    """
    if not data.strip():
        raise EmptyReportError(source, "the file holds no text (empty or only whitespace)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(encoding), encoding, source)
            except UnicodeDecodeError as exc:
                raise DecodingError(
                    source, f"has a {encoding} BOM but is not {encoding} ({exc})"
                ) from None
    if b"\x00" in data:
        encoding16 = _utf16_without_bom(data)
        if encoding16 is None:
            raise DecodingError(source, "holds NUL bytes: binary data, not text")
        try:
            return _checked(data.decode(encoding16), encoding16, source)
        except UnicodeDecodeError:
            raise DecodingError(source, "holds NUL bytes: binary data, not text") from None
    try:
        return _checked(data.decode("utf-8"), "utf-8", source)
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return _checked(mostly[0], mostly[1], source)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _printable_share(text) >= _MIN_PRINTABLE:
        return _checked(text, "cp1252", source)
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.chaos > 0.3:
        raise DecodingError(
            source, "is not text in any encoding we recognise; save it as UTF-8 and try again"
        )
    encoding = best.encoding
    if encoding in _WESTERN:
        encoding = "latin-1"
    try:
        return _checked(data.decode(encoding), encoding, source)
    except (UnicodeDecodeError, LookupError):
        raise DecodingError(source, f"could not be decoded as {encoding}") from None
