import { describe, expect, it } from 'vitest';
import {
  isDns1123Label,
  isDns1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
} from './names';

describe('names', () => {
  it('DNS-1123 subdomain: the exact apiserver text', () => {
    expect(isDns1123Subdomain('web.example-1')).toEqual([]);
    expect(isDns1123Subdomain('Foo')).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(isDns1123Subdomain('a'.repeat(254))[0]).toBe('must be no more than 253 characters');
  });

  it('DNS-1123 label: the exact apiserver text, with its double space', () => {
    expect(isDns1123Label('my-name')).toEqual([]);
    expect(isDns1123Label('a.b')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(isDns1123Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });

  it('qualified names (label keys)', () => {
    expect(isQualifiedName('app')).toEqual([]);
    expect(isQualifiedName('example.com/My_name.1')).toEqual([]);
    expect(isQualifiedName('/x')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('Example.com/x')[0]).toMatch(/^prefix part a lowercase RFC 1123/);
    expect(isQualifiedName('a/b/c')[0]).toMatch(
      /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/,
    );
    expect(isQualifiedName('-x')).toEqual([
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
    expect(isQualifiedName('')[0]).toBe('name part must be non-empty');
  });

  it('label values', () => {
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('v1.2_a')).toEqual([]);
    expect(isValidLabelValue('bad value')[0]).toMatch(/^a valid label must be an empty string/);
  });

  it('env var and port names', () => {
    expect(isEnvVarName('MY_VAR.x-1')).toEqual([]);
    expect(isEnvVarName('1A')[0]).toMatch(/must not start with a digit/);
    expect(isEnvVarName('..a')).toEqual(["must not start with '..'"]);
    expect(isValidPortName('http')).toEqual([]);
    expect(isValidPortName('8080')).toEqual(['must contain at least one letter (a-z)']);
  });
});
