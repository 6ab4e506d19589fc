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
