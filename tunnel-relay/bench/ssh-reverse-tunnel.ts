import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync, readFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import net from "node:net";

/**
 * `ssh -R` through a private sshd on loopback: the baseline a developer gets without any
 * tunnel product. Returns undefined when openssh-server is not installed.
 */
export async function startSshReverseTunnel(dir: string, localPort: number, publicPort: number, sshdPort: number): Promise<{ url: string; stop(): void } | undefined> {
  if (!existsSync("/usr/sbin/sshd") || !existsSync("/usr/bin/ssh")) return undefined;
  mkdirSync("/run/sshd", { recursive: true });
  const hostKey = join(dir, "host_key");
  const clientKey = join(dir, "client_key");
  for (const key of [hostKey, clientKey]) spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
  const authorized = join(dir, "authorized_keys");
  writeFileSync(authorized, readFileSync(`${clientKey}.pub`));
  chmodSync(authorized, 0o600);
  const config = join(dir, "sshd_config");
  writeFileSync(
    config,
    [`Port ${sshdPort}`, "ListenAddress 127.0.0.1", `HostKey ${hostKey}`, `AuthorizedKeysFile ${authorized}`, "PermitRootLogin prohibit-password", "StrictModes no", "UsePAM no", "AllowTcpForwarding yes", `PidFile ${join(dir, "sshd.pid")}`].join("\n") + "\n",
  );
  const sshd = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", config], { stdio: "ignore" });
  await waitForPort(sshdPort);
  const ssh: ChildProcess = spawn("ssh", ["-N", "-i", clientKey, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-p", String(sshdPort), "-R", `127.0.0.1:${publicPort}:127.0.0.1:${localPort}`, "root@127.0.0.1"], { stdio: "ignore" });
  await waitForPort(publicPort);
  return {
    url: `http://127.0.0.1:${publicPort}`,
    stop() {
      ssh.kill();
      sshd.kill();
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => (socket.destroy(), resolve(true)));
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listening on ${port}`);
}
