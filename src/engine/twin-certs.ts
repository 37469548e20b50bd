import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What the harness signs: a throw-away CA, a serving certificate for 127.0.0.1, the service-account keys. */
export interface TwinCertificates {
  readonly caCert: string;
  /** Directory with tls.crt and tls.key for IP:127.0.0.1 (Kueue's webhook and metrics servers). */
  readonly servingDir: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
}

const openssl = (args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });

/** Node's crypto cannot issue X.509 certificates: the openssl CLI does (valid 2 days, loopback only). */
export function makeCertificates(dir: string): TwinCertificates {
  mkdirSync(dir, { recursive: true });
  const caKey = join(dir, "ca.key");
  const caCert = join(dir, "ca.crt");
  openssl(
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=gpu-campus-twin-ca"].concat([
      "-keyout",
      caKey,
      "-out",
      caCert,
    ]),
  );
  const servingDir = join(dir, "serving");
  mkdirSync(servingDir, { recursive: true });
  const key = join(servingDir, "tls.key");
  const csr = join(dir, "serving.csr");
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", csr]);
  const ext = join(dir, "serving.ext");
  writeFileSync(
    ext,
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n",
  );
  openssl(
    ["x509", "-req", "-in", csr, "-CA", caCert, "-CAkey", caKey, "-CAcreateserial", "-days", "2"].concat([
      "-extfile",
      ext,
      "-out",
      join(servingDir, "tls.crt"),
    ]),
  );
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const serviceAccountKey = join(dir, "sa.key");
  const serviceAccountPub = join(dir, "sa.pub");
  writeFileSync(serviceAccountKey, privateKey.export({ type: "pkcs1", format: "pem" }));
  writeFileSync(serviceAccountPub, publicKey.export({ type: "spki", format: "pem" }));
  return { caCert, servingDir, serviceAccountKey, serviceAccountPub };
}

/** Copies the serving pair into `target` (the /etc overlay Kueue's metrics server reads). */
export function copyServingPair(certs: TwinCertificates, target: string): void {
  mkdirSync(target, { recursive: true });
  for (const file of ["tls.crt", "tls.key"]) copyFileSync(join(certs.servingDir, file), join(target, file));
}
