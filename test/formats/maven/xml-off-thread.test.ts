/**
 * Big Maven XML is read on a worker thread. The worker script exists only in the build, so
 * these run the built module (as the server does) in a child process: `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../helpers/json.js';

const MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/formats/maven/xml-off-thread.js');

/** Runs `body` as an ES module with the built reader imported as `reader`; returns its JSON output. */
function runBuilt(body: string): Record<string, unknown> {
  const script = `const reader = await import(${JSON.stringify(MODULE)});\n${body}`;
  return parseJson<Record<string, unknown>>(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 }));
}

describe('reading big Maven XML off the event loop', () => {
  it('keeps the event loop turning while a 4 MB POM is read, and reads it the same as inline', () => {
    const result = runBuilt(`
      // Within the markup limit (about 100,000 elements), with long texts to make up the size.
      const deps = Array.from({ length: 11500 }, (_, i) => '<dependency><groupId>g' + i + '</groupId><artifactId>a</artifactId><version>1</version><comment>' + 'x'.repeat(230) + '</comment></dependency>').join('');
      const text = '<project><groupId>org.example</groupId><artifactId>big</artifactId><version>1.0</version><dependencies>' + deps + '</dependencies></project>';
      // The event loop's turns while the read is under way, and the longest time between two.
      let reading = true, turns = 0, last = performance.now(), worstGap = 0;
      const turn = () => { const now = performance.now(); worstGap = Math.max(worstGap, now - last); last = now; turns++; if (reading) setImmediate(turn); };
      setImmediate(turn);
      const pom = await reader.readPomOffThread(text);
      reading = false;
      // Let the loop turn once more, so a stall that just ended is measured too.
      await new Promise((resolve) => setImmediate(resolve));
      // The baseline, on this machine at this moment: the same parse inline stops the loop throughout.
      const { readPom } = await import(${JSON.stringify(MODULE.replace('xml-off-thread.js', 'pom.js'))});
      const inlineStarted = performance.now();
      const inline = readPom(text);
      const inlineTook = performance.now() - inlineStarted;
      console.log(JSON.stringify({ size: text.length, turns, worstGap, inlineTook, same: JSON.stringify(pom) === JSON.stringify(inline), dependencies: pom.fields.dependencies.length, artifactId: pom.coordinates.artifactId }));
    `);
    expect(result.size).toBeGreaterThan(3_900_000);
    expect(result.size).toBeLessThan(4 * 1024 * 1024);
    expect(result.same).toBe(true);
    expect(result.artifactId).toBe('big');
    expect(result.dependencies).toBe(1000);
    // Read inline, the loop would not turn at all until the parse ended; off the thread it keeps
    // turning, and its longest stall is a fraction of the inline parse measured in the same run.
    expect(result.turns as number).toBeGreaterThan(100);
    expect(result.worstGap as number).toBeLessThan((result.inlineTook as number) / 2);
  });

  it('reads small documents of costly markup (processing instructions) off the event loop too: twenty at once stall it by little', () => {
    const result = runBuilt(`
      // 120 KB each, under the size at which documents used to go to the worker.
      const text = '<?xml version="1.0"?><project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>pi</artifactId><version>1</version>' + '<?a b="c" d="e"?>'.repeat(7000) + '</project>';
      let last = performance.now(), worstGap = 0;
      const timer = setInterval(() => { const now = performance.now(); worstGap = Math.max(worstGap, now - last); last = now; }, 5);
      const started = performance.now();
      const poms = await Promise.all(Array.from({ length: 20 }, () => reader.readPomOffThread(text)));
      const took = performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 30));
      clearInterval(timer);
      console.log(JSON.stringify({ size: text.length, took, worstGap, cheap: reader.cheapToParse(text), artifactIds: [...new Set(poms.map((pom) => pom.coordinates.artifactId))] }));
    `);
    expect(result.size).toBeLessThan(128 * 1024);
    expect(result.cheap).toBe(false);
    expect(result.artifactIds).toEqual(['pi']);
    // Inline, the twenty parses would run back to back on the event loop (seconds here).
    expect(result.worstGap as number).toBeLessThan(Math.max(250, (result.took as number) / 3));
  });

  it('refuses a big document that is not XML with the parser’s reason, and a small one inline the same way', () => {
    const result = runBuilt(`
      const reasons = [];
      for (const text of ['<metadata>' + '<x>1</x>'.repeat(90000) + '<unclosed></metadata>', '<metadata><unclosed></metadata>']) {
        try { await reader.parseMetadataOffThread(text); reasons.push('read'); } catch (error) { reasons.push(error.constructor.name + ': ' + error.message); }
      }
      console.log(JSON.stringify({ reasons }));
    `);
    const reasons = result.reasons as string[];
    expect(reasons).toHaveLength(2);
    for (const reason of reasons) expect(reason).toMatch(/^XmlProblem: it is not well-formed XML/);
  });

  it('refuses a document of more markup than any POM needs before parsing it', () => {
    const result = runBuilt(`
      const started = performance.now();
      let reason = 'read';
      try { await reader.readPomOffThread('<project>' + '<x>1</x>'.repeat(500000) + '</project>'); } catch (error) { reason = error.constructor.name + ': ' + error.message; }
      console.log(JSON.stringify({ reason, took: performance.now() - started }));
    `);
    expect(result.reason).toMatch(/^XmlProblem: it has more than 200000 tags/);
  });
});
