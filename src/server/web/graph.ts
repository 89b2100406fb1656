/**
 * A repository's upstream graph as SVG: one row per repository in search order, each with the
 * external connection it reaches, and an arrow from each repository to its direct upstreams.
 * Every name is escaped; repositories the reader may not read are shown without their name.
 */
import { html, type Html } from './html.js';

export interface GraphRow {
  repository: string;
  upstreams: string[];
  externalConnections: string[];
  /** False: drawn as "a repository you may not read". */
  visible: boolean;
  href?: string;
}

const ROW = 56;
const BOX_W = 260;
const BOX_H = 36;
const LEFT = 40;
const EXT_X = LEFT + BOX_W + 140;
const EXT_W = 200;

export function upstreamGraphSvg(rows: GraphRow[]): Html {
  const index = new Map(rows.map((row, i) => [row.repository, i]));
  const height = rows.length * ROW + 16;
  const width = EXT_X + EXT_W + 20;
  const y = (i: number) => 12 + i * ROW;
  const edges: Html[] = [];
  const nodes: Html[] = [];
  let longEdges = 0;
  rows.forEach((row, i) => {
    const label = row.visible ? row.repository : 'a repository you may not read';
    const box = html`<g class="node${row.visible ? '' : ' hidden'}"><rect x="${LEFT}" y="${y(i)}" width="${BOX_W}" height="${BOX_H}" rx="6"/><text class="order" x="${LEFT - 8}" y="${y(i) + 23}" text-anchor="end">${i + 1}</text><text x="${LEFT + 12}" y="${y(i) + 23}">${clip(label, 32)}</text></g>`;
    nodes.push(row.href && row.visible ? html`<a href="${row.href}">${box}</a>` : box);
    if (row.visible) {
      row.externalConnections.forEach((connection, j) => {
        const ey = y(i) + j * 4;
        nodes.push(
          html`<g class="node external"><rect x="${EXT_X}" y="${ey}" width="${EXT_W}" height="${BOX_H}" rx="6"/><text x="${EXT_X + 12}" y="${ey + 23}">${clip(connection, 24)}</text></g>`,
        );
        edges.push(
          html`<path class="edge" d="M${LEFT + BOX_W} ${y(i) + BOX_H / 2} H${EXT_X - 6}"/><path class="arrow" d="M${EXT_X} ${y(i) + BOX_H / 2} l-7 -4 v8z"/>`,
        );
      });
      for (const upstream of row.upstreams) {
        const target = index.get(upstream);
        if (target === undefined || target <= i) continue;
        if (target === i + 1) {
          // The next row: straight down through the gap.
          edges.push(
            html`<path class="edge" d="M${LEFT + 30} ${y(i) + BOX_H} V${y(target) - 6}"/><path class="arrow" d="M${LEFT + 30} ${y(target)} l-4 -7 h8z"/>`,
          );
          continue;
        }
        // Further down: out of the box's right side, down a lane of its own, back in from the right.
        const lane = LEFT + BOX_W + 16 + (longEdges++ % 8) * 12;
        const from = y(i) + BOX_H / 2 - 7;
        const to = y(target) + BOX_H / 2 + 7;
        edges.push(
          html`<path class="edge" d="M${LEFT + BOX_W} ${from} H${lane} V${to} H${LEFT + BOX_W + 7}"/><path class="arrow" d="M${LEFT + BOX_W} ${to} l7 -4 v8z"/>`,
        );
      }
    }
  });
  const title = `Upstream graph: ${rows.map((row) => (row.visible ? row.repository : 'hidden')).join(', then ')}`;
  return html`<svg xmlns="http://www.w3.org/2000/svg" role="group" aria-labelledby="graph-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title id="graph-title">${title}</title>${edges}${nodes}</svg>`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
