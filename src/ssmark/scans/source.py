"""Opening a report: a path or a binary file object, read with a size limit.

Detection needs the first bytes, parsing needs the whole stream from the start; both
come from here so an uploaded file (Django's UploadedFile is seekable) and a path on
disk are handled alike.
"""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

from .errors import ReportError

HEAD_BYTES = 64 * 1024
# Real reports of large ISPs reach a few GB; anything above this is refused outright.
DEFAULT_MAX_BYTES = 16 * 1024**3
# One record (a JSON line or array element) larger than this is refused, never loaded whole.
DEFAULT_MAX_RECORD = 4 * 1024**2


class _Limited(io.RawIOBase):
    """Reads from `inner`, first replaying `prefix`; refuses to go past `limit` bytes."""

    def __init__(
        self, inner: BinaryIO, limit: int, name: str, prefix: bytes = b"", owner: Any = None
    ) -> None:
        self._owner = owner
        self._inner = inner
        self._limit = limit
        self._name = name
        self._prefix = prefix
        self._count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        """`size` bytes at most, handed over as the inner stream gave them (no copy: XML is
        read through this in 1 MiB chunks)."""
        if size is None or size < 0:
            return self.readall()
        if self._prefix:
            data, self._prefix = self._prefix[:size], self._prefix[size:]
        else:
            data = self._inner.read(size)
        self._counted(len(data))
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        if self._prefix:
            n = min(len(view), len(self._prefix))
            view[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
        else:
            data = self._inner.read(len(view))
            n = len(data)
            view[:n] = data
        self._counted(n)
        return n

    def _counted(self, n: int) -> None:
        self._count += n
        if self._owner is not None:
            self._owner.bytes_read = self._count
        if self._count > self._limit:
            raise ReportError.of("too_large", self._name, limit=self._limit)


class Source:
    """One report file. `head` holds its first bytes for format detection."""

    def __init__(
        self,
        source: str | os.PathLike[str] | BinaryIO,
        name: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_record: int = DEFAULT_MAX_RECORD,
    ) -> None:
        self.max_bytes = max_bytes
        self.max_record = max_record
        # Bytes read so far by open() (for progress reports).
        self.bytes_read = 0
        self.sink: Any = None  # where a streaming parse delivers findings (parsers.common.Sink)
        self._path: str | None = None
        self._file: BinaryIO | None = None
        if isinstance(source, str | os.PathLike):
            self._path = os.fspath(source)
            self.name = name or self._path
            try:
                with open(self._path, "rb") as handle:
                    self.head = handle.read(HEAD_BYTES)
            except OSError as exc:
                raise ReportError.of(
                    "cannot_open", self.name, detail=str(exc.strerror or exc)
                ) from exc
        else:
            self._file = source
            self.name = name or str(getattr(source, "name", "") or "<upload>")
            start = source.tell() if source.seekable() else 0
            self.head = source.read(HEAD_BYTES)
            if isinstance(self.head, str):
                raise ReportError.of("not_binary", self.name)
            if source.seekable():
                source.seek(start)
                self._start = start
            else:
                self._start = -1

    @contextmanager
    def open(self, *, buffered: bool = True) -> Iterator[BinaryIO]:
        """The whole stream from its first byte, as a buffered binary reader (peek, readline),
        or with `buffered=False` as a plain reader whose `read(n)` hands over the file's
        bytes without copying them (for lxml, which reads 1 MiB at a time)."""
        if self._path is not None:
            with open(self._path, "rb") as handle:
                yield self._wrap(handle, buffered=buffered)
            return
        assert self._file is not None
        if self._start >= 0:
            self._file.seek(self._start)
            yield self._wrap(self._file, buffered=buffered)
        else:
            # Not seekable: replay the head we already consumed, then the rest.
            yield self._wrap(self._file, prefix=self.head, buffered=buffered)

    def _wrap(self, handle: BinaryIO, prefix: bytes = b"", *, buffered: bool) -> BinaryIO:
        raw = _Limited(handle, self.max_bytes, self.name, prefix, self)
        if not buffered:
            return raw  # type: ignore[return-value]
        return io.BufferedReader(raw, buffer_size=1024 * 1024)

    @contextmanager
    def open_text(self) -> Iterator[io.TextIOWrapper]:
        """The stream decoded as text, newlines untranslated (the csv module wants that)."""
        encoding = text_encoding(self.head)
        with self.open() as binary:
            text = io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
            try:
                yield text
            finally:
                text.detach()


def text_encoding(head: bytes) -> str:
    """UTF-8 unless a BOM says otherwise; Excel-saved Japanese CSVs may be CP932."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[: HEAD_BYTES - 4]
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:
            return "utf-8"  # a multi-byte character cut by the end of the sample
    try:
        sample.decode("cp932")
        return "cp932"
    except UnicodeDecodeError:
        return "latin-1"


def head_text(head: bytes) -> str:
    """The head decoded for sniffing (never raises)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="replace")
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    return head.decode("utf-8", errors="replace")
