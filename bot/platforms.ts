// The registry: the platforms this bot speaks, one line each, in the order the configuration,
// the roster's account columns and the start-up log list them. A platform is its folder under
// bot/; this is the one file outside it that names it (tests/layering.test.ts checks).
import { accountColumns, type PlatformAdapter } from './core/platform';
import { dingtalk } from './dingtalk';
import { sim } from './sim';
import { wecom } from './wecom';

export const PLATFORMS: readonly PlatformAdapter[] = [sim, wecom, dingtalk];

/** The roster's columns of account ids, one for each platform whose people have accounts. */
export const ACCOUNT_COLUMNS = accountColumns(PLATFORMS);
