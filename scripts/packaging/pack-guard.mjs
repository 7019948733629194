// The "prepack" script of each published workspace: packing the workspace folder itself would
// ship the development manifest (source export condition, scripts, private devDependencies).
console.error(
  'npm pack/publish here would ship the development package.json. Publish with `npm run release`;\n' +
    'for a tarball, run `node scripts/packaging/stage.mjs` at the repository root and pack the\n' +
    "workspace's .publish/ folder.",
);
process.exit(1);
