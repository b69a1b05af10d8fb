#!/usr/bin/env bash
# Installs the Debian packages that the integration suites need, when they are missing: Chromium
# (PNG figures, the report test), the Jupyter client packages (notebooks through a real kernel), Ceph's
# radosgw (the S3 tests on a real object gateway) and the system Python. Called by .ci/run and, on
# Debian as root, by `npm test` (scripts/system-deps.js). Needs root and apt-get.
#   --bench   also the Python references of `npm run bench` (scikit-learn, XGBoost, pandas)
#   --check   only list what is missing; exit 1 when something is
set -euo pipefail

DEBS=(python3 chromium jupyter-client python3-nbclient python3-nbformat jupyter-nbconvert python3-ipykernel radosgw ceph-mon ceph-osd)
check=0
for a in "$@"; do
  case "$a" in
    --bench) DEBS+=(python3-sklearn python3-xgboost python3-pandas) ;;
    --check) check=1 ;;
    *) echo "install-system-deps.sh: unknown option $a (use --bench, --check)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all ${#DEBS[@]} installed"
  exit 0
fi
if [ "$check" = 1 ]; then
  echo "system packages missing: ${missing[*]}"
  exit 1
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "system packages missing: ${missing[*]} (install them as root: apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another process may hold the dpkg lock for a while (unattended upgrades, a parallel install).
apt-get update -q -o DPkg::Lock::Timeout=300
apt-get install -y -q -o DPkg::Lock::Timeout=300 "${missing[@]}"
