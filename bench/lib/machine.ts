/** What the figures were measured on, recorded at the top of docs/PERFORMANCE.md. */
import os from "node:os";

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
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
  };
}

export function machineLines(m: Machine): string[] {
  return [
    `- CPU: ${m.cpuModel}, ${m.cores} cores (shared with other work while measured)`,
    `- Memory: ${m.memoryGiB} GiB`,
    `- Node: ${m.node} on ${m.platform}`,
    `- Date: ${m.date}`,
  ];
}
