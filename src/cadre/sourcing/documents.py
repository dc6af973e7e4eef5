"""Text out of resume files, split into what a reader sees and what is hidden. Pure module (no Django).

Hidden text is how keyword stuffing works: white or near-white text, 1-pt fonts, text placed off the
page, PDF render mode 3 (invisible), DOCX runs marked w:vanish. It is kept out of skills and scoring
and reported so a recruiter can see the attempt.

Limits are checked before parsing: size, DOCX decompressed size and ratio (zip bombs), encryption.
Every failure raises DocumentError with a reason fit for the user.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass, field
from typing import Any

MAX_DOCX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_DOCX_RATIO = 100  # decompressed / compressed; real .docx files sit well under 20
MAX_PDF_PAGES = 50
TINY_FONT_PT = 2.0  # nobody reads text below 2 pt
NEAR_WHITE = 0.9  # relative luminance at or above this is invisible on a white page
OFF_PAGE_MARGIN = 2.0  # points of tolerance around the page box


class DocumentError(Exception):
    pass


@dataclass
class HiddenSpan:
    text: str
    reason: str  # "white text", "tiny font", "outside the page", "invisible render mode", "hidden run"
    page: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text[:500], "reason": self.reason, "page": self.page}


@dataclass
class DocumentText:
    visible: str
    hidden: list[HiddenSpan] = field(default_factory=list)
    kind: str = ""  # pdf, docx, txt


def _luminance(r: float, g: float, b: float) -> float:
    """Relative luminance (ITU-R BT.709 weights) of a colour with components in 0..1."""
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb_of(operator: bytes, operands: list[Any]) -> tuple[float, float, float] | None:
    try:
        values = [float(v) for v in operands if isinstance(v, int | float) or hasattr(v, "as_numeric")]
    except (TypeError, ValueError):
        return None
    if operator == b"g" or (operator in (b"sc", b"scn") and len(values) == 1):
        return (values[0],) * 3 if values else None
    if operator == b"rg" or (operator in (b"sc", b"scn") and len(values) == 3):
        return (values[0], values[1], values[2]) if len(values) >= 3 else None
    if operator == b"k" or (operator in (b"sc", b"scn") and len(values) == 4):
        if len(values) < 4:
            return None
        c, m, y, k = values[:4]
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def _mult(m: list[float], n: list[float]) -> list[float]:
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


_SHOW_OPS = {b"Tj", b"TJ", b"'", b'"'}


class _PdfPageVisitor:
    """Follows the graphics state pypdf does not expose (fill colour, render mode) and decides, at
    each text-showing operator, whether what it draws can be seen. pypdf reports decoded text in
    chunks that may span several operators, so each chunk is split by the operators' byte lengths."""

    def __init__(self, box: tuple[float, float, float, float], page: int) -> None:
        self.box = box
        self.page = page
        self.fill: tuple[float, float, float] = (0.0, 0.0, 0.0)
        self.render_mode = 0
        self.font_size = 12.0
        self.stack: list[tuple[tuple[float, float, float], int, float]] = []
        self.pending: list[tuple[int, str | None]] = []  # (operand bytes, hidden reason)
        self.visible: list[str] = []
        self.hidden: list[HiddenSpan] = []

    def _reason(self, cm: list[float], tm: list[float]) -> str | None:
        if self.render_mode in (3, 7):
            return "invisible render mode"
        if _luminance(*self.fill) >= NEAR_WHITE:
            return "white text"
        m = _mult(tm, cm)
        size = self.font_size * math.hypot(m[2], m[3])
        if size < TINY_FONT_PT:
            return "tiny font"
        x, y = m[4], m[5]
        x0, y0, x1, y1 = self.box
        if not (
            x0 - OFF_PAGE_MARGIN <= x <= x1 + OFF_PAGE_MARGIN
            and y0 - OFF_PAGE_MARGIN <= y <= y1 + OFF_PAGE_MARGIN
        ):
            return "outside the page"
        return None

    def before(self, operator: bytes, operands: list[Any], cm: list[float], tm: list[float]) -> None:
        if operator == b"q":
            self.stack.append((self.fill, self.render_mode, self.font_size))
        elif operator == b"Q" and self.stack:
            self.fill, self.render_mode, self.font_size = self.stack.pop()
        elif operator in (b"g", b"rg", b"k", b"sc", b"scn"):
            self.fill = _rgb_of(operator, operands) or self.fill
        elif operator == b"Tr" and operands:
            self.render_mode = int(operands[0])
        elif operator == b"Tf" and len(operands) >= 2:
            self.font_size = float(operands[1])
        elif operator in _SHOW_OPS:
            raw = operands[-1] if operands else b""
            if isinstance(raw, list):  # TJ: strings and kerning numbers
                n = sum(len(s) for s in raw if isinstance(s, bytes | str))
            else:
                n = len(raw) if isinstance(raw, bytes | str) else 1
            self.pending.append((max(n, 1), self._reason(cm, tm)))

    def text(self, text: str, *_: Any) -> None:
        if not text:
            return
        pending, self.pending = self.pending, []
        reasons = {r for _, r in pending}
        if len(reasons) <= 1:
            self._emit(text, next(iter(reasons), None))
            return
        total = sum(n for n, _ in pending)
        pos = 0
        for i, (n, reason) in enumerate(pending):
            end = len(text) if i == len(pending) - 1 else pos + round(len(text) * n / total)
            self._emit(text[pos:end], reason)
            pos = end

    def _emit(self, text: str, reason: str | None) -> None:
        if reason is None:
            self.visible.append(text)
        elif text.strip():
            if self.hidden and self.hidden[-1].reason == reason and self.hidden[-1].page == self.page:
                self.hidden[-1].text += text
            else:
                self.hidden.append(HiddenSpan(text, reason, self.page))
            self.visible.append("\n")  # hidden text must not glue two visible words together


