#!/usr/bin/env bash
# Installs the system libraries Faultline links when they are missing: OpenBLAS and LAPACKE (statistics),
# liblz4 and libzstd (compressed Arrow buffers). Debian/Ubuntu via apt-get; elsewhere it says what to install.
# Safe to run repeatedly.
set -euo pipefail

have_headers() {
    # The headers must be found by the C compiler, and the libraries by the linker.
    printf '#include <cblas.h>\n#include <lapacke.h>\n#include <lz4frame.h>\n#include <zstd.h>\nint main(void){return 0;}\n' |
        cc -x c - -o /dev/null -lopenblas -llapacke -llz4 -lzstd >/dev/null 2>&1
}

if have_headers && command -v pkg-config >/dev/null 2>&1; then
    exit 0
fi

packages="libopenblas-dev liblapacke-dev liblz4-dev libzstd-dev pkg-config"
if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
    echo "faultline: installing $packages" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $packages >/dev/null
else
    echo "faultline: please install the OpenBLAS, LAPACKE, LZ4 and Zstandard development files" \
        "(e.g. brew install openblas lz4 zstd)" >&2
    exit 1
fi
have_headers || { echo "faultline: OpenBLAS/LAPACKE/LZ4/zstd still not usable after install" >&2; exit 1; }
