"""Word to PDF through LibreOffice, headless.

Each conversion runs in its own temporary directory with a private user profile
(-env:UserInstallation): two conversions at once would otherwise fight over the default profile's
lock and one of them silently produce nothing. The fonts the documents name (仿宋, 黑体, 宋体) are
absent on Linux; LibreOffice falls back through fontconfig, which maps CJK text onto the Noto CJK
fonts that fonts-noto-cjk installs, and embeds them in the PDF.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_S = 120

# The Chinese office fonts the documents name, and the Noto CJK face each one becomes. Without
# this table fontconfig picks whichever CJK face comes first (often Noto Sans CJK JP, whose glyphs
# follow Japanese forms), and a serif 仿宋 turns sans.
SUBSTITUTES = {
    "仿宋": "Noto Serif CJK SC",
    "仿宋_GB2312": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "方正小标宋简体": "Noto Serif CJK SC",
    "楷体": "Noto Serif CJK SC",
    "楷体_GB2312": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
    "微软雅黑": "Noto Sans CJK SC",
}


def _profile_settings() -> str:
    """registrymodifications.xcu for the private profile: the replacement table above, always on."""
    from xml.sax.saxutils import escape

    pairs = "".join(
        f'<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
        f'<node oor:name="_{i}" oor:op="replace">'
        f'<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
        f'<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
        f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(name)}</value></prop>'
        f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(face)}</value></prop>'
        f"</node></item>\n"
        for i, (name, face) in enumerate(SUBSTITUTES.items())
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>\n'
        f"{pairs}</oor:items>\n"
    )


class PdfError(RuntimeError):
    pass


def soffice_path() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if not path:
        raise PdfError(
            "LibreOffice (soffice) is not installed, so the PDF cannot be made: run scripts/setup-system.sh "
            "(apt-get install libreoffice-writer-nogui fonts-noto-cjk) or download the Word file instead."
        )
    return path


def docx_to_pdf(docx: bytes, *, timeout: int = TIMEOUT_S) -> bytes:
    soffice = soffice_path()
    with tempfile.TemporaryDirectory(prefix="liangxin-pdf-") as tmp:
        work = Path(tmp)
        source = work / "report.docx"
        source.write_bytes(docx)
        user_dir = work / "profile" / "user"
        user_dir.mkdir(parents=True)
        (user_dir / "registrymodifications.xcu").write_text(_profile_settings(), encoding="utf-8")
        profile = (work / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            result = subprocess.run(command, capture_output=True, timeout=timeout, cwd=work, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"LibreOffice did not finish the PDF within {timeout} seconds.") from None
        target = work / "out" / "report.pdf"
        if result.returncode != 0 or not target.exists():
            detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()[-500:]
            raise PdfError(f"LibreOffice could not convert the report to PDF (exit {result.returncode}): {detail}")
        return target.read_bytes()
