import { InvalidClusterOptionsError } from './errors';

export interface ClusterShape {
  totalNodes: number;
  masters: number;
  replicasPerMaster: number;
}

export function validateClusterShape(masters: number, replicasPerMaster: number): ClusterShape {
  if (!Number.isInteger(masters) || masters < 3) {
    throw new InvalidClusterOptionsError(`masters must be an integer >= 3 (Redis Cluster needs 3), got ${masters}`);
  }
  if (!Number.isInteger(replicasPerMaster) || replicasPerMaster < 0) {
    throw new InvalidClusterOptionsError(`replicasPerMaster must be an integer >= 0, got ${replicasPerMaster}`);
  }
  return { masters, replicasPerMaster, totalNodes: masters * (1 + replicasPerMaster) };
}
