import { expect } from "vitest";

/** The fields of a DaemonSet's spec that say where its pods may run. */
export interface DaemonSetAffinitySpec {
  readonly template: {
    readonly spec: {
      readonly affinity: {
        readonly nodeAffinity: {
          readonly requiredDuringSchedulingIgnoredDuringExecution: {
            readonly nodeSelectorTerms: readonly {
              readonly matchExpressions?: readonly { key: string; operator: string; values: string[] }[];
            }[];
          };
        };
      };
    };
  };
}

/**
 * A node agent DaemonSet's required node affinity as a kubectl label selector
 * (`key in (a,b),…`), so the API server can say which nodes it selects. Asserts the shape the
 * constructs write: one selector term, `In` expressions only.
 */
export function daemonSetNodeSelector(spec: DaemonSetAffinitySpec, name: string): string {
  const terms =
    spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
  expect(terms, name).toHaveLength(1);
  return (terms[0]?.matchExpressions ?? [])
    .map((e) => {
      expect(e.operator, name).toBe("In");
      return `${e.key} in (${e.values.join(",")})`;
    })
    .join(",");
}
