// A minimal static file server on 127.0.0.1 and a free port, for built apps and the playground.
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".map": "application/json",
};

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** The headers that make a page cross-origin isolated (and so give it SharedArrayBuffer and threads). */
export const CROSS_ORIGIN_ISOLATION = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

/**
 * Serves `root` (index.html for "/"); anything outside root or missing is a 404. `isolated` adds the
 * cross-origin isolation headers, `headers` any others (on every response).
 */
export async function serveDirectory(
  root: string,
  { isolated = false, headers = {} }: { isolated?: boolean; headers?: Record<string, string> } = {},
): Promise<Served> {
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(normalize(root + sep))) return void res.writeHead(404).end();
    try {
      const body = await readFile(file);
      res
        .writeHead(200, {
          "content-type": TYPES[extname(file)] ?? "application/octet-stream",
          ...(isolated ? CROSS_ORIGIN_ISOLATION : {}),
          ...headers,
        })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
