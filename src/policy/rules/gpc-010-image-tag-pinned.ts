import { isExpression } from "../../terraform-json/kubernetes-object.js";
import { parseImage } from "../image-reference.js";
import { checkContainers } from "../pod-spec.js";
import type { ResourceRule } from "../policy-rule.js";
import { checkov, kubeLinter } from "../sources.js";

export const imageTagPinned: ResourceRule = {
  id: "GPC-010",
  name: "image-tag-pinned",
  scope: "resource",
  level: "error",
  description: "Every container image names a version: a tag other than latest, or a digest.",
  why: "An untagged or latest image changes under a running DaemonSet: two GPU nodes end up running different code.",
  fix: "Pin the image to a release tag (nvcr.io/nvidia/k8s-device-plugin:v0.20.0), ideally with its @sha256 digest.",
  sources: [
    checkov("CKV_K8S_14", "Image Tag should be fixed - not latest or blank"),
    kubeLinter("latest-tag"),
    {
      title: "Kubernetes docs: Images, image names",
      url: "https://kubernetes.io/docs/concepts/containers/images/#image-names",
    },
  ],
  evaluate: (resource) =>
    checkContainers(resource, (container) => {
      const image = container.image;
      if (image === undefined || image === "") return "has no image";
      if (isExpression(image)) return undefined;
      const { tag, digest } = parseImage(image);
      if (digest !== undefined) return undefined;
      if (tag === undefined) return `image "${image}" has no tag (the runtime pulls latest)`;
      if (tag === "latest") return `image "${image}" uses the latest tag`;
      return undefined;
    }),
};
