# Shared by bin/demo and bin/test: a virtualenv with the locked dependencies, rebuilt only when
# the lock file changes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
lock_stamp=".venv/.requirements-dev.lock.sha256"
lock_sum=$(sha256sum requirements-dev.lock | cut -d' ' -f1)
if [ "$(cat "$lock_stamp" 2>/dev/null)" != "$lock_sum" ]; then
    echo "Installing locked dependencies into .venv ..."
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
    echo "$lock_sum" > "$lock_stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
