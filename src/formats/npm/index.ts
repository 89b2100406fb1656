/** The npm registry protocol (being built: only ping so far). */
import type { ArtifactError } from '../../errors.js';
import type { Format } from '../format.js';
import { sendJson } from '../../server/respond.js';

export const npmFormat: Format = {
  name: 'npm',
  routes: () => [
    {
      method: 'GET',
      path: /^-\/ping$/,
      access: 'read',
      handle: async ({ req, res }) => sendJson(req, res, 200, {}),
    },
  ],
  renderError: (error: ArtifactError) => ({ contentType: 'application/json', body: JSON.stringify({ error: error.message }) }),
};
