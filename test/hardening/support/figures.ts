/**
 * Figures the hardening tests record as they go (counts, timings, memory), appended as JSON lines
 * to the file figures-setup.ts names, and printed together as one table when the run ends.
 */
import { appendFileSync } from 'node:fs';

export const FIGURES_FILE_ENV = 'ARTIFACT_CLI_HARDENING_FIGURES';

export interface Figure {
  section: string;
  name: string;
  value: string | number;
}

function recordFigure(section: string, name: string, value: string | number): void {
  const line = JSON.stringify({ section, name, value } satisfies Figure);
  const file = process.env[FIGURES_FILE_ENV];
  // Run outside the hardening config (one file by hand), the figure still shows.
  if (file) appendFileSync(file, `${line}\n`);
  else console.log(`[figure] ${section}: ${name} = ${value}`);
}

export function recordFigures(section: string, figures: Record<string, string | number>): void {
  for (const [name, value] of Object.entries(figures)) recordFigure(section, name, value);
}
