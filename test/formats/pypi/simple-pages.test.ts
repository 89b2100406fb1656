/** Content negotiation, page rendering details and the rendered-page cache. */
import { describe, expect, it } from 'vitest';
import { PageCache } from '../../../src/formats/pypi/page-cache.js';
import type { ProjectView } from '../../../src/formats/pypi/project-view.js';
import { choosePageType, renderIndexPage, renderProjectPage } from '../../../src/formats/pypi/simple-pages.js';
import { RenderedBody } from '../../../src/server/respond.js';
import { parseJson } from '../../helpers/json.js';
import type { ProjectPageJson } from './project-page-json.js';

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
const HTML_TYPE = 'application/vnd.pypi.simple.v1+html';

describe('choosePageType', () => {
  it.each([
    ['pip', `${JSON_TYPE}, ${HTML_TYPE}; q=0.1, text/html; q=0.01`, JSON_TYPE],
    ['an older client', `${HTML_TYPE}, text/html; q=0.01`, HTML_TYPE],
    ['a browser', 'text/html,application/xhtml+xml,*/*;q=0.8', 'text/html'],
    ['no Accept', undefined, 'text/html'],
    ['*/* only', '*/*', 'text/html'],
    ['a refused type', `${JSON_TYPE};q=0, text/html`, 'text/html'],
    ['the latest alias', 'application/vnd.pypi.simple.latest+json', JSON_TYPE],
    ['nothing we offer', 'application/xml', 'text/html'],
  ])('%s', (_who, accept, expected) => {
    expect(choosePageType(accept, null)).toBe(expected);
  });

  it('lets ?format= override Accept', () => {
    expect(choosePageType('text/html', JSON_TYPE)).toBe(JSON_TYPE);
    expect(choosePageType(JSON_TYPE, 'nonsense')).toBe(JSON_TYPE);
  });
});

describe('renderProjectPage', () => {
  const view: ProjectView = {
    project: 'demo',
    versions: ['1.0+local'],
    files: [
      {
        fileName: 'demo-1.0+local.tar.gz',
        version: '1.0+local',
        sha256: 'a'.repeat(64),
        requiresPython: '>=3.8,<4',
        yanked: 'a "bad" <build>',
        source: { kind: 'external', file: { fileName: 'demo-1.0+local.tar.gz', url: 'http://x/', version: '1.0+local', sha256: 'a'.repeat(64) } },
      },
    ],
  };

  it('escapes attributes and encodes URL parts in HTML', () => {
    const html = renderProjectPage(view, 'text/html').body.toString();
    expect(html).toContain(
      `<a href="1.0%2Blocal/demo-1.0%2Blocal.tar.gz#sha256=${'a'.repeat(64)}" data-requires-python="&gt;=3.8,&lt;4" data-yanked="a &quot;bad&quot; &lt;build&gt;">demo-1.0+local.tar.gz</a>`,
    );
  });

  it('declares API 1.0 when a file has no size, and 1.1 otherwise', () => {
    expect(parseJson<ProjectPageJson>(renderProjectPage(view, JSON_TYPE).body).meta['api-version']).toBe('1.0');
    const sized = { ...view, files: view.files.map((file) => ({ ...file, size: 10 })) };
    const page = parseJson<ProjectPageJson>(renderProjectPage(sized, JSON_TYPE).body);
    expect(page.meta['api-version']).toBe('1.1');
    expect(page.files[0]).toMatchObject({ size: 10, yanked: 'a "bad" <build>', 'requires-python': '>=3.8,<4' });
  });
});

describe('core metadata (PEP 658 / PEP 714)', () => {
  const sha = 'b'.repeat(64);
  const view: ProjectView = {
    project: 'demo',
    versions: ['1.0'],
    files: [
      {
        fileName: 'demo-1.0-py3-none-any.whl',
        version: '1.0',
        sha256: 'a'.repeat(64),
        size: 10,
        coreMetadataSha256: sha,
        source: { kind: 'external', file: { fileName: 'demo-1.0-py3-none-any.whl', url: 'http://x/', version: '1.0', sha256: 'a'.repeat(64) } },
      },
    ],
  };

  it('JSON names only core-metadata: pip 23.0 crashes on dist-info-metadata as an object', () => {
    const file = parseJson<ProjectPageJson>(renderProjectPage(view, JSON_TYPE).body).files[0];
    expect(file['core-metadata']).toEqual({ sha256: sha });
    expect(Object.keys(file)).not.toContain('dist-info-metadata');
  });

  it('HTML keeps both attributes, as strings, for pip releases that know only the old one', () => {
    const html = renderProjectPage(view, HTML_TYPE).body.toString();
    expect(html).toContain(`data-core-metadata="sha256=${sha}"`);
    expect(html).toContain(`data-dist-info-metadata="sha256=${sha}"`);
  });
});

