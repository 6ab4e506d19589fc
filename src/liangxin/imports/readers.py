"""Reading an uploaded document (.txt, .docx, .pdf) into plain text for the plan parser.

`read_document` looks at the content first (magic bytes) and at the file name second, so a PDF
named "方案.txt" is read as a PDF and a renamed spreadsheet is refused for what it is. Every
problem becomes a `ReaderError` whose message tells the user what is wrong and what to do next;
no exception of the docx or PDF libraries escapes.

The text has one paragraph per line. Tables are linearised the way the seed plans in
shared/seeds/ have them, which is what the parser is written against:

    <tab>first line of a cell
    further paragraphs of the same cell, without a tab
    <tab>next cell
    <blank line after each row>

A horizontally merged cell appears once; the continuation of a vertically merged cell appears as
an empty cell (the text stays in the row where the merge starts), as in the seed texts.

Safety: inputs over MAX_DOCUMENT_BYTES are refused before parsing. A .docx is checked against
its zip directory (declared unpacked sizes, member count) before anything is decompressed, then
unpacked in small pieces to hold the directory to its word, before python-docx reads it (which
parses XML without resolving entities). A PDF is capped in pages and in the rules compared for
table detection.
"""

import codecs
import io
import math
import re
import statistics
import unicodedata
import zipfile
from dataclasses import dataclass

import docx
from django.utils.translation import gettext as _
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTCurve, LTFigure, LTRect
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from liangxin.imports.errors import ReaderError

DOCUMENT_KINDS = (".txt", ".docx", ".pdf")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# A real plan unpacks to a few MB, its XML to far less; images are stored nearly uncompressed.
# Anything beyond these is a zip bomb or not a plan: python-docx holds every part in memory and
# lxml needs several times an XML part's size for its tree.
MAX_DOCX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_DOCX_XML_BYTES = 16 * 1024 * 1024
MAX_DOCX_MEMBERS = 5000
MAX_PDF_PAGES = 500
# Table detection compares every horizontal rule with every vertical one on a page.
MAX_PDF_RULE_PAIRS = 2_000_000

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_ARCHIVE_MAGICS = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"\xfd7zXZ\x00")
_TEXT_EXTENSIONS = ("", ".txt", ".text")


def read_document(data: bytes, filename: str) -> str:
    """The text of an uploaded document; raises ReaderError with a message for the user."""
    if not data:
        raise ReaderError(_("The file is empty. Check that you chose the right file and upload it again."))
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ReaderError(
            _(
                "The file is %(size)s MB, more than the %(limit)s MB that can be read. Remove pictures or "
                "attachments that are not part of the plan and upload it again."
            )
            % {"size": _megabytes(len(data)), "limit": _megabytes(MAX_DOCUMENT_BYTES)}
        )
    extension = _extension(filename)
    head = data[:1024]
    if b"%PDF-" in head:
        return _read_pdf(data)
    if data.startswith(_ZIP_MAGICS):
        return _read_docx(data)
    if data.startswith(_CFB_MAGIC):
        _refuse_compound_file(data, extension)
    if data.startswith(b"{\\rtf"):
        raise ReaderError(
            _(
                "This is a Rich Text (.rtf) file, which cannot be read. Open it in Word or WPS, save it "
                "as .docx and upload that file."
            )
        )
    if data.startswith(_IMAGE_MAGICS):
        raise ReaderError(
            _(
                "This is a picture, not a document. If it is a scan of the plan, run text recognition "
                "(OCR) on it first and upload the result as %(kinds)s."
            )
            % {"kinds": _kinds()}
        )
    if data.startswith(_ARCHIVE_MAGICS):
        raise ReaderError(
            _("This is a compressed archive. Unpack it and upload the plan itself as %(kinds)s.") % {"kinds": _kinds()}
        )
    # No known signature: the name tells what the user thinks it is.
    if extension == ".pdf":
        raise ReaderError(_pdf_damaged_message())
    if extension == ".docx":
        raise ReaderError(_docx_damaged_message())
    if extension == ".doc":
        raise ReaderError(_doc_message())
    if extension not in _TEXT_EXTENSIONS:
        raise ReaderError(_unsupported_message())
    return _read_text(data)


