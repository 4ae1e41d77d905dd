#!/bin/sh
# The README's test command: installs what the tests talk to besides Hearsay
# itself, then runs every test. Safe to run again (installs only what is missing).
#   - aiosmtpd (PyPI): the real SMTP server the mail tests deliver to
#   - chromium (Debian): the browser the HTML digest is rendered in, headless
set -eu
cd "$(dirname "$0")/.."

if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    echo "tests/run.sh: installing the test SMTP server (aiosmtpd, from PyPI)" >&2
    python3 -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
fi

if [ ! -x /usr/bin/chromium ]; then
    echo "tests/run.sh: installing Debian's chromium (no browser download)" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

exec cargo test "$@"
