"""Real documents for the reader tests: .docx files written with python-docx from the seed plans in
shared/seeds/, and .pdf files converted from them by LibreOffice, as a user's office would.

The seed texts are the parser's reference; their tables are linearised one cell per line (a tab
before each cell's first line, further paragraphs of the cell on their own lines, a blank line
after each row). `seed_blocks` reads that shape back into paragraphs and tables so that a .docx
with real Word tables can be built from a seed and its reading compared cell for cell.
"""

import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

SEEDS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
SEED_NAMES = sorted(path.stem for path in SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.is_dir() else []
TABLE_SEED_NAMES = [name for name in SEED_NAMES if "\n\t" in (SEEDS_DIR / f"{name}.txt").read_text(encoding="utf-8")]


def seed_blocks(text: str, *, empty_paragraphs_in_cells: bool = True) -> list[tuple[str, object]]:
    """The seed text as ("paragraph", line) and ("table", rows) blocks; rows are lists of cells,
    cells lists of paragraphs.

    In a seed, a blank line followed by a line without a tab is an empty paragraph of the cell
    (a cell reading "区住房和城乡建设局", "", "区综合行政执法局"); the blank line that ends the last
    row is followed by another blank line or a tab. Text read from a PDF has no empty paragraphs
    in cells, so there a blank line always ends the row.
    """
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    blocks: list[tuple[str, object]] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("\t"):
            blocks.append(("paragraph", lines[i]))
            i += 1
            continue
        rows = []
        while i < len(lines) and lines[i].startswith("\t"):
            row: list[list[str]] = []
            while i < len(lines):
                line = lines[i]
                if line.startswith("\t"):
                    row.append([line[1:]])
                    i += 1
                elif line:
                    row[-1].append(line)
                    i += 1
                elif (
                    empty_paragraphs_in_cells
                    and i + 1 < len(lines)
                    and lines[i + 1]
                    and not lines[i + 1].startswith("\t")
                ):
                    row[-1].extend(["", lines[i + 1]])
                    i += 2
                else:
                    break
            rows.append(row)
            i += 1  # the blank line after the row
        blocks.append(("table", rows))
    return blocks


def seed_tables(text: str, *, empty_paragraphs_in_cells: bool = True) -> list[list[list[list[str]]]]:
    blocks = seed_blocks(text, empty_paragraphs_in_cells=empty_paragraphs_in_cells)
    return [content for kind, content in blocks if kind == "table"]


def docx_from_seed(text: str, *, official_layout: bool = False) -> bytes:
    """A Word document with the seed's paragraphs as paragraphs and its tables as Word tables.
    A row with fewer cells than the widest row (a title row) has its last cell merged across.

    The official layout is that of a government document: A4, 16 pt 仿宋, justified paragraphs
    indented by two characters, "— 3 —" page numbers in the footer, and each table on landscape
    pages of its own in 10.5 pt, so that its rows break across pages.
    """
    document = docx.Document()
    if official_layout:
        normal = document.styles["Normal"]
        normal.font.size = Pt(16)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
        section = document.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.8)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("— ")
        footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
        footer.add_run(" —")
    for kind, content in seed_blocks(text):
        if kind == "paragraph":
            paragraph = document.add_paragraph(content)
            if official_layout:
                paragraph.paragraph_format.first_line_indent = Pt(32)
                paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            continue
        if official_layout:
            _new_section(document, WD_ORIENT.LANDSCAPE)
        width = max(len(row) for row in content)
        table = document.add_table(rows=len(content), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(content):
            if len(row) < width:
                table.cell(r, len(row) - 1).merge(table.cell(r, width - 1))
            for c, paragraphs in enumerate(row):
                cell = table.cell(r, c)
                cell.paragraphs[0].text = paragraphs[0]
                for paragraph in paragraphs[1:]:
                    cell.add_paragraph(paragraph)
                if official_layout:
                    for run in (run for paragraph in cell.paragraphs for run in paragraph.runs):
                        run.font.size = Pt(10.5)
        if official_layout:
            _new_section(document, WD_ORIENT.PORTRAIT)
    return _saved(document)


def _new_section(document, orientation) -> None:
    section = document.add_section()
    section.orientation = orientation
    long, short = Cm(29.7), Cm(21)
    section.page_width, section.page_height = (long, short) if orientation == WD_ORIENT.LANDSCAPE else (short, long)


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def convert_with_libreoffice(sources: list[Path], target: str, outdir: Path, profile: Path) -> None:
    """Run LibreOffice headless once for all sources; a private profile keeps parallel runs apart."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail(
            "LibreOffice (soffice) is missing; the reader tests convert .docx to .pdf with it. "
            "Run scripts/setup-system.sh (installs libreoffice-writer-nogui)."
        )
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        *map(str, sources),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    extension = "." + target.split(":", 1)[0]
    missing = [source.name for source in sources if not (outdir / source.with_suffix(extension).name).exists()]
    if result.returncode != 0 or missing:
        pytest.fail(f"LibreOffice did not convert {missing or sources}: {result.stdout} {result.stderr}")


@dataclass(frozen=True)
class SeedDocuments:
    name: str
    text: str
    docx: bytes
    pdf: bytes
    official_docx: bytes  # the same plan in the layout of a government document
    official_pdf: bytes


@pytest.fixture(scope="session")
def seed_library(tmp_path_factory) -> dict[str, SeedDocuments]:
    """Every seed as text, .docx and .pdf, plainly and in the official layout (one LibreOffice run)."""
    if not SEED_NAMES:
        pytest.skip(f"the seed plans are not at {SEEDS_DIR} (CI has shared/seeds)")
    workdir = tmp_path_factory.mktemp("seed-documents")
    texts = {name: (SEEDS_DIR / f"{name}.txt").read_text(encoding="utf-8") for name in SEED_NAMES}
    sources = []
    for name, text in texts.items():
        for stem, official_layout in ((name, False), (f"{name}-official", True)):
            source = workdir / f"{stem}.docx"
            source.write_bytes(docx_from_seed(text, official_layout=official_layout))
            sources.append(source)
    convert_with_libreoffice(sources, "pdf", workdir, tmp_path_factory.mktemp("libreoffice-profile"))
    return {
        name: SeedDocuments(
            name,
            text,
            docx=(workdir / f"{name}.docx").read_bytes(),
            pdf=(workdir / f"{name}.pdf").read_bytes(),
            official_docx=(workdir / f"{name}-official.docx").read_bytes(),
            official_pdf=(workdir / f"{name}-official.pdf").read_bytes(),
        )
        for name, text in texts.items()
    }


@pytest.fixture(params=SEED_NAMES or ["no seeds"])
def seed(request, seed_library) -> SeedDocuments:
    return seed_library[request.param]


@pytest.fixture(params=TABLE_SEED_NAMES or ["no seeds"])
def seed_with_table(request, seed_library) -> SeedDocuments:
    return seed_library[request.param]


@pytest.fixture
def libreoffice(tmp_path):
    """Convert one document with LibreOffice: libreoffice(data, "name.docx", "pdf") -> bytes."""

    def convert(data: bytes, filename: str, target: str) -> bytes:
        source = tmp_path / filename
        source.write_bytes(data)
        outdir = tmp_path / "out"
        outdir.mkdir(exist_ok=True)
        convert_with_libreoffice([source], target, outdir, tmp_path / "profile")
        return (outdir / source.with_suffix("." + target.split(":", 1)[0]).name).read_bytes()

    return convert
