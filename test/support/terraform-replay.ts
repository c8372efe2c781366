/**
 * Terraform's answers recorded once and replayed: `recording(into)` is a `prepare` (src/terraform/workflow.ts) whose
 * environments' runners record what terraform answered (init, plan, show; failures included); `replaying(recorded)`
 * is a `prepare` whose runners give those answers back without terraform or a provider process. For tests that run a
 * command twice on the same environments to compare renderings or streams: the second run costs no provider start.
 * Test support only.
 */
import { prepare, type Prepared, type WorkflowOptions } from '../../src/terraform/workflow';
import type { TerraformRunner } from '../../src/terraform/runner';

type Answer = { value: unknown } | { error: unknown };
export type Recorded = Record<string, Partial<Record<'init' | 'plan' | 'showPlan', Answer>>>;

/** `prepare`, with each environment's runner recording terraform's answers into `into`. */
export function recording(into: Recorded) {
  return (targets: string[], o: WorkflowOptions): Prepared => {
    const p = prepare(targets, o);
    for (const ctx of p.envs) {
      const answers: Recorded[string] = (into[ctx.spec.name] = {});
      const real = ctx.runner;
      const wrap = (name: 'init' | 'plan' | 'showPlan') => {
        const fn = (real[name] as (...a: unknown[]) => Promise<unknown>).bind(real);
        (real as unknown as Record<string, unknown>)[name] = async (...a: unknown[]) => {
          try {
            const value = await fn(...a);
            answers[name] = { value };
            return value;
          } catch (error) {
            answers[name] = { error };
            throw error;
          }
        };
      };
      wrap('init');
      wrap('plan');
      wrap('showPlan');
    }
    return p;
  };
}

/** `prepare`, with runners answering what `recorded` holds (no terraform, no provider process). */
export function replaying(recorded: Recorded) {
  return (targets: string[], o: WorkflowOptions): Prepared => {
    const p = prepare(targets, o);
    for (const ctx of p.envs) {
      const answers = recorded[ctx.spec.name];
      const answer = async (name: 'init' | 'plan' | 'showPlan') => {
        const a = answers?.[name];
        if (!a) throw new Error(`the recorded run never asked terraform for ${name} of ${ctx.spec.name}`);
        if ('error' in a) throw a.error;
        return a.value;
      };
      ctx.runner = {
        init: () => answer('init'),
        plan: () => answer('plan'),
        showPlan: () => answer('showPlan'),
        childEnv: { MWAA_GITOPS_PROVIDER_REATTACH: '0' },
      } as unknown as TerraformRunner;
    }
    return p;
  };
}
