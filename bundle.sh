#!/usr/bin/env bash
# Pack the app for a PC without internet: the code, every report in corpus/, every dependency as a wheel,
# and optionally the built index. Run it on a machine that reaches PyPI and has the intranet PC's system and
# Python (Linux x86_64 or aarch64, Python 3.11; the wheels are built for this machine's system and Python):
#   bash bundle.sh [--with-index] [--out DIR]     (default DIR: dist/)
# On the intranet PC: tar -xf baogao-wenda-<date>-<commit>.tar && cd baogao-wenda && bash run.sh
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
        -h|--help) sed -n '2,8p' "$0" | cut -c3-; exit 0 ;;
        *) echo "错误：不认识的参数 $1（可用：--with-index、--out 文件夹）" >&2; exit 2 ;;
    esac
    shift
done
if [ "$(git rev-parse --show-toplevel 2>/dev/null)" != "$(pwd -P)" ]; then
    echo "错误：bundle.sh 要在 git 克隆的项目文件夹里运行（它按 git 的文件清单打包代码）；这里不是项目的 git 仓库" >&2
    exit 2
fi
python=${PYTHON:-python3}  # the Python the target PCs run (run.sh checks they match the wheels)
fail() {  # one Chinese line on standard error, exit code 2
    local IFS=
    echo "错误：$*" >&2
    exit 2
}
command -v "$python" >/dev/null || fail "没有找到 $python；请安装 Python 3.11，或用 PYTHON=… 指定它"
"$python" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' \
    || fail "需要 Python 3.11 或更新（$python 是 $("$python" --version 2>&1)）；用 PYTHON=python3.11 bash bundle.sh 运行"
if [ -x .venv/bin/python ] && ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
    fail "虚拟环境 .venv 不完整（没有 pip），多半是建立时系统缺少 venv 模块：" \
         "请安装它（Debian/Ubuntu：apt install python3-venv），删除 .venv 文件夹后重新运行 bash bundle.sh"
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv >/dev/null 2>&1 \
    || { rm -rf .venv; fail "无法建立虚拟环境 .venv：系统缺少 Python 的 venv 模块（Debian/Ubuntu：apt install python3-venv）"; }
name=baogao-wenda
version="$(date +%Y%m%d-%H%M)-$(git describe --always --dirty)"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/wheels" "$out"
# The code as git tracks it, and every report in corpus/, tracked or not (reports are added by copying them in).
git ls-files -z | tar --null --ignore-failed-read -cf - -T - 2>/dev/null | tar -xf - -C "$root"
cp -a corpus/. "$root/corpus/"
untracked=$(git ls-files --others --exclude-standard corpus/ | wc -l)
[ "$untracked" = 0 ] || echo "注意：corpus/ 中有 $untracked 个报告文件不在 git 里，也已打包。"
echo "下载并构建依赖的 wheel（requirements.txt）…"
.venv/bin/python -m pip wheel -q --disable-pip-version-check -r requirements.txt -w "$root/wheels"
.venv/bin/python - "$root/wheels" > "$root/wheels/TARGET" <<'PY'
"""wheels/TARGET: the Python and processor the wheels are for, and the oldest glibc they all run on."""
import platform, re, sys
from pathlib import Path
glibc = [(2, 5)]
for wheel in Path(sys.argv[1]).glob("*.whl"):
    for tag in re.findall(r"manylinux_(\d+)_(\d+)_", wheel.name):
        glibc.append((int(tag[0]), int(tag[1])))
    glibc += [(2, 17)] * ("manylinux2014" in wheel.name) + [(2, 12)] * ("manylinux2010" in wheel.name)
print(f"{sys.version_info[0]}.{sys.version_info[1]} {platform.machine()}")
print("glibc %d.%d" % max(glibc))
PY
if [ "$with_index" = 1 ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check --no-index --find-links "$root/wheels" \
        -r requirements.txt
    .venv/bin/python -m index build
    mkdir -p "$root/data"
    cp -r data/index "$root/data/index"
fi
archive="$out/$name-$version.tar"
tar -cf "$archive" -C "$stage" "$name"
echo "已生成离线安装包：$archive（$(du -h "$archive" | cut -f1)，适用于 Python $(head -1 "$root/wheels/TARGET")，" \
     "$(sed -n 2p "$root/wheels/TARGET") 或更新）"
echo "在内网电脑上：tar -xf $(basename "$archive") && cd $name && bash run.sh"
