/** The local HTTP server the tunnel benchmark forwards to: echo, small answer, timed SSE, big download. */
import http from "node:http";
import { nowMs } from "./measure";

export const SSE_EVENTS = 500;
export const DOWNLOAD_BYTES = 200 * 1024 * 1024;

const block = Buffer.alloc(1024 * 1024, 97);

export function localServer(): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/echo") {
      let bytes = 0;
      req.on("data", (c: Buffer) => (bytes += c.length));
      req.on("end", () => res.end(`{"bytes":${bytes}}`));
      return;
    }
    if (url.pathname === "/small") return void res.end("ok");
    if (url.pathname === "/sse") {
      res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(`data: ${nowMs()}\n\n`);
        if (++sent === SSE_EVENTS) {
          clearInterval(timer);
          res.end();
        }
      }, 4);
      req.on("close", () => clearInterval(timer));
      return;
    }
    if (url.pathname === "/download") {
      res.writeHead(200, { "Content-Length": String(DOWNLOAD_BYTES) });
      let sent = 0;
      const pump = () => {
        while (sent < DOWNLOAD_BYTES) {
          sent += block.length;
          if (!res.write(block)) return void res.once("drain", pump);
        }
        res.end();
      };
      return pump();
    }
    res.writeHead(404).end();
  });
}
