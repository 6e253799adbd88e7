/** Prints bench/results.json as the Markdown table the README carries: `npx tsx bench/table.ts`. */
import fs from 'node:fs';
import path from 'node:path';

interface Results {
  date: string;
  commit?: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number };
  versions: Record<'node' | 'temporal' | 'temporalSdk' | 'bolt' | 'prisma', string>;
  figures: { name: string; value: number; unit: string; goal?: string; met?: boolean }[];
}

const results = JSON.parse(fs.readFileSync(path.join(__dirname, 'results.json'), 'utf8')) as Results;
const lines = [
  `Measured ${results.date.slice(0, 10)}${results.commit ? ` (commit ${results.commit})` : ''} on ${results.machine.cpus} CPUs (${results.machine.cpuModel}), ${results.machine.memoryGb} GB; ` +
    `Node ${results.versions.node}, ${results.versions.temporal}, Temporal SDK ${results.versions.temporalSdk}, Bolt ${results.versions.bolt}, Prisma ${results.versions.prisma}.`,
  '',
  '| figure | value | goal |',
  '|---|---:|---|',
  ...results.figures.map((f) => `| ${f.name} | ${f.value} ${f.unit} | ${f.goal ? `${f.goal}: ${f.met ? 'met' : '**missed**'}` : ''} |`),
];
console.log(lines.join('\n'));
