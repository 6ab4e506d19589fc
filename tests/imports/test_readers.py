"""read_document: seed plans as .txt, .docx and LibreOffice-made .pdf read back to the same text;
every kind of bad upload is refused with a message that says what to do."""

import io
import random
import re
import tracemalloc
import zipfile

import docx
import pytest
from django.utils import translation
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liangxin.imports.errors import ReaderError
from liangxin.imports.parsing import parse_plan
from liangxin.imports.readers import DOCUMENT_KINDS, MAX_DOCUMENT_BYTES, read_document

from .conftest import SEED_NAMES, SEEDS_DIR, seed_tables

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(params=SEED_NAMES or ["no seeds"])
def seed_text(request) -> str:
    if not SEED_NAMES:
        pytest.skip(f"the seed plans are not at {SEEDS_DIR} (CI has shared/seeds)")
    return (SEEDS_DIR / f"{request.param}.txt").read_text(encoding="utf-8")


def refusal(data: bytes, filename: str) -> str:
    with pytest.raises(ReaderError) as caught:
        read_document(data, filename)
    return str(caught.value)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def comparable_tables(tables):
    """Tables with whitespace and empty paragraphs inside cells left out, which a PDF cannot show."""
    return [[[[squeezed(p) for p in cell if p.strip()] for cell in row] for row in table] for table in tables]


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
# A CID font without a ToUnicode map: its glyphs cannot be turned back into characters.
UNMAPPED_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMap /Encoding /Identity-H /DescendantFonts [<< /Type /Font"
    b" /Subtype /CIDFontType2 /BaseFont /NoMap /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity)"
    b" /Supplement 0 >> >>] >>"
)


def handmade_pdf(content: bytes, font: bytes = HELVETICA) -> bytes:
    """A one-page PDF drawing the content stream, with the font as /F1."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        font,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def merged_cells_document() -> bytes:
    """A paragraph, a table with a title row merged across and a task merged down, a paragraph."""
    document = docx.Document()
    document.add_paragraph("附件1")
    table = document.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(0, 2)).text = "指标对比表"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "总体目标"
    table.cell(1, 1).text = "工业领域设备投资规模达到17亿元"
    table.cell(1, 2).text = "区发改委"
    table.cell(1, 2).add_paragraph("区工信局")
    table.cell(2, 1).text = "环保绩效达到A级水平的产能比例大幅提升"
    table.cell(2, 2).text = "区生态环境局"
    document.add_paragraph("附件2")
    return saved(document)


MERGED_CELLS_TEXT = (
    "附件1\n"
    "\t指标对比表\n"
    "\n"
    "\t总体目标\n"
    "\t工业领域设备投资规模达到17亿元\n"
    "\t区发改委\n"
    "区工信局\n"
    "\n"
    "\t\n"
    "\t环保绩效达到A级水平的产能比例大幅提升\n"
    "\t区生态环境局\n"
    "\n"
    "附件2\n"
)


_pdf_texts: dict[tuple[str, bool], str] = {}


def pdf_text(seed, *, official_layout: bool = False) -> str:
    """The seed's PDF read once per test session; reading a long PDF takes about a second."""
    key = (seed.name, official_layout)
    if key not in _pdf_texts:
        _pdf_texts[key] = read_document(seed.official_pdf if official_layout else seed.pdf, f"{seed.name}.pdf")
    return _pdf_texts[key]


# --- the seed plans as .docx, .pdf and .txt ----------------------------------------------------


def test_docx_written_from_a_seed_reads_back_as_the_seed_text(seed):
    text = read_document(seed.docx, f"{seed.name}.docx")

    assert text == (seed.text if seed.text.endswith("\n") else seed.text + "\n")


def test_docx_tables_read_back_cell_for_cell_like_the_seed_tables(seed_with_table):
    seed = seed_with_table
    expected = seed_tables(seed.text)

    assert seed_tables(read_document(seed.docx, f"{seed.name}.docx")) == expected
    assert sum(len(table) for table in expected) > 10


