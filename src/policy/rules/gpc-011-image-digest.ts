import { isExpression } from "../../terraform-json/kubernetes-object.js";
import { parseImage } from "../image-reference.js";
import { checkContainers } from "../pod-spec.js";
import type { ResourceRule } from "../policy-rule.js";
import { checkov } from "../sources.js";

/** A warning, not an error: a tag is a pin people can read, a digest is one nobody can move. */
export const imageDigest: ResourceRule = {
  id: "GPC-011",
  name: "image-digest",
  scope: "resource",
  level: "warning",
  description: "Every container image carries its @sha256 digest (a warning).",
  why: "A tag can be re-pushed; only a digest guarantees every node runs the bytes that were reviewed.",
  fix: "Append the digest: repository:tag@sha256:<hex> (crane digest or skopeo inspect prints it).",
  sources: [
    checkov("CKV_K8S_43", "Image should use digest"),
    {
      title: "Kubernetes docs: Images, image names",
      url: "https://kubernetes.io/docs/concepts/containers/images/#image-names",
    },
  ],
  evaluate: (resource) =>
    checkContainers(resource, (container) => {
      const image = container.image;
      if (image === undefined || image === "" || isExpression(image)) return undefined;
      return parseImage(image).digest === undefined ? `image "${image}" has no digest` : undefined;
    }),
};
