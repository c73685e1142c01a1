// Every feature, in routing order: commands are tried feature by feature, then fallbacks.
// Help comes last because its fallback answers anything.
import type { Feature } from '../bot/core/feature';
import { bind } from './bind';
import { help } from './help';
import { whoami } from './whoami';

export const features: Feature[] = [bind, whoami, help];
