#!/usr/bin/env bash
# Installs what box-console needs on Debian 12, idempotently:
#   setup.sh run    build + run the console and boxctl
#   setup.sh test   the above plus what the test suite needs (engine, proxies, Xvfb, fuzz)
# apt-get update runs only when a package is missing, so a rerun costs a dpkg query.
set -euo pipefail

mode=${1:-test}
case "$mode" in run|test) ;; *) echo "usage: $0 run|test" >&2; exit 2 ;; esac

run_pkgs=(build-essential cmake ninja-build pkg-config qt6-base-dev qt6-base-dev-tools
          libqt6svg6 qt6-svg-dev qt6-qpa-plugins qtkeychain-qt6-dev nlohmann-json3-dev
          libarchive-dev libhttp-parser-dev libvterm-dev libpcre2-dev ca-certificates curl
          libqt6sql6-sqlite qt6-l10n-tools qt6-tools-dev qt6-translations-l10n)
test_pkgs=(docker.io busybox-static haproxy socat openssl python3 xvfb xauth imagemagick
           curl iproute2 clang libclang-rt-14-dev lld debootstrap python3-yaml docker-compose
           iptables openssh-server podman xdotool xclip python3-xlib
           python3-jsonschema appstream desktop-file-utils zsh groff-base)

pkgs=("${run_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$p")
done
# Node.js may come from another repository that bundles npm (and conflicts with Debian's
# npm package), so ask for the commands rather than the packages.
if [ "$mode" = test ]; then
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: missing packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Coolify contract test runs the client through Prism (npm, pinned by package-lock.json);
# without it that test fails, so a failed install fails the set-up.
if [ "$mode" = test ]; then
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    contract="$here/tests/support/coolify"
    if [ ! -x "$contract/node_modules/.bin/prism" ]; then
        echo "setup: installing Prism (npm) into tests/support/coolify"
        npm_cmd=install
        [ -f "$contract/package-lock.json" ] && npm_cmd=ci
        if ! (cd "$contract" && timeout 600 npm "$npm_cmd" --no-audit --no-fund --loglevel=error); then
            echo "setup: npm could not install Prism into $contract (the Coolify contract test needs it)" >&2
            exit 1
        fi
        if [ ! -x "$contract/node_modules/.bin/prism" ]; then
            echo "setup: npm $npm_cmd finished but $contract/node_modules/.bin/prism is missing" >&2
            exit 1
        fi
    fi
fi
exit 0