@pytest.mark.parametrize("official_layout", [False, True], ids=["plain", "official-layout"])
def test_pdf_made_by_libreoffice_holds_the_seed_text_in_reading_order(seed, official_layout):
    text = pdf_text(seed, official_layout=official_layout)

    # Only the page numbers of the official layout are left out.
    assert squeezed(text) == squeezed(seed.text)


@pytest.mark.parametrize("official_layout", [False, True], ids=["plain", "official-layout"])
def test_pdf_made_by_libreoffice_rejoins_wrapped_lines_into_the_seed_paragraphs(seed, official_layout):
    text = pdf_text(seed, official_layout=official_layout)

    pdf_lines = [squeezed(line) for line in text.split("\n") if line.strip()]
    seed_lines = [squeezed(line) for line in seed.text.split("\n") if line.strip()]
    assert pdf_lines == seed_lines
    title = next(line for line in seed_lines if line.endswith("方案") or line.endswith("方案的通知"))
    tasks = [line for line in seed_lines if re.match(r"\d+[.．]\D", line)]
    assert title in pdf_lines
    assert len(tasks) >= 10
    assert all(task in pdf_lines for task in tasks)


@pytest.mark.parametrize("official_layout", [False, True], ids=["plain", "official-layout"])
def test_pdf_made_by_libreoffice_gives_the_seed_tables_cell_for_cell(seed_with_table, official_layout):
    seed = seed_with_table
    expected = seed_tables(seed.text)

    text = pdf_text(seed, official_layout=official_layout)

    assert comparable_tables(seed_tables(text, empty_paragraphs_in_cells=False)) == comparable_tables(expected)


def test_docx_of_a_seed_parses_to_the_same_plan_as_its_text(seed):
    from_text = parse_plan(seed.text).document

    assert parse_plan(read_document(seed.docx, f"{seed.name}.docx")).document == from_text
    assert parse_plan(read_document(seed.official_docx, f"{seed.name}.docx")).document == from_text


@pytest.mark.parametrize("official_layout", [False, True], ids=["plain", "official-layout"])
def test_pdf_of_a_seed_parses_to_the_same_plan_as_its_text(seed, official_layout):
    from_text = parse_plan(seed.text).document
    from_pdf = parse_plan(pdf_text(seed, official_layout=official_layout)).document

    def tasks(document):
        return [(t["number"], t["title"], t["lead_units"], t["responsible_units"]) for t in document["tasks"]]

    def indicators(document):
        return [
            (i["name"], i["units"], i["baseline"], [(m["year"], m["value"], m["unit"]) for m in i["milestones"]])
            for i in document["indicators"]
        ]

    assert len(from_text["tasks"]) >= 15
    assert tasks(from_pdf) == tasks(from_text)
    assert from_pdf["units"] == from_text["units"]
    assert indicators(from_pdf) == indicators(from_text)
    assert from_pdf == from_text


def test_gb18030_text_reads_as_the_utf8_original(seed_text):
    assert read_document(seed_text.encode("gb18030"), "方案.txt") == seed_text


def test_utf8_text_with_a_byte_order_mark_reads_as_the_utf8_original(seed_text):
    assert read_document(b"\xef\xbb\xbf" + seed_text.encode("utf-8"), "方案.txt") == seed_text


def test_utf16_text_with_a_byte_order_mark_reads_as_the_utf8_original(seed_text):
    assert read_document(seed_text.encode("utf-16"), "方案.txt") == seed_text


def test_windows_line_endings_become_newlines(seed_text):
    assert read_document(seed_text.replace("\n", "\r\n").encode("utf-8"), "方案.txt") == seed_text


# --- .docx structure ---------------------------------------------------------------------------


def test_docx_table_sits_between_its_paragraphs_with_merged_cells_written_once():
    assert read_document(merged_cells_document(), "方案.docx") == MERGED_CELLS_TEXT


def test_pdf_of_a_table_with_merged_cells_reads_like_the_docx(libreoffice):
    pdf = libreoffice(merged_cells_document(), "merged.docx", "pdf")

    assert read_document(pdf, "merged.pdf") == MERGED_CELLS_TEXT


