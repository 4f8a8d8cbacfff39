#!/usr/bin/env node
// Compiles every Solidity source under contracts/src/ with the pinned solc-js in ONE
// standard-JSON call and writes contracts/artifacts/<ContractName>.json for every contract and
// interface (libraries are inlined and get no artifact).
//
//   node contracts/build.js           build, write artifacts, delete stale ones, print sizes
//   node contracts/build.js --check   build in memory; exit 1 listing every artifact that is
//                                     missing, extra or different from the committed one
//
// Fails (exit 1) on any compiler error, on a deployed bytecode above the EIP-170 limit
// (24576 bytes), on init code above the EIP-3860 limit (49152 bytes), on unlinked library
// placeholders and on duplicate contract names.
//
// Settings (see contracts/README.md): solc 0.8.37 (pinned in package.json/package-lock.json),
// optimizer on with runs 999999, viaIR, evmVersion "osaka" (accepted by solc 0.8.37; Osaka
// adds the CLZ opcode that LibPosition uses), no metadata hash and no CBOR trailer so that the
// bytecode depends on the sources and settings only.
'use strict';

const fs = require('fs');
const path = require('path');

const ROOT = __dirname;
const SRC_DIR = path.join(ROOT, 'src');
const ARTIFACTS_DIR = path.join(ROOT, 'artifacts');
const SOLC_VERSION = '0.8.37';
const MAX_DEPLOYED_SIZE = 24576;
const MAX_INITCODE_SIZE = 49152;

const SETTINGS = {
  evmVersion: 'osaka',
  viaIR: true,
  optimizer: { enabled: true, runs: 999999 },
  metadata: { bytecodeHash: 'none', appendCBOR: false },
  outputSelection: {
    '*': {
      '': ['ast'],
      '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'],
    },
  },
};

function fail(message) {
  process.stderr.write(`build.js: ${message}\n`);
  process.exit(1);
}

function loadSolc() {
  let solc;
  try {
    solc = require('solc');
  } catch (e) {
    fail(`solc-js is not installed; run \`npm ci --prefix ${path.relative(process.cwd(), ROOT) || '.'}\` (${e.message})`);
  }
  const version = solc.version();
  if (!version.startsWith(`${SOLC_VERSION}+`)) {
    fail(`expected solc ${SOLC_VERSION}, found ${version}; run \`npm ci\` in contracts/`);
  }
  return solc;
}

/// Every .sol file under dir, as sorted paths relative to ROOT with forward slashes.
function listSources(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.sol')) out.push(path.relative(ROOT, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/// Deep copy with object keys sorted, so artifacts do not depend on key order.
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
    return out;
  }
  return value;
}

