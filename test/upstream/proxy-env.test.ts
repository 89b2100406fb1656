import { describe, expect, it } from 'vitest';
import { bypassesProxy, proxyFor } from '../../src/upstream/proxy-env.js';

const url = (text: string) => new URL(text);

describe('proxyFor', () => {
  it('takes the proxy by the scheme of the upstream, the lower-case name first, http:// when none is written', () => {
    const env = { HTTP_PROXY: 'http://plain.test:3128', https_proxy: 'tunnel.test:8080', HTTPS_PROXY: 'http://ignored.test:1', NO_PROXY: '' };
    expect(proxyFor(url('http://registry.test/x'), env)?.href).toBe('http://plain.test:3128/');
    expect(proxyFor(url('https://registry.test/x'), env)?.href).toBe('http://tunnel.test:8080/');
    expect(proxyFor(url('https://registry.test/x'), { HTTP_PROXY: 'http://plain.test:3128' })).toBeUndefined();
    expect(proxyFor(url('http://registry.test/x'), { HTTP_PROXY: '  ' })).toBeUndefined();
  });

  it('refuses a proxy it cannot speak to, naming the variable', () => {
    expect(() => proxyFor(url('https://registry.test/x'), { HTTPS_PROXY: 'socks5://p.test:1080', NO_PROXY: '' })).toThrow(
      'https_proxy uses socks5://; artifact-cli speaks to http:// proxies only',
    );
    expect(() => proxyFor(url('http://registry.test/x'), { HTTP_PROXY: 'http://[bad', NO_PROXY: '' })).toThrow('http_proxy is not a URL');
  });
});

describe('bypassesProxy', () => {
  it('without NO_PROXY, goes direct to the loopback host only', () => {
    for (const host of ['http://localhost/', 'http://127.0.0.1:8080/', 'http://127.1.2.3/', 'http://[::1]:80/'])
      expect(bypassesProxy(url(host), undefined), host).toBe(true);
    expect(bypassesProxy(url('http://registry.test/'), undefined)).toBe(false);
  });

  it('with NO_PROXY set, even to nothing, goes direct to its entries only', () => {
    expect(bypassesProxy(url('http://127.0.0.1/'), '')).toBe(false);
    const list = 'corp.test, .internal.test,*.wild.test host.test:8443 10.0.0.1 [::2] *.';
    expect(bypassesProxy(url('http://corp.test/'), list)).toBe(true);
    expect(bypassesProxy(url('http://a.b.corp.test/'), list)).toBe(true);
    expect(bypassesProxy(url('http://notcorp.test/'), list)).toBe(false);
    expect(bypassesProxy(url('http://internal.test/'), list)).toBe(true);
    expect(bypassesProxy(url('http://x.wild.test/'), list)).toBe(true);
    expect(bypassesProxy(url('https://host.test:8443/'), list)).toBe(true);
    expect(bypassesProxy(url('https://host.test/'), list)).toBe(false);
    expect(bypassesProxy(url('http://10.0.0.1:9/'), list)).toBe(true);
    expect(bypassesProxy(url('http://10.0.0.11/'), list)).toBe(false);
    expect(bypassesProxy(url('http://[::2]/'), list)).toBe(true);
    expect(bypassesProxy(url('http://anything.test/'), 'a.test, *')).toBe(true);
  });
});