describe('page types', () => {
  const yankedWithoutReason = (view: ProjectView): ProjectView => ({ ...view, files: view.files.map((file) => ({ ...file, yanked: true as const })) });
  const demo: ProjectView = {
    project: 'demo',
    versions: ['1.0'],
    files: [
      {
        fileName: 'demo-1.0.tar.gz',
        version: '1.0',
        sha256: 'b'.repeat(64),
        size: 5,
        source: { kind: 'external', file: { fileName: 'demo-1.0.tar.gz', url: 'http://x/', version: '1.0', sha256: 'b'.repeat(64) } },
      },
    ],
  };

  it('labels each page with the type that was chosen', () => {
    expect(renderProjectPage(demo, 'text/html').contentType).toBe('text/html; charset=utf-8');
    expect(renderProjectPage(demo, HTML_TYPE).contentType).toBe(HTML_TYPE);
    expect(renderProjectPage(demo, JSON_TYPE).contentType).toBe(JSON_TYPE);
    expect(renderIndexPage(['demo'], 'text/html').contentType).toBe('text/html; charset=utf-8');
    expect(renderIndexPage(['demo'], HTML_TYPE).contentType).toBe(HTML_TYPE);
    expect(renderIndexPage(['demo'], JSON_TYPE).contentType).toBe(JSON_TYPE);
    expect(choosePageType(HTML_TYPE, null)).toBe(HTML_TYPE);
    expect(choosePageType('text/html', 'text/html')).toBe('text/html');
    expect(choosePageType(JSON_TYPE, 'application/vnd.pypi.simple.latest+html')).toBe(HTML_TYPE);
  });

  it('marks a file yanked without a reason with an empty data-yanked, and true in JSON', () => {
    expect(renderProjectPage(yankedWithoutReason(demo), 'text/html').body.toString()).toContain(
      `#sha256=${'b'.repeat(64)}" data-yanked="">demo-1.0.tar.gz</a>`,
    );
    expect(parseJson<ProjectPageJson>(renderProjectPage(yankedWithoutReason(demo), JSON_TYPE).body).files[0].yanked).toBe(true);
    expect(parseJson<ProjectPageJson>(renderProjectPage(demo, JSON_TYPE).body).files[0].yanked).toBe(false);
  });

  it('lists projects in the JSON index with API 1.1, and as escaped links in HTML', () => {
    expect(JSON.parse(renderIndexPage(['demo', 'other'], JSON_TYPE).body.toString())).toEqual({
      meta: { 'api-version': '1.1' },
      projects: [{ name: 'demo' }, { name: 'other' }],
    });
    expect(renderIndexPage(['a&b'], 'text/html').body.toString()).toContain('<a href="a%26b/">a&amp;b</a><br>');
  });
});

describe('PageCache', () => {
  it('renders once per variant while the parts are the same objects, and again when one changes', () => {
    const cache = new PageCache();
    const record = Object.freeze({ versions: {} });
    let renders = 0;
    const render = () => {
      renders += 1;
      return new RenderedBody('text/html', Buffer.from(String(renders)));
    };
    const first = cache.get('acme/app/demo', [record], 'html', render);
    expect(cache.get('acme/app/demo', [record], 'html', render)).toBe(first);
    cache.get('acme/app/demo', [record], 'json', render);
    expect(renders).toBe(2);
    const changed = Object.freeze({ versions: { '1.0': {} } });
    expect(cache.get('acme/app/demo', [changed], 'html', render)).not.toBe(first);
    expect(renders).toBe(3);
    // Objects that are not frozen may still change, so they are never cached.
    const loose = { versions: {} };
    cache.get('acme/app/loose', [loose], 'html', render);
    cache.get('acme/app/loose', [loose], 'html', render);
    expect(renders).toBe(5);
  });
});
