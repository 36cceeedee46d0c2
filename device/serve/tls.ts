/**
 * `massager serve --tls`: HTTPS with a self-signed certificate made on first use and kept in
 * the data folder (`serve-tls/`), so a phone that accepted it once keeps trusting it. Its
 * SHA-256 fingerprint is printed, for the person to compare with what the phone's browser shows
 * before accepting it. The certificate is made by `selfsigned` (see README, "Why these libraries").
 */
import { X509Certificate } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../app/store/atomic-file.ts";

export interface ServeCertificate {
  key: string;
  cert: string;
  /** SHA-256 of the certificate, as colon-separated hex (what browsers show). */
  fingerprint: string;
  /** True when it was made just now. */
  created: boolean;
}

const VALID_DAYS = 825;

/** The kept certificate, or a new one naming localhost, this machine's addresses and `names`. */
export async function loadCertificate(dataDir: string, addresses: readonly string[]): Promise<ServeCertificate> {
  const folder = join(dataDir, "serve-tls");
  const keyFile = join(folder, "key.pem");
  const certFile = join(folder, "cert.pem");
  try {
    const [key, cert] = await Promise.all([readFile(keyFile, "utf8"), readFile(certFile, "utf8")]);
    const x509 = new X509Certificate(cert);
    const coversAll = addresses.every((address) => x509.checkIP(address) !== undefined);
    if (new Date(x509.validTo).getTime() > Date.now() + 86_400_000 && coversAll) {
      return { key, cert, fingerprint: x509.fingerprint256, created: false };
    }
  } catch {
    // missing or unreadable: a new one below
  }
  const notAfter = new Date(Date.now() + VALID_DAYS * 86_400_000);
  // Loaded here, not at the top: selfsigned and its X.509 stack are ~700 KB that every other
  // command (and `massager --help`, which registers serve) would otherwise evaluate for nothing.
  const { generate } = await import("selfsigned");
  const made = await generate([{ name: "commonName", value: "massager serve" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notAfterDate: notAfter,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
          ...addresses.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await writeFileAtomic(keyFile, made.private);
  await writeFileAtomic(certFile, made.cert);
  return {
    key: made.private,
    cert: made.cert,
    fingerprint: new X509Certificate(made.cert).fingerprint256,
    created: true,
  };
}
