/** The npm registry protocol (npm, pnpm, Yarn) for packages hosted in a repository. */
import type { ArtifactError } from '../../errors.js';
import type { Format } from '../format.js';
import { distTagRoutes } from './dist-tags.js';
import { packageRoutes } from './package-routes.js';
import { serviceRoutes } from './service-routes.js';

export const npmFormat: Format = {
  name: 'npm',
  // Registry-wide /-/ routes come first: package names never start with '-', but order makes it plain.
  routes: () => [...serviceRoutes(), ...distTagRoutes(), ...packageRoutes()],
  // npm builds its message from the status and this `error` text, so the hint goes in too.
  renderError: (error: ArtifactError) => ({
    contentType: 'application/json',
    body: JSON.stringify({ error: error.hint ? `${error.message} ${error.hint}` : error.message, code: error.code }),
  }),
};
