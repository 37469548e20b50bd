import { Agent, request } from "node:https";

/**
 * A small JSON client for a loopback kube-apiserver (bearer token, self-signed serving
 * certificate): the twin creates thousands of nodes and pods' worth of objects, which one kubectl
 * process per call would spend minutes on.
 */
export class ApiClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 32, rejectUnauthorized: false });

  constructor(
    private readonly server: string,
    private readonly token: string,
  ) {}

  async call<T = Record<string, unknown>>(
    method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT",
    path: string,
    body?: unknown,
    contentType = "application/json",
  ): Promise<{ status: number; body: T }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.server}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.token}`,
            Accept: "application/json",
            ...(payload !== undefined && { "Content-Type": contentType, "Content-Length": Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = text;
            try {
              parsed = text === "" ? {} : JSON.parse(text);
            } catch {
              // not JSON (a /readyz answer): keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T });
          });
        },
      );
      req.on("error", reject);
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: timeout`)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Calls and throws with the API's message unless the status is 2xx (or one of `accept`). */
  async must<T = Record<string, unknown>>(
    method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT",
    path: string,
    body?: unknown,
    accept: readonly number[] = [],
    contentType?: string,
  ): Promise<T> {
    const result = await this.call<T>(method, path, body, contentType);
    if ((result.status < 200 || result.status > 299) && !accept.includes(result.status)) {
      const message = (result.body as { message?: string })?.message ?? JSON.stringify(result.body).slice(0, 500);
      throw new Error(`${method} ${path}: ${result.status} ${message}`);
    }
    return result.body;
  }

  /** Every item of a list, following `continue` tokens. */
  async list<T>(path: string, pageSize = 2000): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    do {
      const separator = path.includes("?") ? "&" : "?";
      const page = await this.must<{ items: T[]; metadata: { continue?: string } }>(
        "GET",
        `${path}${separator}limit=${pageSize}${token ? `&continue=${encodeURIComponent(token)}` : ""}`,
      );
      items.push(...page.items);
      token = page.metadata.continue || undefined;
    } while (token);
    return items;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(workers);
}
