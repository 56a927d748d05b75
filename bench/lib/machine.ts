/** What the figures were measured on, recorded at the top of docs/PERFORMANCE.md. */
import os from "node:os";

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  loadAverage: number;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    loadAverage: os.loadavg()[0] ?? Number.NaN,
  };
}

export function machineLines(m: Machine): string[] {
  return [
    `- CPU: ${m.cpuModel}, ${m.cores} cores (shared with other work while measured)`,
    `- Memory: ${m.memoryGiB} GiB`,
    `- Node: ${m.node} on ${m.platform}`,
    `- Date: ${m.date}; 1-minute load average at the start: ${m.loadAverage.toFixed(2)}`,
  ];
}