def pdf_text(content: bytes) -> DocumentText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            # Owner-password-only PDFs open with an empty user password; anything else we cannot read.
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - unsupported algorithms raise assorted errors
                raise DocumentError("the PDF is encrypted and cannot be opened without its password") from exc
            if not ok:
                raise DocumentError("the PDF is encrypted and cannot be opened without its password")
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise DocumentError(f"the PDF has {len(pages)} pages; resumes are limited to {MAX_PDF_PAGES}")
        visible: list[str] = []
        hidden: list[HiddenSpan] = []
        for number, page in enumerate(pages, start=1):
            box = page.mediabox
            visitor = _PdfPageVisitor(
                (float(box.left), float(box.bottom), float(box.right), float(box.top)), number
            )
            page.extract_text(visitor_operand_before=visitor.before, visitor_text=visitor.text)
            visible.append("".join(visitor.visible))
            hidden.extend(visitor.hidden)
    except DocumentError:
        raise
    except (PdfReadError, Exception) as exc:  # noqa: BLE001 - corrupt files raise anything
        raise DocumentError(f"not a readable PDF ({type(exc).__name__}: {str(exc)[:120]})") from exc
    return DocumentText("\n".join(visible), hidden, "pdf")


def _check_zip(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise DocumentError("not a readable DOCX (the file is not a valid zip archive)") from exc
    total = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if total > MAX_DOCX_UNCOMPRESSED or total / packed > MAX_DOCX_RATIO or len(infos) > 2000:
        raise DocumentError(
            f"the DOCX expands to {total / 1e6:.0f} MB ({total / packed:.0f}x its size): "
            "refused as a possible zip bomb"
        )
    if "word/document.xml" not in {i.filename for i in infos}:
        raise DocumentError("not a readable DOCX (word/document.xml is missing)")


def _run_hidden_reason(run: Any, style_font: Any) -> str | None:
    from docx.shared import Pt

    font = run.font
    if font.hidden or (font.hidden is None and style_font is not None and style_font.hidden):
        return "hidden run"
    if (
        run._r.rPr is not None
        and run._r.rPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}specVanish")
        is not None
    ):
        return "hidden run"
    size = font.size or (style_font.size if style_font is not None else None)
    if size is not None and size < Pt(TINY_FONT_PT):
        return "tiny font"
    try:
        rgb = font.color.rgb if font.color is not None and font.color.type is not None else None
    except (AttributeError, ValueError):
        rgb = None
    if rgb is not None and _luminance(rgb[0] / 255, rgb[1] / 255, rgb[2] / 255) >= NEAR_WHITE:
        return "white text"
    return None


def docx_text(content: bytes) -> DocumentText:
    _check_zip(content)
    import docx

    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as exc:  # noqa: BLE001 - python-docx raises KeyError, lxml errors...
        raise DocumentError(f"not a readable DOCX ({type(exc).__name__})") from exc
    visible: list[str] = []
    hidden: list[HiddenSpan] = []

    def paragraphs(container: Any) -> Any:
        yield from container.paragraphs
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from paragraphs(cell)

    for paragraph in paragraphs(document):
        style_font = paragraph.style.font if paragraph.style is not None else None
        line: list[str] = []
        for run in paragraph.runs:
            reason = _run_hidden_reason(run, style_font)
            if reason is None:
                line.append(run.text)
            elif run.text.strip():
                hidden.append(HiddenSpan(run.text, reason))
                line.append(" ")
        visible.append("".join(line))
    return DocumentText("\n".join(visible), hidden, "docx")


def decode_text(content: bytes) -> str:
    """Decode a text file: BOMs, UTF-8, then a detected legacy encoding; binary data is refused."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if content.startswith(bom):
            try:
                return content.decode(codec)
            except UnicodeDecodeError as exc:
                raise DocumentError(f"the text file says it is {codec} but is not: {exc.reason}") from exc
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in content[:4096]:
        raise DocumentError("this looks like a binary file, not text (unknown encoding)")
    from charset_normalizer import from_bytes

    best = from_bytes(content).best()
    if best is None or best.encoding is None:
        raise DocumentError("cannot tell the text encoding; save the file as UTF-8")
    return str(best)


def txt_text(content: bytes) -> DocumentText:
    return DocumentText(decode_text(content), [], "txt")


def sniff_kind(name: str, content: bytes) -> str:
    """pdf, docx, json or txt, by magic bytes first and extension second."""
    lower = name.lower()
    if content.startswith(b"%PDF") or lower.endswith(".pdf"):
        return "pdf"
    if content.startswith(b"PK") or lower.endswith(".docx"):
        return "docx"
    if lower.endswith(".json") or content.lstrip()[:1] in (b"{", b"["):
        return "json"
    if lower.endswith(".doc"):
        raise DocumentError("legacy .doc files are not supported; save as .docx or PDF")
    return "txt"


def extract(name: str, content: bytes) -> DocumentText:
    kind = sniff_kind(name, content)
    if kind == "pdf":
        return pdf_text(content)
    if kind == "docx":
        return docx_text(content)
    return txt_text(content)
