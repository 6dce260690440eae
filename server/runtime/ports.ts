import net from "node:net";

/** The first port from `preferred` on (up to 100 further) that nothing listens on; 0 (any) if none. */
export async function firstFreePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 100; port++) {
    if (await isPortFree(port, "127.0.0.1")) return port;
  }
  return 0;
}

/** Whether a listener could bind `port` on `host` (every interface when omitted, as the web server does). */
export function isPortFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}
