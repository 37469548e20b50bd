/**
 * A container image reference split into repository, tag and digest, the way the container
 * runtime reads it: `registry[:port]/path/name[:tag][@algorithm:hex]`. A colon before the last
 * slash belongs to the registry's port, not to a tag.
 * Source: kubernetes.io/docs/concepts/containers/images/#image-names; distribution/reference grammar.
 */
export interface ImageReference {
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

export function parseImage(image: string): ImageReference {
  const at = image.indexOf("@");
  const named = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const colon = named.lastIndexOf(":");
  const tagged = colon > named.lastIndexOf("/");
  return {
    repository: tagged ? named.slice(0, colon) : named,
    tag: tagged ? named.slice(colon + 1) : undefined,
    digest: digest === "" ? undefined : digest,
  };
}
