#!/usr/bin/env bash
# Installs the Debian packages that the browser and PDF tests need, when they are missing and we
# may install them (root with apt-get). Elsewhere it says what is missing; the tests that need a
# missing tool then fail with a message that names it (they never pass silently).
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ -d /usr/share/poppler/cMap ] || need+=(poppler-data)
fc-list :lang=ja 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
# IPAex TrueType files: embedded in every PDF (ssmark.core.pdf)
[ -f /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf ] || need+=(fonts-ipaexfont-gothic)
[ -f /usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf ] || need+=(fonts-ipaexfont-mincho)
# nginx (deploy/ site test, bench/public floor) and wrk (bench/)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
# curl and jq: the README's API example is run as written (tests/api/test_readme_curl.py)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v jq >/dev/null 2>&1 || need+=(jq)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "sysdeps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null \
    || { echo "sysdeps: apt-get install ${need[*]} failed" >&2; exit 1; }
else
  echo "sysdeps: missing ${need[*]} (install them with apt-get as root); browser/PDF tests will fail" >&2
fi
