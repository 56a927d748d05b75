/** Runs the sink as its own process: prints `{"port": N}` on stdout, prints counts and exits on "stop" from stdin. */
import { startSink } from "./sink.js";

const sink = await startSink();
process.stdout.write(`${JSON.stringify({ port: sink.port })}\n`);
process.stdin.setEncoding("utf8");
process.stdin.on("data", (line: string) => {
  if (line.includes("counts")) process.stdout.write(`${JSON.stringify(sink.counts())}\n`);
  if (line.includes("stop")) void sink.close().then(() => process.exit(0));
});
