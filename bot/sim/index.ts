// The simulator as a platform: a web page and a JSON API on this server (loopback only), people
// picked by their member id, no accounts to configure. On while no other platform is, unless
// ZHIBU_SIMULATOR says otherwise.
import { z } from 'zod';
import { flag } from '../config';
import type { PlatformAdapter } from '../core/platform';
import { simPage } from './page';
import { SIM, simRoutes } from './routes';
import { simSender } from './sender';

const simSettings = z.object({
  /** 1: always serve the simulator; 0: never; unset: only while no other platform is configured. */
  ZHIBU_SIMULATOR: flag.optional(),
});

export const sim: PlatformAdapter<z.infer<typeof simSettings>> = {
  id: SIM,
  name: '模拟器',
  inProcess: true,
  settings: simSettings,
  enabled: (s) => (s.ZHIBU_SIMULATOR === undefined ? 'alone' : s.ZHIBU_SIMULATOR === '1'),
  // It delivers only where it is served: elsewhere someone without an account is unreachable, not "sent".
  delivers: () => true,
  describe: () => ({}),
  people: 'member-id',
  formItemsPerCard: 8,
  open: (_settings, deps) => ({
    routes(root, inlet) {
      root.route('/sim', simRoutes({ inlet, db: deps.db, clientAddress: deps.clientAddress }));
      root.get('/', (c) => c.redirect('/sim'));
    },
    sender: simSender(deps.db),
    pages: { '/sim': [simPage] },
    noStore: ['/sim/api/'],
    announce: (baseUrl) => `模拟器：${baseUrl}/sim`,
  }),
};