def test_docx_reads_inserted_text_and_content_controls_but_not_deleted_text():
    document = docx.Document()
    paragraph = document.add_paragraph("到2027年，")
    paragraph._p.append(
        parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t>设备投资增长25%</w:t></w:r></w:ins>')
    )
    paragraph._p.append(
        parse_xml(f'<w:del {nsdecls("w")} w:id="2" w:author="a"><w:r><w:delText>以上</w:delText></w:r></w:del>')
    )
    body = document.element.body
    body.insert(
        len(body) - 1,  # before the section properties
        parse_xml(
            f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>（区发改委负责）</w:t></w:r></w:p>"
            "</w:sdtContent></w:sdt>"
        ),
    )

    assert read_document(saved(document), "方案.docx") == "到2027年，设备投资增长25%\n（区发改委负责）\n"


def test_documents_are_recognised_by_content_not_by_name(seed_with_table):
    seed = seed_with_table

    assert read_document(seed.pdf, "方案.txt") == pdf_text(seed)
    assert read_document(seed.docx, "方案") == read_document(seed.docx, "方案.docx")


def test_pdf_restricted_by_a_permissions_password_only_is_read(libreoffice):
    restricted = libreoffice(
        merged_cells_document(),
        "restricted.docx",
        'pdf:writer_pdf_Export:{"RestrictPermissions":{"type":"boolean","value":"true"},'
        '"PermissionPassword":{"type":"string","value":"owner"}}',
    )

    assert b"/Encrypt" in restricted
    assert read_document(restricted, "restricted.pdf") == MERGED_CELLS_TEXT


def test_the_accepted_kinds_are_text_word_and_pdf():
    assert DOCUMENT_KINDS == (".txt", ".docx", ".pdf")


# --- bad uploads -------------------------------------------------------------------------------


def test_empty_file_is_refused():
    assert refusal(b"", "方案.docx") == "The file is empty. Check that you chose the right file and upload it again."


def test_text_of_only_whitespace_is_refused():
    assert refusal(" \n\t\u3000\n".encode(), "方案.txt") == (
        "The file contains no readable text. Check that you chose the right file and upload it again."
    )


def test_random_binary_named_as_text_is_refused():
    assert refusal(random.Random(7).randbytes(4096), "方案.txt") == (
        "This file is neither a document nor text that can be read. Upload the plan as .txt / .docx / .pdf "
        "(text files in UTF-8 or GBK)."
    )


def test_file_of_another_kind_is_refused_with_the_accepted_kinds():
    assert refusal(random.Random(7).randbytes(4096), "方案.xlsx") == (
        "This kind of file cannot be read. Upload the plan as .txt / .docx / .pdf."
    )
    assert (
        refusal("# 方案".encode(), "方案.md")
        == "This kind of file cannot be read. Upload the plan as .txt / .docx / .pdf."
    )


def test_picture_is_refused_with_a_hint_to_run_ocr():
    png = b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(512)

    assert refusal(png, "扫描件.png") == (
        "This is a picture, not a document. If it is a scan of the plan, run text recognition (OCR) on it "
        "first and upload the result as .txt / .docx / .pdf."
    )


def test_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("方案.txt", "一、总体要求")

    assert refusal(buffer.getvalue(), "方案.docx") == (
        "This is a ZIP archive, not a Word document. Unpack it and upload the plan itself as .txt / .docx / .pdf."
    )


