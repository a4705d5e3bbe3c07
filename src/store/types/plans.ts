import type { JsonObject } from './common.js';

export interface PlanRecord {
  id: string;
  env: string;
  /** sha256 hex of the normalized planned changes + generated Kubernetes/Helm files. */
  digest: string;
  /** The runner's plan summary (counts, resources by address, protected destroys). */
  summary: JsonObject;
  /** Where the saved terraform plan file lives (`terraform plan -out`). */
  planPath: string;
  createdBy: string;
  createdAt: Date;
  /**
   * The git commit the plan was made from (ENVC_GIT_COMMIT, GITHUB_SHA or the spec repository's HEAD; a
   * rollback's target commit): what ArgoCD is synced to after the apply. Absent when unknown.
   */
  revision?: string;
  /** Set once, when an apply of this plan succeeded (a saved plan is applied at most once). */
  appliedAt?: Date;
  appliedBy?: string;
}

/** A plan to record; the store adds the id (and `createdAt` when not given). */
export interface NewPlan
  extends Pick<PlanRecord, 'env' | 'digest' | 'summary' | 'planPath' | 'createdBy' | 'revision'> {
  createdAt?: Date;
}

export interface PlanStore {
  recordPlan(plan: NewPlan): Promise<PlanRecord>;
  latestPlan(env: string): Promise<PlanRecord | undefined>;
  getPlanByDigest(env: string, digest: string): Promise<PlanRecord | undefined>;
  listPlans(env?: string, limit?: number): Promise<PlanRecord[]>;
  /** Marks a plan applied; false when it already was (two appliers cannot both claim it). */
  markPlanApplied(id: string, by: { actor: string; at?: Date }): Promise<boolean>;
}
