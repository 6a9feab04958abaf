/** The part/merge commands of a distributed run (a Slurm job array + merge), checked against app and profile. */
import { AppError } from '../../shared/contract/errors';
import type { BuildContext, DistributedCommand, FinderApp, OptionValues } from '../apps/types';
import type { BackendProfile } from './profiles';

/** The part/merge commands of a distributed run (`parts` > 1), after checking the app and profile can do it. */
export function distributedCommand(app: FinderApp, options: OptionValues, ctx: BuildContext, profile: BackendProfile, parts = 1): DistributedCommand | undefined {
  if (!Number.isInteger(parts) || parts < 1) throw new AppError('validation', `parts must be a positive integer, got ${parts}`);
  if (parts === 1) return undefined;
  if (profile.type !== 'slurm-rest' && profile.type !== 'slurm-ssh') {
    throw new AppError('validation', `A distributed run (parts ${parts}) needs a Slurm profile (slurm-rest or slurm-ssh), not ${profile.type}`);
  }
  if (!app.buildDistributed) throw new AppError('validation', `${app.id} cannot run distributed (parts ${parts}): it has no part and merge commands`);
  return app.buildDistributed(options, ctx, parts);
}
