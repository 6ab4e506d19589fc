#!/usr/bin/env bash
# Install the Debian packages the test suite needs, only those that are missing:
# PostgreSQL server binaries (the suite's second run), Chromium and CJK fonts (browser tests),
# gettext (translations), LibreOffice Writer (the document reader tests turn .docx into .pdf),
# poppler-utils (PDF tools), python3-venv where Debian's python3 lacks it, nodejs and npm (the
# front-end build, `make static`). `setup-system.sh npm` checks only nodejs and npm: what
# `make run` needs, without the test suite's packages.
# Idempotent and quiet; runs `apt-get update` only when it installs.
set -euo pipefail

missing=()

have_pg_server() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null
}
have_pkg() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

command -v npm >/dev/null || missing+=(nodejs npm)

if [ "${1:-}" != npm ]; then
    have_pg_server || missing+=(postgresql)
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    have_pkg fonts-noto-cjk || missing+=(fonts-noto-cjk)
    command -v msgfmt >/dev/null || missing+=(gettext)
    command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
    command -v pdftotext >/dev/null || missing+=(poppler-utils)
    # Debian's own python3 creates virtual environments only with python3-venv (ensurepip).
    if [ "$(command -v python3)" = /usr/bin/python3 ] && ! python3 -c "import ensurepip" 2>/dev/null; then
        missing+=(python3-venv)
    fi
fi

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null; then
    sudo=(sudo)
else
    echo "setup-system: missing Debian packages: ${missing[*]}; install them as root:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
