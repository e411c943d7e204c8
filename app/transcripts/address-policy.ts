import ipaddr from "ipaddr.js";

// Which addresses the server may fetch a transcript from. A URL from a person could otherwise
// make the server read what only it can reach: its own services, the private network, or the
// cloud's metadata service (which hands out the machine's credentials).

// The metadata services of AWS, GCP and Azure (169.254.169.254), AWS over IPv6, and Alibaba.
// Refused even where private addresses are allowed: no call provider lives there.
const METADATA = new Set(["169.254.169.254", "fd00:ec2::254", "100.100.100.200"]);

const rangeWords: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private network address",
  uniqueLocal: "a private network address",
  linkLocal: "a link-local address",
  carrierGradeNat: "a shared (carrier-grade NAT) address",
  unspecified: "an unspecified address",
  multicast: "a multicast address",
  broadcast: "a broadcast address",
};

/**
 * Why the server must not connect to `address` (an IP address, as DNS resolved it), or null
 * when it may. Only public unicast addresses are allowed, unless `allowPrivate`.
 */
export function addressRefusal(address: string, { allowPrivate }: { allowPrivate: boolean }) {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // process() reads an IPv4-mapped IPv6 address (::ffff:127.0.0.1) as the IPv4 it is.
    parsed = ipaddr.process(address);
  } catch {
    return "an address that cannot be read";
  }
  if (METADATA.has(parsed.toNormalizedString()) || METADATA.has(parsed.toString())) {
    return "a cloud metadata address";
  }
  const range = parsed.range();
  if (range === "unicast" || allowPrivate) return null;
  return rangeWords[range] ?? "a reserved address";
}
