#!/usr/bin/env sh
# Prints the path of a Python 3.12+ interpreter, or explains on stderr that there is none.
# Looks at $PYTHON, then python3.13/python3.12/python3 on the PATH, then pyenv's versions.
is_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; }

for candidate in "${PYTHON:-}" python3.14 python3.13 python3.12 python3; do
    [ -n "$candidate" ] || continue
    path=$(command -v "$candidate" 2>/dev/null) || continue
    if is_ok "$path"; then echo "$path"; exit 0; fi
done

pyenv_root=${PYENV_ROOT:-$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")}
for path in $(ls -d "$pyenv_root"/versions/3.*/bin/python3 2>/dev/null | sort -rV); do
    if is_ok "$path"; then echo "$path"; exit 0; fi
done

echo "error: no Python 3.12 or newer found (looked at \$PYTHON, python3.1x on the PATH and pyenv)." >&2
echo "Install one (e.g. 'pyenv install 3.13') or point PYTHON at it: make run PYTHON=/path/to/python3.13" >&2
exit 1
