import { describe, expect, it } from "vitest";
import { addressRefusal } from "./address-policy";

// Pure checks of addresses: nothing here connects anywhere.
describe("the addresses a transcript may be fetched from", () => {
  const publicOnly = { allowPrivate: false };
  const privateToo = { allowPrivate: true };

  it("allows public unicast addresses, IPv4 and IPv6", () => {
    for (const address of ["8.8.8.8", "140.82.112.3", "2606:4700::1111"]) {
      expect(addressRefusal(address, publicOnly)).toBeNull();
    }
  });

  it("refuses loopback, private, link-local and other non-public ranges", () => {
    const expected: Record<string, string> = {
      "127.0.0.1": "a loopback address",
      "127.8.9.10": "a loopback address",
      "::1": "a loopback address",
      "::ffff:127.0.0.1": "a loopback address",
      "10.1.2.3": "a private network address",
      "172.16.0.1": "a private network address",
      "192.168.1.1": "a private network address",
      "fd12:3456::1": "a private network address",
      "169.254.10.1": "a link-local address",
      "fe80::1": "a link-local address",
      "100.64.0.1": "a shared (carrier-grade NAT) address",
      "0.0.0.0": "an unspecified address",
      "::": "an unspecified address",
      "224.0.0.1": "a multicast address",
      "192.0.2.1": "a reserved address",
      // 6to4 carries an IPv4 address (here 10.0.0.1) inside an IPv6 one.
      "2002:a00:1::1": "a reserved address",
    };
    for (const [address, refusal] of Object.entries(expected)) {
      expect(addressRefusal(address, publicOnly), address).toBe(refusal);
    }
  });

  it("allows every range with FETCH_PRIVATE_ADDRESSES, except the cloud metadata services", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "fd12::1", "169.254.10.1"]) {
      expect(addressRefusal(address, privateToo), address).toBeNull();
    }
    for (const address of [
      "169.254.169.254",
      "::ffff:169.254.169.254",
      "fd00:ec2::254",
      "100.100.100.200",
    ]) {
      expect(addressRefusal(address, privateToo), address).toBe("a cloud metadata address");
      expect(addressRefusal(address, publicOnly), address).toBe("a cloud metadata address");
    }
  });
});
