#!/bin/sh
# The README's test command: installs what the tests talk to besides Hearsay
# itself, then runs every test. Safe to run again (installs only what is missing).
#   - aiosmtpd (PyPI): the real SMTP server the mail tests deliver to
#   - chromium, chromium-driver (Debian): the browser the HTML digest and the
#     web page are tested in, headless, driven through WebDriver
set -eu
cd "$(dirname "$0")/.."

if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    echo "tests/run.sh: installing the test SMTP server (aiosmtpd, from PyPI)" >&2
    python3 -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    echo "tests/run.sh: installing Debian's chromium and chromium-driver (no browser download)" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

exec cargo test "$@"