def test_truncated_docx_is_refused_as_damaged():
    data = merged_cells_document()

    assert refusal(data[: len(data) // 2], "方案.docx") == (
        "This Word file is damaged and cannot be opened. Open it in Word or WPS, save it again as .docx and "
        "upload the new file."
    )


def test_docx_needing_a_newer_zip_version_is_refused_as_damaged():
    data = bytearray(merged_cells_document())
    entry = data.index(b"PK\x01\x02")
    data[entry + 6 : entry + 8] = (200).to_bytes(2, "little")  # "version needed to extract": 20.0

    assert refusal(bytes(data), "方案.docx") == (
        "This Word file is damaged and cannot be opened. Open it in Word or WPS, save it again as .docx and "
        "upload the new file."
    )


ENCRYPTED_MESSAGE = (
    "This Word file is protected by a password. Open it, remove the password (File › Info › Protect Document "
    "in Word, or the document encryption setting in WPS), save it as .docx and upload it again."
)


def test_password_protected_word_file_is_refused():
    # Office writes an encrypted .docx as an OLE container with EncryptionInfo and EncryptedPackage.
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\0") for name in ("EncryptionInfo", "EncryptedPackage"))
    data = CFB_MAGIC + bytes(504) + directory + bytes(1024)

    assert refusal(data, "方案.docx") == ENCRYPTED_MESSAGE


def test_ole_file_named_docx_is_taken_for_a_password_protected_word_file():
    assert refusal(CFB_MAGIC + bytes(1024), "方案.docx") == ENCRYPTED_MESSAGE


DOC_MESSAGE = (
    "This is an old-format Word file (.doc), which cannot be read. Open it in Word or WPS, choose Save As, "
    "pick the .docx format and upload the new file."
)


def test_old_binary_word_file_is_refused_with_a_request_to_save_as_docx(libreoffice):
    doc = libreoffice(merged_cells_document(), "方案.docx", "doc:MS Word 97")

    assert doc.startswith(CFB_MAGIC)
    assert refusal(doc, "方案.doc") == DOC_MESSAGE
    assert refusal(doc, "方案.docx") == DOC_MESSAGE


def test_text_beginning_like_a_picture_format_name_is_still_text():
    assert read_document("BMW 二手车置换补贴\n".encode(), "方案.txt") == "BMW 二手车置换补贴\n"


def test_gbk_text_with_a_few_english_words_is_not_taken_for_utf8():
    text = "Plan 2024: 推动大规模设备更新\n" + "The schedule is attached.\n" * 40

    assert read_document(text.encode("gbk"), "方案.txt") == text


def test_utf8_text_cut_in_the_middle_of_a_character_keeps_the_rest():
    data = "一、总体要求\n到2027年，设备投资增长25%\n".encode() * 20 + "以".encode()[:2]

    assert read_document(data, "方案.txt") == "一、总体要求\n到2027年，设备投资增长25%\n" * 20 + "\ufffd"


def test_rich_text_file_is_refused_with_a_request_to_save_as_docx():
    assert refusal(b"{\\rtf1\\ansi {\\fonttbl} plan}", "方案.rtf") == (
        "This is a Rich Text (.rtf) file, which cannot be read. Open it in Word or WPS, save it as .docx and "
        "upload that file."
    )


def test_file_named_doc_is_refused_with_a_request_to_save_as_docx():
    assert refusal("一、总体要求".encode(), "方案.doc") == DOC_MESSAGE


def test_pdf_without_a_text_layer_is_refused_as_needing_ocr():
    scan = handmade_pdf(b"0.5 w 72 500 450 250 re S 0.2 g 100 520 200 100 re f")

    assert refusal(scan, "扫描件.pdf") == (
        "This PDF has no text layer; it is probably a scan. Run text recognition (OCR) on it first, or upload "
        "the original .docx."
    )


def test_pdf_whose_fonts_cannot_be_mapped_back_to_characters_is_refused():
    glyphs = b"".join(b"%04X" % cid for cid in range(100, 160))
    pdf = handmade_pdf(b"BT /F1 12 Tf 72 720 Td <" + glyphs + b"> Tj ET", font=UNMAPPED_FONT)

    assert refusal(pdf, "方案.pdf") == (
        "The text in this PDF cannot be decoded (its fonts carry no character mapping). Export the PDF again "
        "from the original Word or WPS file, or upload the .docx instead."
    )


def test_handmade_pdf_text_is_read():
    pdf = handmade_pdf(b"BT /F1 12 Tf 72 720 Td (Plan for the renewal of equipment) Tj ET")

    assert read_document(pdf, "plan.pdf") == "Plan for the renewal of equipment\n"


def test_password_protected_pdf_is_refused(libreoffice):
    protected = libreoffice(
        merged_cells_document(),
        "protected.docx",
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"secret"}}',
    )

    assert refusal(protected, "方案.pdf") == (
        "This PDF is protected by a password. Open it, save or print a copy without the password, and upload that copy."
    )