# --- plain text -------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _read_text(data: bytes) -> str:
    text = _decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not re.search(r"[^\W_]", text):  # not one letter or digit
        raise ReaderError(
            _("The file contains no readable text. Check that you chose the right file and upload it again.")
        )
    return text


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                break
            if _looks_like_text(text):
                return text
            break
    else:
        if b"\x00" not in data:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                if _looks_like_text(text):
                    return text
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                pass
            else:
                if _looks_like_text(text) and _looks_like_gbk(text, data):
                    return text
            # UTF-8 with a few broken bytes (a file cut in the middle of a character) is still
            # the user's text; a different encoding would break on nearly every character.
            text = data.decode("utf-8", errors="replace")
            if text.count("\ufffd") <= max(3, len(text) // 1000) and _looks_like_text(text):
                return text
    raise ReaderError(
        _(
            "This file is neither a document nor text that can be read. Upload the plan as %(kinds)s "
            "(text files in UTF-8 or GBK)."
        )
        % {"kinds": _kinds()}
    )


# Controls other than tab, line breaks and form feed; private use; lone surrogates; U+FFFD.
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _looks_like_text(text: str) -> bool:
    """Binary data decodes into many control and private-use characters; text has next to none."""
    return bool(text) and len(_NOT_TEXT.findall(text)) <= len(text) // 100


def _looks_like_gbk(text: str, data: bytes) -> bool:
    """GB18030 decodes almost any byte pair; Chinese text stays within its two-byte (GBK) part.

    The number of four-byte characters follows from the lengths: one byte per ASCII character,
    two per GBK character, four for the rest.
    """
    non_ascii = len(_NON_ASCII.findall(text))
    four_byte = (len(data) - (len(text) - non_ascii) - 2 * non_ascii) // 2
    return four_byte <= non_ascii // 100


# --- .docx ------------------------------------------------------------------------------------


def _read_docx(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
        # zipfile reports a damaged or unsupported archive in all of these ways.
        raise ReaderError(_docx_damaged_message()) from exc
    names = {member.filename for member in members}
    if "word/document.xml" not in names:
        _refuse_other_zip(archive, names)
    if any(member.flag_bits & 0x1 for member in members):
        raise ReaderError(_encrypted_office_message())
    _check_unpacked_sizes(archive, members)

    try:
        document = docx.Document(io.BytesIO(data))
        chunks: list[str] = []
        _blocks_text(document.element.body, chunks)
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged package
        raise ReaderError(_docx_damaged_message()) from exc
    return "".join(chunks)


def _check_unpacked_sizes(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Refuse a package whose parts unpack to more than a plan holds, before python-docx unpacks it.

    The sizes in the zip directory are checked first; then every part is unpacked in small pieces
    and compared with them (the CRC check at the end of each part catches a directory that
    understates a size), because zipfile's read() of a whole part inflates all its data in one go,
    however much that turns out to be.
    """
    xml_size = sum(member.file_size for member in members if member.filename.endswith((".xml", ".rels")))
    if (
        len(members) > MAX_DOCX_MEMBERS
        or sum(member.file_size for member in members) > MAX_DOCX_UNPACKED_BYTES
        or xml_size > MAX_DOCX_XML_BYTES
    ):
        raise ReaderError(
            _(
                "This Word file unpacks to far more data than a plan holds, so it is not read. Open it in "
                "Word or WPS, save it again as .docx and upload the new file."
            )
        )
    try:
        for member in members:
            unpacked = 0
            with archive.open(member) as part:
                while piece := part.read(64 * 1024):
                    unpacked += len(piece)
            if unpacked != member.file_size:
                raise zipfile.BadZipFile(f"{member.filename}: {unpacked} bytes, directory says {member.file_size}")
    except Exception as exc:  # zipfile and zlib raise several kinds on damaged data
        raise ReaderError(_docx_damaged_message()) from exc


def _refuse_other_zip(archive: zipfile.ZipFile, names: set[str]) -> None:
    if "mimetype" in names:
        try:
            with archive.open("mimetype") as member:
                mimetype = member.read(100)
        except Exception:  # a damaged mimetype member only loses the nicer message
            mimetype = b""
        if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
            raise ReaderError(
                _(
                    "This is an OpenDocument text (.odt) file, which cannot be read. Open it in WPS, "
                    "LibreOffice or Word, save it as .docx and upload that file."
                )
            )
    if "xl/workbook.xml" in names or "ppt/presentation.xml" in names or "mimetype" in names:
        raise ReaderError(_unsupported_message())
    if "[Content_Types].xml" in names:
        raise ReaderError(_docx_damaged_message())
    raise ReaderError(
        _("This is a ZIP archive, not a Word document. Unpack it and upload the plan itself as %(kinds)s.")
        % {"kinds": _kinds()}
    )


def _refuse_compound_file(data: bytes, extension: str) -> None:
    """Old binary Office files and password-protected new ones share the OLE container."""
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        raise ReaderError(_encrypted_office_message())
    if "WordDocument".encode("utf-16-le") in data or extension in (".doc", ".wps"):
        raise ReaderError(_doc_message())
    if extension == ".docx":
        raise ReaderError(_encrypted_office_message())
    raise ReaderError(_unsupported_message())


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


_P, _TBL, _TR, _TC, _R = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r")
_SDT, _SDT_CONTENT, _CUSTOM_XML = _w("sdt"), _w("sdtContent"), _w("customXml")
# Inline containers whose runs are part of the visible text; w:del and w:moveFrom are not.
_INLINE_CONTAINERS = frozenset(
    _w(tag) for tag in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "customXml", "dir", "bdo")
)


def _children(element, tag: str):
    """Children with the tag, looking through content controls and custom XML wrappers."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == _CUSTOM_XML:
            yield from _children(child, tag)


def _blocks_text(container, chunks: list[str]) -> None:
    """Paragraphs and tables of a body or table cell, in document order."""
    for child in container.iterchildren():
        if child.tag == _P:
            chunks.append(_inline_text(child) + "\n")
        elif child.tag == _TBL:
            _table_text(child, chunks)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                _blocks_text(content, chunks)
        elif child.tag == _CUSTOM_XML:
            _blocks_text(child, chunks)


def _inline_text(element) -> str:
    parts = []
    for child in element.iterchildren():
        if child.tag == _R:
            parts.append(child.text)  # python-docx's CT_R.text: w:t, w:tab, w:br, w:cr, ...
        elif child.tag in _INLINE_CONTAINERS:
            parts.append(_inline_text(child))
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                parts.append(_inline_text(content))
    return "".join(parts)


def _table_text(table, chunks: list[str]) -> None:
    for row in _children(table, _TR):
        for cell in _children(row, _TC):
            # One w:tc per cell however many grid columns it spans, so a horizontal merge is
            # written once. A vertical merge's continuation is written empty, like the seeds.
            if _continues_vertical_merge(cell):
                chunks.append("\t\n")
                continue
            cell_chunks: list[str] = []
            _blocks_text(cell, cell_chunks)
            chunks.append("\t" + ("".join(cell_chunks) or "\n"))
        chunks.append("\n")


def _continues_vertical_merge(cell) -> bool:
    properties = cell.find(_w("tcPr"))
    if properties is None:
        return False
    merge = properties.find(_w("vMerge"))
    return merge is not None and merge.get(_w("val"), "continue") == "continue"


# --- .pdf -------------------------------------------------------------------------------------


def _read_pdf(data: bytes) -> str:

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))  # opens files with an empty user password
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ReaderError(
            _(
                "This PDF is protected by a password. Open it, save or print a copy without the password, "
                "and upload that copy."
            )
        ) from exc
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise ReaderError(_pdf_damaged_message()) from exc

    pages: list[_Page] = []
    try:
        manager = PDFResourceManager()
        device = PDFPageAggregator(manager, laparams=None)
        interpreter = PDFPageInterpreter(manager, device)
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            if number > MAX_PDF_PAGES:
                raise ReaderError(
                    _("The PDF has more than %(limit)s pages, more than a plan has. Upload the plan alone.")
                    % {"limit": MAX_PDF_PAGES}
                )
            interpreter.process_page(page)
            pages.append(_collect_page(device.get_result()))
    except ReaderError:
        raise
    except Exception as exc:
        raise ReaderError(_pdf_damaged_message()) from exc

    glyphs = [glyph for page in pages for glyph in page.glyphs]
    unmapped = sum(1 for glyph in glyphs if glyph.text.startswith("(cid:"))
    letters = sum(1 for glyph in glyphs if any(unicodedata.category(ch)[0] == "L" for ch in glyph.text))
    if unmapped > max(10, len(glyphs) // 5):
        raise ReaderError(
            _(
                "The text in this PDF cannot be decoded (its fonts carry no character mapping). Export "
                "the PDF again from the original Word or WPS file, or upload the .docx instead."
            )
        )
    if letters < 10:
        raise ReaderError(
            _(
                "This PDF has no text layer; it is probably a scan. Run text recognition (OCR) on it "
                "first, or upload the original .docx."
            )
        )
    for page in pages:  # glyphs without a character mapping have been counted; they carry no text
        page.glyphs = [glyph for glyph in page.glyphs if not glyph.text.startswith("(cid:")]
    return _pdf_text(pages)


@dataclass
class _Glyph:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class _Page:
    width: float
    height: float
    glyphs: list[_Glyph]
    horizontals: list[tuple[float, float, float]]  # (y, x0, x1)
    verticals: list[tuple[float, float, float]]  # (x, y0, y1)


def _collect_page(layout) -> "_Page":

    glyphs: list[_Glyph] = []
    horizontals: list[tuple[float, float, float]] = []
    verticals: list[tuple[float, float, float]] = []
    seen: set[tuple[str, int, int]] = set()

    def walk(container):
        for item in container:
            if isinstance(item, LTChar):
                off_page = item.x1 < 0 or item.x0 > layout.width or item.y1 < 0 or item.y0 > layout.height
                if off_page or not item.upright:
                    continue  # text clipped off the page, rotated watermarks
                key = (item.get_text(), round(item.x0), round(item.y0))
                if key in seen:
                    continue  # text drawn twice for a bold effect
                seen.add(key)
                glyphs.append(
                    _Glyph(_clean_glyph(item.get_text()), item.x0, item.x1, item.y0, item.y1, max(item.size, 1.0))
                )
            elif isinstance(item, LTCurve):
                points = list(item.pts)
                if isinstance(item, LTRect) and len(points) == 4:
                    points.append(points[0])
                for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
                    if abs(ay - by) < 1 and abs(ax - bx) >= 3:
                        horizontals.append(((ay + by) / 2, min(ax, bx), max(ax, bx)))
                    elif abs(ax - bx) < 1 and abs(ay - by) >= 3:
                        verticals.append(((ax + bx) / 2, min(ay, by), max(ay, by)))
            elif isinstance(item, LTFigure):
                walk(item)

    walk(layout)
    return _Page(layout.width, layout.height, glyphs, horizontals, verticals)


def _clean_glyph(text: str) -> str:
    # Some Chinese PDFs map glyphs to Kangxi radicals or compatibility ideographs (⽣ for 生).
    return "".join(
        unicodedata.normalize("NFKC", ch)
        if 0x2F00 <= ord(ch) <= 0x2FDF or 0x2E80 <= ord(ch) <= 0x2EFF or 0xF900 <= ord(ch) <= 0xFAFF
        else ch
        for ch in text
    )


@dataclass
class _Line:
    glyphs: list[_Glyph]
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0

    def __post_init__(self):
        self.glyphs.sort(key=lambda glyph: glyph.x0)
        visible = [glyph for glyph in self.glyphs if glyph.text.strip()] or self.glyphs
        self.x0 = min(glyph.x0 for glyph in visible)
        self.x1 = max(glyph.x1 for glyph in visible)
        self.top = max(glyph.y1 for glyph in self.glyphs)
        self.bottom = min(glyph.y0 for glyph in self.glyphs)
        self.size = statistics.median(glyph.size for glyph in visible)
        self.text = _join_glyphs(self.glyphs)


def _join_glyphs(glyphs: list[_Glyph]) -> str:
    """The line's text. Spaces are drawn as glyphs; a gap between two characters is a tab stop when
    it is wider than the even spacing of a justified line, and between Latin letters a narrow gap
    is a space the PDF did not draw. The small gap word processors put between Chinese and Latin
    text is neither."""
    pairs = [(a, b) for a, b in zip(glyphs, glyphs[1:], strict=False) if a.text.strip() and b.text.strip()]
    chinese_gaps = [(b.x0 - a.x1) / b.size for a, b in pairs if not _is_latin(a.text[-1]) and not _is_latin(b.text[0])]
    spacing = max(0.0, statistics.median(chinese_gaps)) if chinese_gaps else 0.0
    parts: list[str] = []
    previous = None
    for glyph in glyphs:
        if previous is not None and glyph.text.strip() and previous.text.strip():
            gap = (glyph.x0 - previous.x1) / glyph.size
            latin_before, latin_after = _is_latin(previous.text[-1]), _is_latin(glyph.text[0])
            if gap > spacing + (0.6 if latin_before or latin_after else 0.22):
                parts.append("\t")
            elif gap > 0.15 and latin_before and latin_after:
                parts.append(" ")
        parts.append(glyph.text)
        previous = glyph
    text = re.sub(r"[ \u00a0]+", " ", "".join(parts))
    return re.sub(r" *\t[ \t]*", "\t", text).strip()


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _build_lines(glyphs: list[_Glyph]) -> list[_Line]:
    """Glyphs grouped into visual lines, top to bottom."""
    rows: list[list[_Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: -g.cy):
        if rows:
            row = rows[-1]
            centre = statistics.fmean(g.cy for g in row[:8])
            if abs(glyph.cy - centre) <= 0.5 * max(glyph.size, row[0].size):
                row.append(glyph)
                continue
        rows.append([glyph])
    lines = [_Line(row) for row in rows]
    return [line for line in lines if line.text]


_CLOSING = set("，。、；：？！）》」』】〕…,.;:?!)%％")
_OPENING = set("（《「『【〔(")
# Quotation marks stick to both neighbours (Unicode line breaking, class QU), so “实“揭” moves
# to the next line as a whole.
_QUOTES = set("“”‘’\"'")
_NUMBER_INNER = set(".,:/-%％")


def _first_token_width(line: _Line) -> float:
    """Width of what would have had to fit on the previous line for this one not to wrap."""
    glyphs = [glyph for glyph in line.glyphs if glyph.text.strip()]
    if not glyphs:
        return 0.0
    index = 0
    while index + 1 < len(glyphs):
        current, following = glyphs[index].text, glyphs[index + 1].text
        latin_word = (_is_latin(current[-1]) or current in _NUMBER_INNER) and (
            _is_latin(following[0]) or following in _NUMBER_INNER
        )
        if not (
            latin_word or current in _OPENING or current in _QUOTES or following in _QUOTES or following in _CLOSING
        ):
            break
        index += 1
    return glyphs[index].x1 - glyphs[0].x0


# Outline numbering that starts a heading or a numbered task: 一、 （一） 1. 1． 第一章 附件
_HEADING_START = re.compile(
    r"^(第[一二三四五六七八九十百零〇\d]+[章节条部分]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]"
    r"|\d+[.．、](?!\d)|附件)"
)
_SENTENCE_END = set("。；！？）)”")


def _paragraphs(lines: list[_Line], right: float, left: float | None = None) -> list[str]:
    """Lines joined into paragraphs where a line was wrapped because the next word did not fit."""
    paragraphs: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if previous is not None and _wrapped(previous, line, right, left):
            paragraphs[-1] = _join_wrapped(paragraphs[-1], line.text)
        else:
            paragraphs.append(line.text)
        previous = line
    return paragraphs


def _wrapped(previous: _Line, line: _Line, right: float, left: float | None) -> bool:
    if abs(previous.size - line.size) > 0.15 * max(previous.size, line.size):
        return False  # a heading and its body text
    if left is not None and line.x0 > left + 0.8 * line.size:
        return False  # an indented first line starts a paragraph
    if previous.bottom - line.top > 1.2 * line.size and previous.bottom > line.top:
        return False  # a gap between paragraphs (only within a page)
    # Word processors put a small gap between Chinese and Latin text, so the next word needed
    # that much more room when the script changes at the break.
    first = next((glyph.text[0] for glyph in line.glyphs if glyph.text.strip()), "")
    script_change = bool(previous.text) and _is_latin(previous.text[-1]) != _is_latin(first)
    slack = (0.3 if script_change else 0.1) * line.size
    if not previous.x1 + _first_token_width(line) > right - slack:
        return False
    # A paragraph whose last line happens to be full, followed by a heading or numbered task.
    return not (previous.text[-1:] in _SENTENCE_END and _HEADING_START.match(line.text))


def _join_wrapped(text: str, continuation: str) -> str:
    # Latin words wrap at a space; numbers only break when the column is too narrow for them.
    if text and continuation and _is_letter(text[-1]) and _is_letter(continuation[0]):
        return text + " " + continuation
    return text + continuation


def _is_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


_PAGE_NUMBER = re.compile(r"^[\s\-—–－_·•]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／共]\s*\d{1,4}\s*页?)?[\s\-—–－_·•]*$")


@dataclass
class _Table:
    top: float
    bottom: float
    columns: list[float]  # x positions of the vertical rules
    rows: list[list[list[str]]]  # rows of cells of paragraphs


def _pdf_text(pages: list[_Page]) -> str:
    blocks_per_page = []
    for page in pages:
        tables, table_glyphs = _find_tables(page)
        body = [glyph for glyph in page.glyphs if id(glyph) not in table_glyphs]
        lines = _build_lines(body)
        lines = [line for index, line in enumerate(lines) if not _is_page_number(line, index, len(lines), page)]
        blocks: list[_Line | _Table] = [*lines, *tables]
        blocks.sort(key=lambda block: -block.top)
        blocks_per_page.append(blocks)

    body_lines = [block for blocks in blocks_per_page for block in blocks if isinstance(block, _Line)]
    right = left = 0.0
    if body_lines:
        # Most lines of a plan run to the right margin and start at the left one.
        right = sorted(line.x1 for line in body_lines)[int(len(body_lines) * 0.9)]
        left = sorted(line.x0 for line in body_lines)[len(body_lines) // 10]

    items: list[str | _Table] = []
    previous_line: _Line | None = None
    previous_table: _Table | None = None
    for blocks in blocks_per_page:
        for index, block in enumerate(blocks):
            if isinstance(block, _Line):
                if previous_line is not None and _wrapped(previous_line, block, right, left):
                    items[-1] = _join_wrapped(items[-1], block.text)
                else:
                    items.append(block.text)
                previous_line, previous_table = block, None
                continue
            previous_line = None
            if index == 0 and previous_table is not None and _continues_split_row(previous_table, block):
                # A row broken across pages: its part on the new page has an empty first cell.
                for cell, more in zip(previous_table.rows[-1], block.rows[0], strict=True):
                    if cell and more:
                        cell[-1] = _join_wrapped(cell[-1], more[0])
                        cell.extend(more[1:])
                    else:
                        cell.extend(more)
                block.rows = block.rows[1:]
            items.append(block)
            previous_table = block
    return "".join(item + "\n" if isinstance(item, str) else _table_chunk(item.rows) for item in items)


def _is_page_number(line: _Line, index: int, count: int, page: _Page) -> bool:
    """A page number is the first or last line of a page, in its top or bottom margin."""
    in_margin = line.bottom > page.height * 0.85 or line.top < page.height * 0.15
    return (index == 0 or index == count - 1) and in_margin and bool(_PAGE_NUMBER.match(line.text))


def _table_chunk(rows: list[list[list[str]]]) -> str:
    chunk = []
    for row in rows:
        for paragraphs in row:
            paragraphs = paragraphs or [""]
            chunk.append("\t" + paragraphs[0] + "\n")
            chunk.extend(paragraph + "\n" for paragraph in paragraphs[1:])
        chunk.append("\n")
    return "".join(chunk)


def _continues_split_row(previous: _Table, table: _Table) -> bool:
    if not previous.rows or not table.rows:
        return False
    last, first = previous.rows[-1], table.rows[0]
    same_columns = len(previous.columns) == len(table.columns) and all(
        abs(a - b) < 3 for a, b in zip(previous.columns, table.columns, strict=True)
    )
    return same_columns and len(last) == len(first) and bool(last[0]) and not first[0] and any(first)


def _cluster(values: list[float], tolerance: float = 3.0) -> list[float]:
    clusters: list[list[float]] = []
    for value in sorted(values):
        if clusters and value - clusters[-1][-1] <= tolerance:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return [statistics.fmean(cluster) for cluster in clusters]


def _find_tables(page: _Page) -> tuple[list[_Table], set[int]]:
    """Ruled tables: rules that cross each other, with at least two cells, and the text in them."""
    tolerance = 3.0
    horizontals, verticals = page.horizontals, page.verticals
    if len(horizontals) < 2 or len(verticals) < 2 or len(horizontals) * len(verticals) > MAX_PDF_RULE_PAIRS:
        return [], set()  # no table, or a drawing of many strokes rather than a table
    # Connected groups of crossing rules, one per table.
    parent = list(range(len(horizontals) + len(verticals)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for h, (y, hx0, hx1) in enumerate(horizontals):
        for v, (x, vy0, vy1) in enumerate(verticals):
            if hx0 - tolerance <= x <= hx1 + tolerance and vy0 - tolerance <= y <= vy1 + tolerance:
                parent[find(h)] = find(len(horizontals) + v)
    groups: dict[int, tuple[list, list]] = {}
    for h, rule in enumerate(horizontals):
        groups.setdefault(find(h), ([], []))[0].append(rule)
    for v, rule in enumerate(verticals):
        groups.setdefault(find(len(horizontals) + v), ([], []))[1].append(rule)

    tables: list[_Table] = []
    used: set[int] = set()
    for group_horizontals, group_verticals in groups.values():
        if len(group_horizontals) < 2 or len(group_verticals) < 2:
            continue
        table = _grid_table(group_horizontals, group_verticals, page.glyphs, used, tolerance)
        if table is not None:
            tables.append(table)
    return tables, used


def _grid_table(horizontals, verticals, glyphs, used: set[int], tolerance: float) -> "_Table | None":
    ys = sorted(_cluster([y for y, _, _ in horizontals], tolerance), reverse=True)
    xs = _cluster([x for x, _, _ in verticals], tolerance)
    if len(ys) < 2 or len(xs) < 2:
        return None

    def has_vertical(x, y_low, y_high):
        middle = (y_low + y_high) / 2
        return any(
            abs(vx - x) <= tolerance and vy0 - tolerance <= middle <= vy1 + tolerance for vx, vy0, vy1 in verticals
        )

    def has_horizontal(y, x_low, x_high):
        middle = (x_low + x_high) / 2
        return any(
            abs(hy - y) <= tolerance and hx0 - tolerance <= middle <= hx1 + tolerance for hy, hx0, hx1 in horizontals
        )

    # Cells of each band between two horizontal rules; a missing vertical rule merges across.
    bands = []
    for top, bottom in zip(ys, ys[1:], strict=False):
        edges = [x for x in xs if has_vertical(x, bottom, top)]
        cells = [(a, b) for a, b in zip(edges, edges[1:], strict=False)]
        bands.append((top, bottom, cells))
    if sum(len(cells) for _, _, cells in bands) < 2:
        return None  # a framed box, not a table

    # A cell with no rule above it continues the cell above (a vertical merge): its text goes to
    # the cell where the merge starts, and it is written empty.
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for b, (top, _bottom, cells) in enumerate(bands):
        for c, (a, z) in enumerate(cells):
            owner[(b, c)] = (b, c)
            if b > 0 and not has_horizontal(top, a, z):
                above = [
                    i for i, (pa, pz) in enumerate(bands[b - 1][2]) if pa - tolerance <= (a + z) / 2 <= pz + tolerance
                ]
                if above:
                    owner[(b, c)] = owner[(b - 1, above[0])]

    contents: dict[tuple[int, int], list[_Glyph]] = {}
    for glyph in glyphs:
        if not (
            xs[0] - tolerance <= glyph.cx <= xs[-1] + tolerance and ys[-1] - tolerance <= glyph.cy <= ys[0] + tolerance
        ):
            continue
        for b, (top, bottom, cells) in enumerate(bands):
            if bottom <= glyph.cy <= top:
                for c, (a, z) in enumerate(cells):
                    if a <= glyph.cx <= z:
                        contents.setdefault(owner[(b, c)], []).append(glyph)
                        used.add(id(glyph))
                        break
                break

    # Lines wrap at the cell's right edge less its padding, taken to mirror the left padding.
    insets: dict[tuple[float, float], float] = {}
    for (b, c), cell_glyphs in contents.items():
        a, z = bands[b][2][c]
        inset = min(glyph.x0 for glyph in cell_glyphs) - a
        insets[(a, z)] = min(inset, insets.get((a, z), inset))

    rows: list[list[list[str]]] = []
    for b, (_top, _bottom, cells) in enumerate(bands):
        row = []
        for c, (a, z) in enumerate(cells):
            if owner[(b, c)] != (b, c) or (b, c) not in contents:
                row.append([])
                continue
            inset = max(0.0, insets.get((a, z), 0.0))
            paragraphs = _paragraphs(_build_lines(contents[(b, c)]), right=z - inset)
            row.append([paragraph.replace("\t", " ") for paragraph in paragraphs])
        rows.append(row)
    return _Table(ys[0], ys[-1], xs, rows)


# --- messages ---------------------------------------------------------------------------------


def _extension(filename: str) -> str:
    name = (filename or "").strip().lower()
    dot = name.rfind(".")
    return name[dot:] if dot > max(name.rfind("/"), name.rfind("\\")) else ""


def _megabytes(size: int) -> str:
    # Rounded up, so that a file just over the limit does not read as exactly the limit.
    tenths = math.ceil(size * 10 / (1024 * 1024))
    return f"{tenths // 10}.{tenths % 10}".removesuffix(".0")


def _kinds() -> str:
    return " / ".join(DOCUMENT_KINDS)


def _unsupported_message() -> str:
    return _("This kind of file cannot be read. Upload the plan as %(kinds)s.") % {"kinds": _kinds()}


def _docx_damaged_message() -> str:
    return _(
        "This Word file is damaged and cannot be opened. Open it in Word or WPS, save it again as .docx "
        "and upload the new file."
    )


def _pdf_damaged_message() -> str:
    return _(
        "This PDF is damaged and cannot be opened. Export it again from the original document, or upload "
        "the .docx instead."
    )


def _doc_message() -> str:
    return _(
        "This is an old-format Word file (.doc), which cannot be read. Open it in Word or WPS, choose "
        "Save As, pick the .docx format and upload the new file."
    )


def _encrypted_office_message() -> str:
    return _(
        "This Word file is protected by a password. Open it, remove the password (File › Info › Protect "
        "Document in Word, or the document encryption setting in WPS), save it as .docx and upload it again."
    )
