import type { RuleSource } from "./policy-rule.js";

/**
 * Where the rules come from, so each rule cites its standard the same way. Section numbers are
 * from the CIS Kubernetes Benchmark v1.9 (section 5, "Policies"); check ids from Checkov's
 * Kubernetes policy index and kube-linter's built-in checks (docs/generated/checks.md).
 */

const PSS_URL = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";

export function pss(profile: "baseline" | "restricted", control: string): RuleSource {
  return { title: `Pod Security Standards, ${profile}: ${control}`, url: `${PSS_URL}#${profile}` };
}

export function cis(section: string, title: string): RuleSource {
  return {
    title: `CIS Kubernetes Benchmark ${section}: ${title}`,
    url: "https://www.cisecurity.org/benchmark/kubernetes",
  };
}

export function checkov(id: string, title: string): RuleSource {
  return { title: `Checkov ${id}: ${title}`, url: "https://www.checkov.io/5.Policy%20Index/kubernetes.html" };
}

export function kubeLinter(check: string): RuleSource {
  return { title: `kube-linter ${check}`, url: `https://docs.kubelinter.io/#/generated/checks?id=${check}` };
}

export function kubernetesDocs(title: string, path: string): RuleSource {
  return { title: `Kubernetes docs: ${title}`, url: `https://kubernetes.io/docs/${path}` };
}

/** NSA/CISA Kubernetes Hardening Guide (v1.2, 2022), the section on resource policies. */
export const NSA_CISA_RESOURCE_POLICIES: RuleSource = {
  title: "NSA/CISA Kubernetes Hardening Guide: resource policies",
  url: "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
};
