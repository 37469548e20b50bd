/**
 * The kindest/node image a kind lab runs, by Kubernetes minor version: the newest kind release
 * whose default image is of that minor, pinned by digest. kind supports a node image only with the
 * kind release it shipped with (kind.sigs.k8s.io/docs/design/node-image), so each entry names it.
 * Source: kubernetes-sigs/kind pkg/apis/config/defaults/image.go at each tag named below.
 */
export const KIND_NODE_IMAGES: Readonly<Record<string, { readonly kindRelease: string; readonly image: string }>> = {
  "1.31": {
    kindRelease: "v0.25.0",
    image: "kindest/node:v1.31.2@sha256:18fbefc20a7113353c7b75b5c869d7145a6abd6269154825872dc59c1329912e",
  },
  "1.32": {
    kindRelease: "v0.27.0",
    image: "kindest/node:v1.32.2@sha256:f226345927d7e348497136874b6d207e0b32cc52154ad8323129352923a3142f",
  },
  "1.33": {
    kindRelease: "v0.29.0",
    image: "kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f",
  },
  "1.34": {
    kindRelease: "v0.30.0",
    image: "kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a",
  },
  "1.35": {
    kindRelease: "v0.31.0",
    image: "kindest/node:v1.35.0@sha256:452d707d4862f52530247495d180205e029056831160e22870e37e3f6c1ac31f",
  },
  "1.36": {
    kindRelease: "v0.32.0",
    image: "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5",
  },
  "1.37": {
    kindRelease: "v0.33.0",
    image: "kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5",
  },
};

/** The pinned node image for a Kubernetes minor ("1.33"), or undefined when the table has none. */
export function kindNodeImage(kubernetesVersion: string) {
  return KIND_NODE_IMAGES[kubernetesVersion];
}
