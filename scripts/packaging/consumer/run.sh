#!/usr/bin/env bash
# The packages as a user meets them: stage and pack them as `npm run release` would publish them,
# install the tarballs with tfjs from the registry into an empty project, check the installed
# manifests, and run the README's three lines there: ESM and CJS, each once with the backend
# selectBackend() picks, once after tf.setBackend('wasm') and once with no backend chosen (unlearn()
# picks); then the `unlearn` command.
# Run after the build (`npm run test:consumer` builds first).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
here="$repo/scripts/packaging/consumer"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mapfile -t staged < <(node "$repo/scripts/packaging/stage.mjs")
mkdir "$work/tarballs" "$work/app"
(cd "$work/tarballs" && npm pack --silent "${staged[@]}" >/dev/null)

cd "$work/app"
cp "$here/fixture.cjs" "$here/esm.mjs" "$here/cjs.cjs" .
echo '{ "name": "consumer", "private": true }' > package.json
tfjs=4.22.0
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$work"/tarballs/*.tgz \
  "@tensorflow/tfjs-core@$tfjs" "@tensorflow/tfjs-layers@$tfjs" \
  "@tensorflow/tfjs-backend-cpu@$tfjs" "@tensorflow/tfjs-backend-wasm@$tfjs"

# What was installed is what was staged: nothing points at sources or development scripts.
if grep -l -e '@unlearn/source' -e '"devDependencies"' -e '"scripts"' node_modules/@unlearn/*/package.json; then
  echo 'installed manifests above keep development fields' >&2
  exit 1
fi

for mode in select wasm default; do
  node esm.mjs "$mode"
  node cjs.cjs "$mode"
done
npx --no-install unlearn --help > help.txt
grep -q '^Usage: unlearn' help.txt || { cat help.txt; echo 'unlearn --help printed no usage' >&2; exit 1; }
echo 'unlearn --help: ok'
