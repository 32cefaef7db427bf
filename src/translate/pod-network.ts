/**
 * Hostname, DNS and /etc/hosts: Kubernetes fields → JD createPods fields, within JD's limits
 * (seed 003), which are IPv4-only and narrower than Kubernetes' in places.
 */

import type { JdPodSpec } from '../jdcloud/models';
import { fieldInvalid } from '../k8s/field-errors';
import type { PodSpec } from '../k8s/pod';
import type { FieldError } from '../k8s/status';
import { fieldTooMany } from './field-errors';

const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HOST_LABEL = /^[0-9a-zA-Z]([-0-9a-zA-Z]*[0-9a-zA-Z])?$/;
const HOSTNAME_MAX = 63;
const DNS = {
  nameservers: 20,
  searches: 6,
  searchChars: 256,
  options: 10,
  optionName: 63,
  optionValue: 100,
};
/** JD takes an option value only for these resolver options. */
const VALUED_OPTIONS = ['timeout', 'attempts', 'ndots'];
const ALIASES = { entries: 10, hostnames: 10 };

const isHostname = (h: string) =>
  h.length <= HOSTNAME_MAX && h.split('.').every((l) => HOST_LABEL.test(l));

/**
 * The JD hostname: `spec.hostname`, else the Pod name cut to 63 characters as the kubelet does
 * (JD would otherwise use the podId, and Kubernetes users expect `hostname` to print the name).
 */
export function jdHostnameOf(hostname: string | undefined, podName: string): string {
  return hostname || podName.slice(0, HOSTNAME_MAX).replace(/[-.]+$/, '');
}

export function jdDnsConfigOf(
  dns: PodSpec['dnsConfig'],
  errs: FieldError[],
): JdPodSpec['dnsConfig'] {
  if (!dns) return undefined;
  const { nameservers = [], searches = [], options = [] } = dns;
  const p = 'spec.dnsConfig';
  if (nameservers.length > DNS.nameservers)
    errs.push(fieldTooMany(`${p}.nameservers`, nameservers.length, DNS.nameservers));
  nameservers.forEach((ip, i) => {
    if (!IPV4.test(ip))
      errs.push(
        fieldInvalid(`${p}.nameservers[${i}]`, ip, 'must be an IPv4 address (JD Cloud limit)'),
      );
  });
  if (searches.length > DNS.searches)
    errs.push(fieldTooMany(`${p}.searches`, searches.length, DNS.searches));
  if (searches.join('').length > DNS.searchChars) {
    errs.push(
      fieldInvalid(
        `${p}.searches`,
        searches.join(' '),
        `must have at most ${DNS.searchChars} characters in all (JD Cloud limit)`,
      ),
    );
  }
  if (options.length > DNS.options)
    errs.push(fieldTooMany(`${p}.options`, options.length, DNS.options));
  options.forEach((o, i) => {
    const name = o.name ?? '';
    if (name.length < 1 || name.length > DNS.optionName) {
      errs.push(
        fieldInvalid(
          `${p}.options[${i}].name`,
          name,
          `must have 1-${DNS.optionName} characters (JD Cloud limit)`,
        ),
      );
    }
    if (
      o.value !== undefined &&
      (!VALUED_OPTIONS.includes(name) || o.value.length > DNS.optionValue)
    ) {
      errs.push(
        fieldInvalid(
          `${p}.options[${i}].value`,
          o.value,
          `JD Cloud takes a value (≤${DNS.optionValue} characters) only for ${VALUED_OPTIONS.join(', ')}`,
        ),
      );
    }
  });
  return {
    ...(nameservers.length && { nameservers }),
    ...(searches.length && { searches }),
    ...(options.length && {
      options: options.map((o) => ({
        name: o.name ?? '',
        ...(o.value !== undefined && { value: o.value }),
      })),
    }),
  };
}

export function jdHostAliasesOf(
  aliases: PodSpec['hostAliases'],
  errs: FieldError[],
): JdPodSpec['hostAliases'] {
  if (!aliases?.length) return undefined;
  if (aliases.length > ALIASES.entries)
    errs.push(fieldTooMany('spec.hostAliases', aliases.length, ALIASES.entries));
  return aliases.map((a, i) => {
    const p = `spec.hostAliases[${i}]`;
    const hostnames = a.hostnames ?? [];
    if (!IPV4.test(a.ip))
      errs.push(fieldInvalid(`${p}.ip`, a.ip, 'must be an IPv4 address (JD Cloud limit)'));
    if (hostnames.length === 0)
      errs.push(fieldInvalid(`${p}.hostnames`, [], 'must have at least 1 item (JD Cloud limit)'));
    if (hostnames.length > ALIASES.hostnames)
      errs.push(fieldTooMany(`${p}.hostnames`, hostnames.length, ALIASES.hostnames));
    hostnames.forEach((h, j) => {
      if (!isHostname(h))
        errs.push(
          fieldInvalid(
            `${p}.hostnames[${j}]`,
            h,
            'must be a hostname of at most 63 characters (JD Cloud limit)',
          ),
        );
    });
    return { ip: a.ip, hostnames };
  });
}
