#!/usr/bin/env bash
# Pack the app for a PC without internet: the code and reports, every dependency as a wheel, and optionally
# the built index. Run it on a machine that reaches PyPI and has the intranet PC's system and Python
# (Linux x86_64 or aarch64, Python 3.11: the wheels are built for this machine's system and Python):
#   bash bundle.sh [--with-index] [--out DIR]     (default DIR: dist/)
# On the intranet PC: tar -xf baogao-wenda-<version>.tar && cd baogao-wenda && bash run.sh
# run.sh sees wheels/ and installs from it alone (pip --no-index), so it never tries the network.
# --with-index also packs data/index (built first if needed), so the first start does not embed the reports.
set -euo pipefail
cd "$(dirname "$0")"
with_index=0
out=dist
while [ $# -gt 0 ]; do
    case "$1" in
        --with-index) with_index=1 ;;
        --out) [ $# -ge 2 ] || { echo "错误：--out 后面要写输出文件夹" >&2; exit 2; }; out="$2"; shift ;;
        --out=*) out="${1#--out=}" ;;
        -h|--help) sed -n '2,9p' "$0" | cut -c3-; exit 0 ;;
        *) echo "错误：不认识的参数 $1（可用：--with-index、--out 文件夹）" >&2; exit 2 ;;
    esac
    shift
done
git rev-parse --is-inside-work-tree >/dev/null 2>&1 \
    || { echo "错误：bundle.sh 要在 git 克隆的项目文件夹里运行（它按 git 的文件清单打包）" >&2; exit 2; }
[ -x .venv/bin/python ] || python3 -m venv .venv
python=.venv/bin/python
name=baogao-wenda
version=$(git describe --always --dirty)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/wheels" "$out"
git ls-files -z | tar --null --ignore-failed-read -cf - -T - 2>/dev/null | tar -xf - -C "$root"
echo "下载并构建依赖的 wheel（requirements.txt）…"
"$python" -m pip wheel -q --disable-pip-version-check -r requirements.txt -w "$root/wheels"
"$python" -c "import platform, sys; print(f'{sys.version_info[0]}.{sys.version_info[1]} {platform.machine()}')" \
    > "$root/wheels/TARGET"
if [ "$with_index" = 1 ]; then
    "$python" -m pip install -q --disable-pip-version-check --no-index --find-links "$root/wheels" -r requirements.txt
    "$python" -m index build
    mkdir -p "$root/data"
    cp -r data/index "$root/data/index"
fi
archive="$out/$name-$version.tar"
tar -cf "$archive" -C "$stage" "$name"
echo "已生成离线安装包：$archive（$(du -h "$archive" | cut -f1)，适用于 $(cat "$root/wheels/TARGET")）"
echo "在内网电脑上：tar -xf $(basename "$archive") && cd $name && bash run.sh"
