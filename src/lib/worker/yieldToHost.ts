// Stepping aside for the thread's queued tasks, for code that otherwise waits only on promises.

/** Resolves from a task of its own: whatever the thread had queued runs first (no timer clamping). */
export function yieldToHost(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
