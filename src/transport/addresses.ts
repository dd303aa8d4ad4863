/**
 * Whether text is an IP address, as the system's socket calls read one: for the checks of a target's
 * host before anything connects. node:net stays within transport.
 */
import { isIPv4 as netIsIPv4, isIPv6 as netIsIPv6 } from 'node:net';

/** A dotted IPv4 address: 127.0.0.1. */
export function isIPv4(text: string): boolean {
  return netIsIPv4(text);
}

/** An IPv6 address, with its zone if it has one: ::1, fe80::1%eth0. */
export function isIPv6(text: string): boolean {
  return netIsIPv6(text);
}
