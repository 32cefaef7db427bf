import { describe, expect, it } from 'vitest';
import { matchesFilters, matchesTags, POD_FILTERS, paginate, parseListQuery } from './filters';

const query = (text: string) => parseListQuery(new URLSearchParams(text), POD_FILTERS);

describe('list queries', () => {
  it('parses the SDK encoding in index order', () => {
    const parsed = query(
      'pageNumber=2&pageSize=10&filters.2.name=name&filters.2.values.1=my%20pod&filters.1.name=phase&filters.1.values.2=stopped&filters.1.values.1=running&tags.1.key=env&tags.1.values.1=dev',
    );
    expect(parsed).toEqual({
      pageNumber: 2,
      pageSize: 10,
      filters: [
        { name: 'phase', values: ['running', 'stopped'] },
        { name: 'name', values: ['my pod'] },
      ],
      tags: [{ key: 'env', values: ['dev'] }],
    });
  });

  it('defaults pagination and refuses out-of-range page sizes', () => {
    expect(query('')).toMatchObject({ pageNumber: 1, pageSize: 20 });
    expect(() => query('pageSize=9')).toThrow('pageSize');
    expect(() => query('pageSize=101')).toThrow('pageSize');
    expect(() => query('pageNumber=0')).toThrow('pageNumber');
  });

  it('refuses unknown filters and several values for a fuzzy one', () => {
    expect(() => query('filters.1.name=color&filters.1.values.1=red')).toThrow('filters.1.name');
    expect(() => query('filters.1.name=name&filters.1.values.1=a&filters.1.values.2=b')).toThrow(
      'filters.1.values',
    );
  });

  it('matches exact filters by equality and fuzzy ones by substring', () => {
    const pod = { phase: 'running', name: 'ns1-web', az: 'cn-north-1a' };
    expect(
      matchesFilters(pod, [{ name: 'phase', values: ['stopped', 'running'] }], POD_FILTERS),
    ).toBe(true);
    expect(matchesFilters(pod, [{ name: 'phase', values: ['run'] }], POD_FILTERS)).toBe(false);
    expect(matchesFilters(pod, [{ name: 'name', values: ['web'] }], POD_FILTERS)).toBe(true);
    expect(matchesFilters(pod, [{ name: 'agId', values: ['ag-1'] }], POD_FILTERS)).toBe(false);
    expect(
      matchesFilters(
        pod,
        [
          { name: 'name', values: ['web'] },
          { name: 'az', values: ['cn-north-1b'] },
        ],
        POD_FILTERS,
      ),
    ).toBe(false);
  });

  it('matches tags by key, and by value when values are given', () => {
    const tags = [{ key: 'env', value: 'dev' }];
    expect(matchesTags(tags, [{ key: 'env', values: [] }])).toBe(true);
    expect(matchesTags(tags, [{ key: 'env', values: ['prod', 'dev'] }])).toBe(true);
    expect(matchesTags(tags, [{ key: 'env', values: ['prod'] }])).toBe(false);
    expect(matchesTags(tags, [{ key: 'team', values: [] }])).toBe(false);
  });

  it('paginates 1-based', () => {
    const items = Array.from({ length: 25 }, (_, i) => i);
    expect(paginate(items, 3, 10)).toEqual([20, 21, 22, 23, 24]);
    expect(paginate(items, 4, 10)).toEqual([]);
  });
});
