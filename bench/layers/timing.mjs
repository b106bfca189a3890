// One round of one task: a tinybench run (measure.mjs) that also clocks the process's CPU time.
// On a shared machine a call that lasts milliseconds is often descheduled mid-sample, which inflates
// its wall time but not its CPU time; calls of microseconds mostly escape. CPU time is what makes
// a slow baseline and a fast kernel comparable under load. Only the measuring thread is busy
// while a task runs (the other side waits for its reply), so process CPU time is that thread's.
import { measure } from "../measure.mjs";

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** { wallMs, cpuMs } per call: tinybench's median sample, and CPU time over all calls of the round. */
export async function timedRound(task, time) {
  let cpu = 0,
    calls = 0;
  const clocked = {
    ...task,
    batch: () => {
      const c0 = cpuMs();
      task.batch();
      cpu += cpuMs() - c0;
      calls += task.inner;
    },
  };
  const { perRound } = await measure([clocked], { time, rounds: 1 });
  return { wallMs: perRound.get(task.id)[0], cpuMs: cpu / calls };
}
