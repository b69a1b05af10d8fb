// Real S3-compatible servers on 127.0.0.1 for tests: s3rver in-process (always) and a one-node Ceph
// radosgw (when the Debian `radosgw` package is installed). No mocks.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

/** A running S3-compatible server. */
export interface S3Server {
  name: "s3rver" | "radosgw";
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts s3rver in this process on a free port; credentials are s3rver's fixed S3RVER/S3RVER. */
export async function startS3rver(): Promise<S3Server> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require("s3rver");
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
  const port = await freePort();
  const server = new S3rver({ port, address: "127.0.0.1", directory, silent: true });
  await server.run();
  return {
    name: "s3rver",
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    stop: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Path of the radosgw binary, or null when Ceph's object gateway is not installed. */
export function radosgwBinary(): string | null {
  const r = spawnSync("sh", ["-c", "command -v radosgw"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

function run(cmd: string, args: string[], dir: string): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd: dir, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout.trim();
}

function httpUp(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("error", () => resolve(false));
    req.setTimeout(1000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

function cephConf(dir: string, fsid: string, monPort: number, rgwPort: number): string {
  return `[global]
fsid = ${fsid}
mon host = v1:127.0.0.1:${monPort}
mon initial members = a
auth cluster required = none
auth service required = none
auth client required = none
ms bind msgr2 = false
ms bind msgr1 = true
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
run dir = ${dir}/run
log file = ${dir}/log/$name.log
admin socket = ${dir}/run/$name.asok
pid file = ${dir}/run/$name.pid
osd objectstore = memstore
osd class update on start = false
osd crush update on start = false
memstore device bytes = 1073741824
osd data = ${dir}/osd/$cluster-$id
mon data = ${dir}/mon/$cluster-$id
keyring = ${dir}/keyring
osd max object name len = 256
osd max object namespace len = 64
[client.rgw.test]
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw data = ${dir}/rgw
`;
}

/**
 * Starts a one-node Ceph cluster (one mon, one memstore OSD, no auth, msgr v1) and radosgw on free
 * ports, with an S3 user. Returns null when radosgw is not installed. Takes about 15 s.
 */
export async function startRadosgw(): Promise<S3Server | null> {
  if (!radosgwBinary()) return null;
  // A start-up on a busy machine can still fail on timing; a fresh try with new ports and folders
  // costs little.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRadosgwOnce();
    } catch (err) {
      if (attempt >= 3) throw err;
      process.stderr.write(`radosgw start failed (attempt ${attempt}), trying again: ${(err as Error).message.split("\n")[0]}\n`);
    }
  }
}

async function startRadosgwOnce(): Promise<S3Server> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "radosgw-"));
  for (const d of ["run", "log", "mon", "osd", "rgw"]) fs.mkdirSync(path.join(dir, d));
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  const fsid = randomUUID();
  const conf = path.join(dir, "ceph.conf");
  fs.writeFileSync(conf, cephConf(dir, fsid, monPort, rgwPort));
  const procs: ChildProcess[] = [];
  const daemon = (cmd: string, args: string[], name: string): void => {
    const out = fs.openSync(path.join(dir, "log", `${name}.out`), "w");
    const p = spawn(cmd, [...args, "-f"], { cwd: dir, stdio: ["ignore", out, out] });
    fs.closeSync(out);
    procs.push(p);
  };
  // If the test process ends without calling stop (a crash, Ctrl-C), the daemons must not outlive it.
  const killAll = (): void => {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  };
  process.once("exit", killAll);
  const stop = async (): Promise<void> => {
    process.removeListener("exit", killAll);
    for (const p of procs.reverse()) {
      if (p.exitCode === null && p.signalCode === null) {
        const gone = new Promise((r) => p.once("exit", r));
        p.kill("SIGTERM");
        const t = setTimeout(() => p.kill("SIGKILL"), 5000);
        await gone;
        clearTimeout(t);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    run("monmaptool", ["--create", "--addv", "a", `[v1:127.0.0.1:${monPort}]`, "--fsid", fsid, path.join(dir, "monmap")], dir);
    run("ceph-authtool", ["--create-keyring", path.join(dir, "keyring"), "--gen-key", "-n", "mon.", "--cap", "mon", "allow *"], dir);
    run("ceph-mon", ["-c", conf, "--mkfs", "-i", "a", "--monmap", path.join(dir, "monmap"), "--keyring", path.join(dir, "keyring")], dir);
    daemon("ceph-mon", ["-c", conf, "-i", "a"], "mon");
    const uuid = randomUUID();
    let id = "";
    for (let i = 0; i < 30 && !/^\d+$/.test(id); i++) {
      try {
        id = run("ceph", ["-c", conf, "--connect-timeout", "5", "osd", "new", uuid], dir);
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    if (!/^\d+$/.test(id)) throw new Error("ceph mon did not come up");
    fs.mkdirSync(path.join(dir, "osd", `ceph-${id}`), { recursive: true });
    run("ceph-osd", ["-c", conf, "-i", id, "--mkfs", "--osd-uuid", uuid], dir);
    // The OSD would place itself in the CRUSH map at start-up, but it can send that command before
    // it has the monitor map, with a zero fsid that the monitor refuses ("wrong fsid"), and exit.
    // The ceph CLI waits for the map, so the placement is done here and turned off in the OSD.
    run("ceph", ["-c", conf, "--connect-timeout", "10", "osd", "crush", "add", `osd.${id}`, "1.0", "host=localhost", "root=default"], dir);
    daemon("ceph-osd", ["-c", conf, "-i", id], "osd");
    daemon("radosgw", ["-c", conf, "-n", "client.rgw.test"], "rgw");
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    const deadline = Date.now() + 90_000;
    while (!(await httpUp(endpoint))) {
      if (Date.now() > deadline) throw new Error(`radosgw did not answer on ${endpoint}; see ${dir}/log`);
      if (procs.some((p) => p.exitCode !== null)) throw new Error(`a ceph daemon exited; see ${dir}/log`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const credentials = { accessKeyId: "SPARKIFYTEST", secretAccessKey: "sparkify-test-secret" };
    run("radosgw-admin", ["-c", conf, "-n", "client.rgw.test", "--admin-socket", path.join(dir, "run", "admin.asok"),
      "user", "create", "--uid=test", "--display-name=test", `--access-key=${credentials.accessKeyId}`, `--secret-key=${credentials.secretAccessKey}`], dir);
    return { name: "radosgw", endpoint, credentials, stop };
  } catch (err) {
    const logs = fs.readdirSync(path.join(dir, "log")).map((f) => {
      const text = fs.readFileSync(path.join(dir, "log", f), "utf8");
      return `--- ${f}\n${text.slice(-1500)}`;
    });
    await stop();
    throw new Error(`${(err as Error).message}\n${logs.join("\n")}`);
  }
}

let shared: Promise<S3Server | null> | null = null;

/** One radosgw for all test files of a run (started on first use, stopped by stopSharedRadosgw). */
export function sharedRadosgw(): Promise<S3Server | null> {
  if (!shared) shared = startRadosgw();
  return shared;
}

/** Stops the shared radosgw if it was started. */
export async function stopSharedRadosgw(): Promise<void> {
  const s = shared;
  shared = null;
  const srv = s ? await s.catch(() => null) : null;
  if (srv) await srv.stop();
}

/**
 * A TCP proxy on 127.0.0.1 in front of `target` that cuts each of the first `cuts` connections after
 * `afterBytes` bytes of response: a broken transfer, for resume tests.
 */
export async function startCuttingProxy(target: string, afterBytes: number, cuts: number): Promise<{ endpoint: string; cutsDone: () => number; stop(): Promise<void> }> {
  const url = new URL(target);
  let done = 0;
  let assigned = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(url.port), url.hostname);
    sockets.add(client).add(upstream);
    let sent = 0;
    const cutThis = assigned++ < cuts;
    upstream.on("data", (buf) => {
      if (cutThis && sent + buf.length > afterBytes) {
        const part = buf.subarray(0, Math.max(0, afterBytes - sent));
        client.write(part, () => {
          client.destroy();
          upstream.destroy();
        });
        sent = afterBytes;
        done++;
        return;
      }
      sent += buf.length;
      client.write(buf);
    });
    client.on("data", (b) => upstream.write(b));
    const close = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    cutsDone: () => done,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
