/**
 * node --import ./scripts/bench/cpu-profile-preload.mjs ... (or in NODE_OPTIONS, where Node 20 refuses
 * --cpu-prof): with TALLY_CPU_PROF_DIR set, the process's first SIGUSR2 starts V8's sampling profiler
 * (what --cpu-prof uses, 1 ms interval) and the second writes $TALLY_CPU_PROF_DIR/<pid>.cpuprofile,
 * so a profile covers the measured load only, not start-up or shutdown.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";

const dir = process.env.TALLY_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let state = "idle";
  process.on("SIGUSR2", () => {
    if (state === "idle") {
      state = "profiling";
      session.post("Profiler.enable");
      session.post("Profiler.setSamplingInterval", { interval: 1000 });
      session.post("Profiler.start");
    } else if (state === "profiling") {
      state = "done";
      session.post("Profiler.stop", (error, result) => {
        if (error) console.error(`CPU profile not written: ${error.message}`);
        else writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
      });
    }
  });
}
