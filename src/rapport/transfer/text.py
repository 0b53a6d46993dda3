"""Telling how a file made elsewhere is encoded.

UTF-8 (with or without a byte-order mark) is read as it is. UTF-16 and UTF-32
announce themselves with a byte-order mark, and UTF-16 without one shows
itself by its zero bytes. Anything else that is not UTF-8 comes from an older
Windows or Mac program: Windows-1252, which reads Latin-1 text the same way.
``--encoding`` overrides all of this.
"""

import codecs
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rapport.errors import BadValue

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
FALLBACK = "windows-1252"
SAMPLE = 4096


@dataclass(frozen=True)
class Encoding:
    """The codec to read a file with, and whether it was guessed rather than certain."""

    name: str
    guessed: bool = False

    @property
    def errors(self) -> str:
        # Windows-1252 leaves five bytes undefined; Latin-1 gives each a character.
        return "latin1_fallback" if self.guessed else "strict"

    def note(self, label: str) -> str | None:
        if not self.guessed:
            return None
        return f"{label}: not UTF-8; read as {self.name} (give --encoding if that is wrong)"


def check_encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise BadValue(
            f"unknown encoding '{name}' (for example utf-8, utf-16, cp1252, latin-1)"
        ) from None


def _is_utf8(chunks: Iterable[bytes]) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in chunks:
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff(head: bytes) -> str | None:
    """The encoding a file's first bytes make certain: a byte-order mark, or UTF-16's zeros."""
    for bom, name in BOMS:
        if head.startswith(bom):
            return name
    sample = head[:SAMPLE]
    if len(sample) >= 4:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        half = len(sample) // 2
        if odd > half * 0.3 and even == 0:
            return "utf-16-le"
        if even > half * 0.3 and odd == 0:
            return "utf-16-be"
    return None


def detect(head: bytes, chunks: Iterable[bytes], encoding: str | None = None) -> Encoding:
    """The encoding of a file that starts with ``head`` and is made of ``chunks``: the one
    given, else a certain one, else UTF-8 if every byte reads as UTF-8, else Windows-1252."""
    if encoding is not None:
        return Encoding(check_encoding(encoding))
    certain = sniff(head)
    if certain is not None:
        return Encoding(certain)
    if _is_utf8(chunks):
        return Encoding("utf-8-sig")
    return Encoding(FALLBACK, guessed=True)


def detect_file(path: Path, encoding: str | None = None) -> Encoding:
    """The encoding of the file at ``path``, read in chunks."""

    def chunks() -> Iterator[bytes]:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                yield chunk

    try:
        with path.open("rb") as stream:
            head = stream.read(SAMPLE)
        return detect(head, chunks(), encoding)
    except OSError as exc:
        raise BadValue(f"can't read {path}: {exc.strerror or exc}") from None


def decode(data: bytes, label: str, encoding: Encoding) -> str:
    """``data`` as text; a byte the encoding cannot read names its line."""
    try:
        return data.decode(encoding.name, errors=encoding.errors)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BadValue(f"{label} line {line}: not {encoding.name} text") from None


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error("latin1_fallback", _latin1_fallback)