PDF_DAMAGED = (
    "This PDF is damaged and cannot be opened. Export it again from the original document, or upload the .docx instead."
)


def test_truncated_pdf_is_refused_as_damaged():
    assert refusal(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "方案.pdf") == PDF_DAMAGED


def test_file_named_pdf_that_is_not_one_is_refused_as_damaged():
    assert refusal("一、总体要求".encode(), "方案.pdf") == PDF_DAMAGED


def test_input_over_the_size_limit_is_refused_before_it_is_parsed():
    # A PDF signature would send it to the PDF parser, were the size not checked first.
    data = b"%PDF-1.7\n" + bytes(MAX_DOCUMENT_BYTES + 1 - 9)

    assert refusal(data, "方案.pdf") == (
        "The file is 20.1 MB, more than the 20 MB that can be read. Remove pictures or attachments that are "
        "not part of the plan and upload it again."
    )


def test_input_at_the_size_limit_is_read():
    text = "一、总体要求\n" + " " * (MAX_DOCUMENT_BYTES - len("一、总体要求\n".encode()))

    assert read_document(text.encode(), "方案.txt") == text


def docx_with_document_xml(size: int, declared_size: int | None = None) -> bytes:
    """A .docx whose word/document.xml unpacks to `size` bytes; the zip directory may lie about it."""
    template = merged_cells_document()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in source.infolist():
            if member.filename != "word/document.xml":
                bomb.writestr(member, source.read(member))
                continue
            xml = source.read(member)
            head, tail = xml.split(b"<w:body>")
            with bomb.open("word/document.xml", "w") as target:
                target.write(head + b"<w:body>")
                filler = b"<w:p><w:r><w:t>" + b"a" * 1000 + b"</w:t></w:r></w:p>"
                chunk = filler * 1000
                written = len(head) + 8
                while written + len(chunk) < size:
                    target.write(chunk)
                    written += len(chunk)
                target.write(tail)
    data = bytearray(buffer.getvalue())
    if declared_size is not None:
        # The uncompressed size of the part's central directory entry, 24 bytes into the entry.
        name = data.rindex(b"word/document.xml")
        entry = data.rindex(b"PK\x01\x02", 0, name)
        assert name == entry + 46
        data[entry + 24 : entry + 28] = declared_size.to_bytes(4, "little")
    return bytes(data)


def test_docx_that_unpacks_to_more_than_a_plan_holds_is_refused_without_unpacking():
    bomb = docx_with_document_xml(150 * 1024 * 1024)
    assert len(bomb) < MAX_DOCUMENT_BYTES

    tracemalloc.start()
    try:
        message = refusal(bomb, "方案.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert message == (
        "This Word file unpacks to far more data than a plan holds, so it is not read. Open it in Word or WPS, "
        "save it again as .docx and upload the new file."
    )
    assert peak < 10 * 1024 * 1024


def test_docx_whose_zip_directory_understates_a_part_is_refused_as_damaged_without_unpacking_it():
    bomb = docx_with_document_xml(150 * 1024 * 1024, declared_size=50_000)

    tracemalloc.start()
    try:
        message = refusal(bomb, "方案.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert message == (
        "This Word file is damaged and cannot be opened. Open it in Word or WPS, save it again as .docx and "
        "upload the new file."
    )
    assert peak < 20 * 1024 * 1024


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(["docx", "pdf"]),
    cut=st.floats(min_value=0.05, max_value=1.0),
    flips=st.lists(st.tuples(st.floats(min_value=0, max_value=0.999), st.integers(1, 255)), max_size=8),
)
def test_damaged_documents_give_text_or_a_reader_error_never_a_library_error(kind, cut, flips):
    if kind == "docx":
        original = merged_cells_document()
    else:
        original = handmade_pdf(b"BT /F1 12 Tf 72 720 Td (Plan for the renewal of equipment) Tj ET")
    data = bytearray(original[: max(1, int(len(original) * cut))])
    for position, mask in flips:
        data[int(position * len(data))] ^= mask

    try:
        text = read_document(bytes(data), f"方案.{kind}")
    except ReaderError as error:
        assert str(error)
    else:
        assert isinstance(text, str)
