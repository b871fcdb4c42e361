import { webcrypto } from "node:crypto"
import "reflect-metadata" // tsyringe (loaded by @peculiar/x509) needs the Reflect metadata API
import * as x509 from "@peculiar/x509"

/**
 * A throwaway TLS identity for the loopback emulators: a CA and a leaf for 127.0.0.1/localhost signed by it,
 * generated in memory at start-up so no private key ever lands in the repository. Clients trust `caPem`
 * (`tlsOptions: { ca }` on the Azure SDK clients, `ca` on node:https/undici); servers use `certPem` + `keyPem`.
 *
 * ECDSA P-256: a pair of keys takes a few milliseconds (RSA 2048 takes hundreds), and Node's TLS, undici and
 * the Azure SDK clients (which use node:https) all accept ECDSA server certificates.
 */
export interface Certificates {
  readonly caPem: string
  readonly certPem: string
  readonly keyPem: string
}

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const
const dayMs = 86_400_000

const serialNumber = (): string => Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString("hex").replace(/^[89a-f]/, "1")

const privateKeyPem = async (key: webcrypto.CryptoKey): Promise<string> => {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key)).toString("base64")
  return `-----BEGIN PRIVATE KEY-----\n${der.match(/.{1,64}/g)?.join("\n") ?? ""}\n-----END PRIVATE KEY-----\n`
}

export const generateCertificates = async (now: Date = new Date()): Promise<Certificates> => {
  const crypto = webcrypto
  // Certificates are valid from an hour ago so a skewed clock in a container does not reject them.
  const notBefore = new Date(now.getTime() - 3_600_000)
  const notAfter = new Date(now.getTime() + 30 * dayMs)

  const caKeys = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"])
  const ca = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name: "CN=Azure Emulator CA",
      notBefore,
      notAfter,
      keys: caKeys,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey)
      ]
    },
    crypto
  )

  const leafKeys = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"])
  const leaf = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject: "CN=localhost",
      issuer: ca.subject,
      notBefore,
      notAfter,
      publicKey: leafKeys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          { type: "ip", value: "127.0.0.1" },
          { type: "dns", value: "localhost" }
        ]),
        await x509.AuthorityKeyIdentifierExtension.create(ca, false, crypto),
        await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey, false, crypto)
      ]
    },
    crypto
  )

  return {
    caPem: ca.toString("pem"),
    certPem: leaf.toString("pem"),
    keyPem: await privateKeyPem(leafKeys.privateKey)
  }
}
