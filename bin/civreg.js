#!/usr/bin/env node
// Entry point of the `civreg` command. civreg needs Node 22 (brought by the `node` npm dependency,
// first on PATH inside npm scripts and npx); say so plainly instead of failing on syntax later.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`civreg needs Node.js 22.12 or newer; this is ${process.version}. Run it through npm (npm start, npx civreg), which uses the Node 22 installed with the project.`);
  process.exit(1);
}
await import('../src/cli/main.ts');