/// Compiles all sources and returns Map<fileName, { text, sizes }> of artifacts.
function build(solc) {
  const files = listSources(SRC_DIR);
  if (files.length === 0) fail(`no Solidity sources under ${SRC_DIR}`);
  const sources = {};
  for (const f of files) sources[f] = { content: fs.readFileSync(path.join(ROOT, f), 'utf8') };

  const input = { language: 'Solidity', sources, settings: SETTINGS };
  const findImports = (p) => ({ error: `import "${p}" is not under contracts/src (no remappings, no downloads)` });
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));

  const diagnostics = output.errors || [];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of diagnostics) {
    if (d.severity !== 'error') process.stderr.write(d.formattedMessage || `${d.severity}: ${d.message}\n`);
  }
  if (errors.length > 0) {
    for (const d of errors) process.stderr.write(d.formattedMessage || `error: ${d.message}\n`);
    fail(`${errors.length} compiler error(s)`);
  }

  // The kind (contract / interface / library) of every contract, from the AST.
  const kinds = new Map();
  for (const [sourceName, source] of Object.entries(output.sources || {})) {
    for (const node of (source.ast && source.ast.nodes) || []) {
      if (node.nodeType === 'ContractDefinition') kinds.set(`${sourceName}:${node.name}`, node.contractKind);
    }
  }

  const artifacts = new Map();
  const problems = [];
  for (const sourceName of Object.keys(output.contracts || {}).sort()) {
    const contracts = output.contracts[sourceName];
    for (const contractName of Object.keys(contracts).sort()) {
      const kind = kinds.get(`${sourceName}:${contractName}`);
      if (kind === undefined) problems.push(`no AST node for ${sourceName}:${contractName}`);
      if (kind === 'library') continue;
      const c = contracts[contractName];
      const bytecode = c.evm.bytecode.object;
      const deployed = c.evm.deployedBytecode.object;
      const fileName = `${contractName}.json`;
      if (artifacts.has(fileName)) {
        problems.push(`duplicate contract name ${contractName} (${artifacts.get(fileName).sourceName} and ${sourceName})`);
        continue;
      }
      if (/__\$[0-9a-fA-F]{34}\$__/.test(bytecode)) problems.push(`${contractName} needs library linking`);
      const deployedSize = deployed.length / 2;
      const initSize = bytecode.length / 2;
      if (deployedSize > MAX_DEPLOYED_SIZE) {
        problems.push(`${contractName}: deployed bytecode is ${deployedSize} bytes > ${MAX_DEPLOYED_SIZE} (EIP-170)`);
      }
      if (initSize > MAX_INITCODE_SIZE) {
        problems.push(`${contractName}: init code is ${initSize} bytes > ${MAX_INITCODE_SIZE} (EIP-3860)`);
      }
      const artifact = sortKeys({
        contractName,
        sourceName,
        abi: c.abi,
        bytecode: `0x${bytecode}`,
        deployedBytecode: `0x${deployed}`,
      });
      artifacts.set(fileName, {
        sourceName,
        kind,
        deployedSize,
        initSize,
        text: `${JSON.stringify(artifact, null, 2)}\n`,
      });
    }
  }
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`  ${p}\n`);
    fail(`${problems.length} problem(s)`);
  }
  return artifacts;
}

function committedArtifacts() {
  if (!fs.existsSync(ARTIFACTS_DIR)) return [];
  return fs.readdirSync(ARTIFACTS_DIR).filter((f) => f.endsWith('.json')).sort();
}

function printSizes(artifacts) {
  const rows = [...artifacts.entries()].filter(([, a]) => a.kind !== 'interface' && a.deployedSize > 0);
  for (const [fileName, a] of rows) {
    const name = fileName.replace(/\.json$/, '');
    process.stdout.write(
      `  ${name.padEnd(24)} deployed ${String(a.deployedSize).padStart(6)} B  init ${String(a.initSize).padStart(6)} B  ` +
        `(${((100 * a.deployedSize) / MAX_DEPLOYED_SIZE).toFixed(1)}% of 24 KiB)\n`,
    );
  }
}

function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0) fail(`unknown argument(s): ${unknown.join(' ')} (usage: node build.js [--check])`);
  const check = args.includes('--check');

  const solc = loadSolc();
  const artifacts = build(solc);
  const existing = committedArtifacts();

  if (check) {
    const diffs = [];
    for (const [fileName, a] of artifacts) {
      const p = path.join(ARTIFACTS_DIR, fileName);
      if (!fs.existsSync(p)) diffs.push(`missing: artifacts/${fileName}`);
      else if (fs.readFileSync(p, 'utf8') !== a.text) diffs.push(`differs: artifacts/${fileName}`);
    }
    for (const f of existing) if (!artifacts.has(f)) diffs.push(`extra:   artifacts/${f}`);
    if (diffs.length > 0) {
      for (const d of diffs) process.stderr.write(`  ${d}\n`);
      fail(`${diffs.length} artifact(s) out of date; run \`node contracts/build.js\` and commit contracts/artifacts`);
    }
    process.stdout.write(`build.js: ${artifacts.size} artifacts match the sources (solc ${solc.version()})\n`);
    return;
  }

  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  for (const [fileName, a] of artifacts) {
    const p = path.join(ARTIFACTS_DIR, fileName);
    if (!fs.existsSync(p) || fs.readFileSync(p, 'utf8') !== a.text) fs.writeFileSync(p, a.text);
  }
  for (const f of existing) {
    if (!artifacts.has(f)) {
      fs.unlinkSync(path.join(ARTIFACTS_DIR, f));
      process.stdout.write(`  removed stale artifacts/${f}\n`);
    }
  }
  process.stdout.write(`build.js: wrote ${artifacts.size} artifacts (solc ${solc.version()})\n`);
  printSizes(artifacts);
}

main();
